import {
  CATALOG,
  type Checkpoint,
  isFinal,
  type JobError,
  JobFailure,
  type JobRecord,
  VendorError,
  type VendorId,
} from "@facegate/core";
import { dropCheckpoint, type FinishDeps, finishJob, type Services } from "@facegate/jobs";
import type { VendorAdapter } from "@facegate/vendors";
import { type Job, UnrecoverableError } from "bullmq";
import { type AttemptState, retryOrFinal } from "../attempts";
import { storeOutput } from "../output";

/** Copy a vendor URL this long before the vendor says it expires, at the latest. */
export function storeDeadline(checkpoint: Checkpoint): number | undefined {
  if (checkpoint.kind !== "url") return undefined;
  const lifetime = checkpoint.expiresAt - checkpoint.at;
  const margin = Math.min(3_600_000, lifetime * 0.1);
  return checkpoint.expiresAt - margin;
}

/** Whether the vendor's URL is too close to expiring to copy now (a spilled answer never is). */
export function pastStoreDeadline(checkpoint: Checkpoint, now: number): boolean {
  const deadline = storeDeadline(checkpoint);
  return deadline !== undefined && now > deadline;
}

/**
 * A failed store attempt: retried while attempts remain, unless it failed for good (a classified
 * error that is not retryable, such as a saved answer that is gone).
 */
export function storeRetryOrFinal(error: unknown, job: AttemptState): "retry" | "final" {
  const permanent = (error instanceof VendorError || error instanceof JobFailure) && !error.retryable;
  return retryOrFinal(job, !permanent);
}

/**
 * The job's error when the store step gives up: only our own classified errors' text reaches the
 * job a client reads.
 */
export function storeFailure(error: unknown, vendor: VendorId): JobError {
  const known = error instanceof VendorError || error instanceof JobFailure;
  const { code, message } = known
    ? error
    : { code: "storage_unavailable" as const, message: "facegate's storage could not be reached" };
  return { code, message, vendor, retryable: false };
}

export interface StoreOutputDeps {
  services: FinishDeps & Pick<Services, "config" | "ledger">;
  adapters: ReadonlyMap<VendorId, VendorAdapter>;
}

/**
 * The store step: fetch the recorded vendor answer, mark it as AI-generated (EXIF stripped,
 * XMP DigitalSourceType added), put it in S3 and finish the job. It never calls the vendor's
 * API again; storage failures retry on their own backoff until the result's deadline.
 */
export function storeOutputHandler(deps: StoreOutputDeps) {
  const { services } = deps;
  return async (job: Job) => {
    const { jobId } = CATALOG["store-output"].payload.parse(job.data);
    const record = await services.records.get(jobId);
    if (!record || isFinal(record.status) || !record.checkpoint) return { skipped: "nothing to store" };
    const checkpoint = record.checkpoint;
    const log = services.logger.child({
      jobId,
      vendor: checkpoint.vendor,
      requestId: record.requestId,
      step: "store",
    });

    if (pastStoreDeadline(checkpoint, Date.now())) {
      await expired(record, checkpoint, "the vendor's result URL expired before it could be copied");
      return { failed: "vendor_result_expired" };
    }

    try {
      return await store(record, checkpoint);
    } catch (error) {
      if (storeRetryOrFinal(error, job) === "retry") {
        log.warn({ err: error }, "store step failed, will retry");
        throw error;
      }
      const known = error instanceof VendorError || error instanceof JobFailure;
      if (!known) log.warn({ err: error }, "store step failed");
      await finishJob(services, record.id, {
        status: "failed",
        error: storeFailure(error, checkpoint.vendor),
      });
      throw new UnrecoverableError((error as Error).message);
    }
  };

  async function store(record: JobRecord, checkpoint: Checkpoint) {
    const bytes = await readCheckpoint(checkpoint);
    const outcome = await storeOutput(services, record, bytes);
    await dropCheckpoint(services, checkpoint);
    return { outcome };
  }

  async function readCheckpoint(checkpoint: Checkpoint): Promise<Buffer> {
    switch (checkpoint.kind) {
      case "spill": {
        const bytes = await services.ledger.answerBytes(checkpoint.key);
        if (!bytes) throw new JobFailure("internal_error", "the saved vendor answer is gone", false);
        return bytes;
      }
      case "url": {
        const adapter = deps.adapters.get(checkpoint.vendor);
        if (!adapter)
          throw new JobFailure("vendor_config_error", `vendor ${checkpoint.vendor} is not configured`, false);
        return (await adapter.fetchResult(checkpoint.url)).bytes;
      }
    }
  }

  async function expired(record: JobRecord, checkpoint: Checkpoint, message: string) {
    await finishJob(services, record.id, {
      status: "failed",
      error: { code: "vendor_result_expired", message, vendor: checkpoint.vendor, retryable: false },
    });
  }
}
