import { isFinal, type JobError, type JobOutput, type JobRecord } from "@facegate/core";
import type { VersionedRecord } from "@facegate/records";
import { type EventType, emitEvent } from "@facegate/webhooks";
import type { Services } from "./services";

export type FinalOutcome =
  | { status: "succeeded"; output: JobOutput }
  | { status: "failed"; error: JobError }
  | { status: "canceled"; reason?: string };

/** What deleting a job's or a batch's files needs: a failed deletion is left to the retention sweep. */
type CleanupDeps = Pick<Services, "store" | "logger" | "retention">;
/** What emitting the events of outbox entries needs. */
export type OutboxDeps = CleanupDeps & Pick<Services, "records" | "batches" | "webhooks" | "inputDeletions">;
/** What moving a job to its final status needs. */
export type FinishDeps = OutboxDeps & Pick<Services, "metrics">;

const EVENT_FOR: Record<FinalOutcome["status"], EventType> = {
  succeeded: "job.succeeded",
  failed: "job.failed",
  canceled: "job.canceled",
};

/**
 * Move a job to its final status exactly once, then tell everyone: waiters on `Prefer: wait`,
 * webhook receivers, and the batch. The record write also files the job in the outbox (same
 * Redis step), so events survive a crash between the write and `flushOutbox`.
 */
export async function finishJob(
  services: FinishDeps,
  id: string,
  outcome: FinalOutcome,
  /** More changes made in the same write (e.g. counting the vendor call). */
  also?: (record: JobRecord) => void,
  /** The record as the caller last read or wrote it, to save a read. */
  known?: VersionedRecord,
): Promise<JobRecord | undefined> {
  let changed = false;
  const result = await services.records.update(
    id,
    (current) => {
      if (isFinal(current.status)) return undefined;
      changed = true;
      also?.(current);
      current.status = outcome.status;
      current.finishedAt = Date.now();
      current.checkpoint = undefined;
      if (outcome.status === "succeeded") current.output = outcome.output;
      if (outcome.status === "failed") current.error = outcome.error;
      if (outcome.status === "canceled") {
        current.error = {
          code: "canceled",
          message: outcome.reason ?? "canceled by request",
          retryable: false,
        };
      }
      return current;
    },
    known,
  );
  if (!result || !changed) return result?.record;
  const record = result.record;
  services.metrics.jobFinished(
    record.operation,
    record.vendor ?? "none",
    record.status,
    record.error?.code ?? "",
  );
  services.logger.info(
    {
      jobId: id,
      requestId: record.requestId,
      status: record.status,
      code: record.error?.code,
      vendor: record.vendor,
      hop: "finished",
    },
    "job finished",
  );
  // Independent, so started together: their Redis commands share writes on the auto-pipelined
  // connection. The job's inputs are deleted with the next batch, after its events are queued.
  await Promise.all([
    services.records
      .announceFinished(id, record.tenant)
      .then(() =>
        services.logger.debug(
          { jobId: id, requestId: record.requestId, hop: "finish notice" },
          "finish published",
        ),
      ),
    flushOutbox(services, [record, ...(result.batchCompleted && record.batchId ? [record.batchId] : [])]),
  ]);
  return record;
}

/**
 * Emit the events of outbox entries (job or batch ids; a job record already read) and take them
 * out: a batch's at once, a job's once its inputs are deleted (`InputDeletions`, a batch at a time;
 * `inputDeletions.flush()` waits for that).
 */
export async function flushOutbox(services: OutboxDeps, entries: (string | JobRecord)[]): Promise<void> {
  for (const entry of entries) {
    const id = typeof entry === "string" ? entry : entry.id;
    if (id.startsWith("job_")) {
      const record = typeof entry === "string" ? await services.records.get(id) : entry;
      if (record && isFinal(record.status)) {
        await emitEvent(
          services.webhooks,
          {
            type: EVENT_FOR[record.status as FinalOutcome["status"]],
            tenant: record.tenant,
            jobId: id,
            requestId: record.requestId,
            at: record.finishedAt ?? Date.now(),
          },
          record.webhookUrl,
        );
        await services.inputDeletions.add(record);
        continue;
      }
    } else if (id.startsWith("bat_")) {
      const batch = await services.batches.get(id);
      if (batch) {
        await emitEvent(
          services.webhooks,
          {
            type: "batch.completed",
            tenant: batch.tenant,
            batchId: id,
            at: batch.completedAt ?? Date.now(),
          },
          batch.webhookUrl,
        );
        await finishBatch(services, id, batch.tenant);
      }
    }
    await services.records.outboxDone([id]);
  }
}

/**
 * A completed batch no longer needs what its items shared (template, archive, manifest); its
 * record and job index are kept as long as job records are (retention), then expire.
 */
async function finishBatch(
  services: CleanupDeps & Pick<Services, "batches">,
  batchId: string,
  tenant: string,
): Promise<void> {
  try {
    await services.store.deletePrefix(`batches/${tenant}/${batchId}`);
  } catch (error) {
    services.logger.warn({ batchId, err: error }, "batch file deletion deferred");
    await services.retention.deferDeletion(`batches/${tenant}/${batchId}`);
  }
  await services.batches.expireWithRetention(batchId);
}
