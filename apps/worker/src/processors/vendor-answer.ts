import { type Checkpoint, isFinal, JobFailure, type JobRecord } from "@facegate/core";
import { dropCheckpoint, type Services } from "@facegate/jobs";
import type { KeptAnswer, VersionedRecord } from "@facegate/records";
import { UnrecoverableError } from "bullmq";
import { storeOutput } from "../output";
import { enqueueStore } from "../store-queue";
import { failJob, type VendorStep } from "./vendor-step";

/**
 * The vendor has answered (and billed), and the ledger already keeps the answer (image bytes in
 * Redis, or the vendor's URL). Hand it to the job's record as a checkpoint, then store the
 * output: an image at once, a URL through the store step. A crash anywhere from the answer's
 * arrival on resumes from what is kept; the vendor is never asked twice.
 */
export async function saveAnswer(
  step: VendorStep,
  record: JobRecord,
  answer: KeptAnswer,
  /** The image, when this process has it in hand (not after a crash). */
  bytes: Buffer | undefined,
  log: Services["logger"],
  known?: VersionedRecord,
): Promise<unknown> {
  const { services, vendor } = step;
  const at = Date.now();
  const checkpoint: Checkpoint =
    answer.kind === "url"
      ? { kind: "url", url: answer.url, expiresAt: answer.expiresAt, vendor, at }
      : { kind: "spill", key: answer.key, vendor, at };
  const saved = await services.records.update(
    record.id,
    (r) => {
      // Finished (canceled) meanwhile, or another run of this job already has an answer.
      if (isFinal(r.status) || r.checkpoint) return undefined;
      r.checkpoint = checkpoint;
      r.error = undefined;
      return r;
    },
    known,
  );
  log.debug({ hop: "answer saved" }, "vendor answer checkpointed");
  // The open call is released while the output is stored: the checkpoint now holds the answer.
  const releasing = services.ledger.release(record.tenant, record.id);
  try {
    return await storeSaved(step, record, checkpoint, saved, bytes, log);
  } finally {
    await releasing;
  }
}

async function storeSaved(
  step: VendorStep,
  record: JobRecord,
  checkpoint: Checkpoint,
  saved: VersionedRecord | undefined,
  bytes: Buffer | undefined,
  log: Services["logger"],
): Promise<unknown> {
  const { services, vendor } = step;
  const current = saved?.record.checkpoint;
  if (!current || current.at !== checkpoint.at) {
    // Another run's checkpoint may name the same kept answer: only a finished job's is dropped.
    if (!current) await dropCheckpoint(services, checkpoint);
    return {
      discarded:
        saved?.record.status === "canceled" ? "canceled while the vendor worked" : "already answered",
    };
  }
  if (checkpoint.kind === "url" || !bytes) {
    await enqueueStore(services, record.id);
    return { checkpoint: checkpoint.kind };
  }
  try {
    const output = await storeOutput(services, saved!.record, bytes, { known: saved });
    await dropCheckpoint(services, checkpoint);
    return { output };
  } catch (error) {
    if (error instanceof JobFailure) {
      // Not an image we can use: the vendor answered nonsense.
      await failJob(step, record, {
        code: "vendor_unavailable",
        message: `the vendor's result was unusable: ${error.message}`,
        vendor,
        retryable: false,
      });
      await dropCheckpoint(services, checkpoint);
      throw new UnrecoverableError(error.message);
    }
    // Storage is down: the answer stays kept in Redis (bounded TTL) for the store step.
    log.warn({ err: error }, "storage unavailable, vendor answer kept in Redis");
    await enqueueStore(services, record.id);
    return { checkpoint: checkpoint.kind };
  }
}
