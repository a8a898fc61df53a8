import { type Checkpoint, isFinal, type JobRecord, vendorQueueName } from "@facegate/core";
import { queueJobId } from "@facegate/queue";
import { keys } from "@facegate/storage";
import { type FinishDeps, finishJob } from "./lifecycle";
import type { Services } from "./services";

/** What canceling and erasing a job need. */
export type CancelDeps = FinishDeps & Pick<Services, "queues" | "ledger">;

/**
 * Cancel a queued or running job: it becomes `canceled` at once; its queue entry is removed
 * when still waiting, and a running vendor call is aborted (the worker running it hears the
 * cancel on Redis pub/sub). A vendor answer that arrives anyway is discarded by the worker.
 */
export async function cancelJob(
  services: CancelDeps,
  record: JobRecord,
  reason?: string,
): Promise<JobRecord> {
  if (isFinal(record.status)) return record;
  const checkpoint = record.checkpoint;
  const finished = (await finishJob(services, record.id, { status: "canceled", reason })) ?? record;
  if (record.vendor) {
    const bullId = queueJobId(record.id, record.vendor);
    await services.records.requestCancel(bullId);
    // A waiting entry goes now; an active one cannot be removed (locked) and ends on its own.
    await services.queues
      .get(vendorQueueName(record.vendor))
      .remove(bullId)
      .catch(() => 0);
  }
  if (checkpoint) await dropCheckpoint(services, checkpoint);
  return finished;
}

export async function dropCheckpoint(
  services: Pick<Services, "ledger">,
  checkpoint: Checkpoint,
): Promise<void> {
  if (checkpoint.kind === "spill") await services.ledger.dropAnswer(checkpoint.key);
}

/**
 * DELETE /v1/jobs/{id}: faces are personal data. Inputs, outputs, any saved vendor answer and
 * the payload (params, metadata, webhook URL) go; the id stays as a tombstone.
 */
export async function eraseJob(services: CancelDeps, record: JobRecord): Promise<JobRecord> {
  const current = isFinal(record.status) ? record : await cancelJob(services, record, "erased by request");
  const areas = ["inputs", "outputs"] as const;
  await Promise.all(
    areas.map((area) => services.store.deletePrefix(keys.jobPrefix(area, record.tenant, record.id))),
  );
  await services.ledger.dropJobAnswer(record.tenant, record.id);
  const updated = await services.records.update(record.id, (r) => {
    r.erasedAt = Date.now();
    r.params = {};
    r.metadata = {};
    r.inputs = {};
    r.webhookUrl = undefined;
    r.output = undefined;
    r.checkpoint = undefined;
    return r;
  });
  if (current.output) await services.retention.removeOutputs([{ jobId: record.id, key: current.output.key }]);
  return updated?.record ?? current;
}
