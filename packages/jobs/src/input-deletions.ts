import type { JobRecord } from "@facegate/core";
import type { Logger } from "@facegate/logger";
import type { JobRecords, RetentionIndex } from "@facegate/records";
import { keys, type ObjectStore } from "@facegate/storage";

/** How long a finished job's inputs wait to be deleted with those of the jobs finishing after it. */
export const INPUT_DELETION_DELAY_MS = 250;

interface Deps {
  store: ObjectStore;
  records: Pick<JobRecords, "outboxDone">;
  retention: Pick<RetentionIndex, "deferDeletion">;
  logger: Logger;
}

/**
 * Finished jobs' inputs (personal data) deleted from S3 a batch at a time: one request for every
 * job that finished within INPUT_DELETION_DELAY_MS, off the path of the jobs that follow. A job
 * stays in the outbox until its inputs are gone, so a crash before that leaves them to the next
 * outbox flush (a worker's start, the reconcile sweep). A deletion that fails (storage down) is
 * deferred to the retention sweep.
 */
export class InputDeletions {
  /** Finished jobs whose inputs are still stored: job id → its input keys and tenant. */
  private pending = new Map<string, { tenant: string; keys: string[] }>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly deps: Deps,
    private readonly delayMs = INPUT_DELETION_DELAY_MS,
  ) {}

  /**
   * Delete a final job's inputs with the next batch, then take it out of the outbox. A job with
   * none of its own (a batch item's shared template stays until the batch completes) is taken
   * out at once.
   */
  async add(record: JobRecord): Promise<void> {
    const stored = ownInputKeys(record);
    if (stored.length === 0 || this.closed) {
      // Closed: the outbox keeps the job, and the next flush of it deletes the inputs.
      if (!this.closed) await this.deps.records.outboxDone([record.id]);
      return;
    }
    this.pending.set(record.id, { tenant: record.tenant, keys: stored });
    this.timer ??= setTimeout(() => {
      this.flush().catch((error: unknown) =>
        this.deps.logger.warn({ err: error }, "input deletion left to the outbox flush"),
      );
    }, this.delayMs);
  }

  /** Delete every pending job's inputs now; resolves once they and any batch under way are done. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.pending];
    this.pending.clear();
    this.running = this.running.catch(() => undefined).then(() => this.delete(batch));
    return this.running;
  }

  /** Delete what is pending and take no more: what finishes after is left in the outbox. */
  close(): Promise<void> {
    this.closed = true;
    return this.flush();
  }

  private async delete(batch: [string, { tenant: string; keys: string[] }][]): Promise<void> {
    if (batch.length === 0) return;
    const { store, records, retention, logger } = this.deps;
    try {
      await store.delete(batch.flatMap(([, job]) => job.keys));
    } catch (error) {
      logger.warn({ jobs: batch.length, err: error }, "input deletion deferred");
      await Promise.all(
        batch.map(([id, job]) => retention.deferDeletion(keys.jobPrefix("inputs", job.tenant, id))),
      );
    }
    await records.outboxDone(batch.map(([id]) => id));
  }
}

/** The S3 keys of a job's own inputs: a batch's shared template is not the job's to delete. */
function ownInputKeys(record: JobRecord): string[] {
  const { target, template, merges } = record.inputs;
  return [target, template, ...(merges ?? []).map((m) => m.image)]
    .filter((input) => input !== undefined && !input.shared)
    .map((input) => input!.key);
}
