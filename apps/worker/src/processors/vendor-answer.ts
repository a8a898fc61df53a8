import { type Checkpoint, isFinal, JobFailure, type JobRecord } from "@facegate/core";
import { dropCheckpoint, type Services } from "@facegate/jobs";
import type { KeptAnswer, VersionedRecord } from "@facegate/records";
import { UnrecoverableError } from "bullmq";
import { storeOutput } from "../output";
import { enqueueStore } from "../store-queue";
import { failJob, type VendorStep } from "./vendor-step";

/**
 * The vendor has answered (and billed), and the ledger already keeps the answer (image bytes in
 * Redis, or the vendor's URL) on the job's open call. An image in hand is stored at once, and the
 * open call released after: a crash before that resumes from the kept answer. Otherwise (a URL,
 * a resumed run, storage down) the answer goes to the job's record as a checkpoint and the store
 * step takes it from there. Either way the vendor is never asked twice.
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
  if (answer.kind === "bytes" && bytes && known) {
    const output = await storeInHand(step, known, bytes, answer.key, log);
    if (output !== undefined) {
      await Promise.all([
        services.ledger.release(record.tenant, record.id),
        services.ledger.dropAnswer(answer.key),
      ]);
      return { output };
    }
  }
  // Storage is down, or the image is not in hand: the store step takes the answer from the record.
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
  log.debug("vendor answer checkpointed");
  // The open call is released while the store step is queued: the checkpoint holds the answer.
  const [, stored] = await Promise.all([
    services.ledger.release(record.tenant, record.id),
    storeSaved(step, record, checkpoint, saved),
  ]);
  return stored;
}

/**
 * Store the image in hand as the job's output: "stored", or "discarded" when the job was
 * canceled meanwhile. Undefined when storage is down: the answer then goes through a checkpoint.
 */
async function storeInHand(
  step: VendorStep,
  known: VersionedRecord,
  bytes: Buffer,
  answerKey: string,
  log: Services["logger"],
): Promise<"stored" | "discarded" | undefined> {
  const { services, vendor } = step;
  try {
    return await storeOutput(services, known.record, bytes, { known });
  } catch (error) {
    if (!(error instanceof JobFailure)) {
      log.warn({ err: error }, "storage unavailable, vendor answer kept in Redis");
      return undefined;
    }
    // Not an image we can use: the vendor answered nonsense. Its kept answer goes too.
    await failJob(step, known.record, {
      code: "vendor_unavailable",
      message: `the vendor's result was unusable: ${error.message}`,
      vendor,
      retryable: false,
    });
    await Promise.all([
      services.ledger.release(known.record.tenant, known.record.id),
      services.ledger.dropAnswer(answerKey),
    ]);
    throw new UnrecoverableError(error.message);
  }
}

async function storeSaved(
  step: VendorStep,
  record: JobRecord,
  checkpoint: Checkpoint,
  saved: VersionedRecord | undefined,
): Promise<unknown> {
  const { services } = step;
  const current = saved?.record.checkpoint;
  if (!current || current.at !== checkpoint.at) {
    // Another run's checkpoint may name the same kept answer: only a finished job's is dropped.
    if (!current) await dropCheckpoint(services, checkpoint);
    return {
      discarded:
        saved?.record.status === "canceled" ? "canceled while the vendor worked" : "already answered",
    };
  }
  await enqueueStore(services, record.id);
  return { checkpoint: checkpoint.kind };
}
