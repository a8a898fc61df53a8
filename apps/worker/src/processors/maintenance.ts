import { isFinal, vendorQueueName } from "@facegate/core";
import {
  awaitsFaceCheck,
  type DispatchDeps,
  dispatchJob,
  flushOutbox,
  type OutboxDeps,
  type Services,
} from "@facegate/jobs";
import { queueJobId } from "@facegate/queue";
import { enqueueStore } from "../store-queue";

/** An unfinished job untouched this long gets its queue entry checked. */
const STALE_MS = 60_000;
/** An outbox entry this old was not flushed by the process that wrote it (it died, or Redis went away). */
const OUTBOX_AGE_MS = 5_000;
const BATCH = 500;

/**
 * Send the events of outbox entries written before `before` and delete their jobs' inputs, so they
 * are out of the outbox when this resolves. Sending one twice adds nothing (delivery ids come from
 * the event and target), nor does deleting twice, so an entry a live process is flushing too is safe.
 */
export async function flushOutboxLeft(services: OutboxDeps, before: number): Promise<number> {
  const outbox = await services.records.outboxBefore(before, BATCH);
  await flushOutbox(services, outbox);
  await services.inputDeletions.flush();
  return outbox.length;
}

/**
 * The safety net under "a job accepted with 202 always finishes": find unfinished jobs whose
 * queue entry is gone (a crash between two writes, Redis losing its last second of AOF) and
 * put them back; emit events left in the outbox; retry deletions that failed.
 */
export function reconcileHandler(services: DispatchDeps) {
  return async () => {
    const now = Date.now();
    const outbox = await flushOutboxLeft(services, now - OUTBOX_AGE_MS);

    let requeued = 0;
    for (const id of await services.records.staleOpenJobs(now - STALE_MS, BATCH)) {
      if (await reconcileJob(services, id)) requeued++;
      else await services.records.touchOpenJob(id, now);
    }
    if (requeued > 0) services.logger.warn({ requeued }, "re-enqueued jobs whose queue entry was lost");
    return { outbox, requeued };
  };
}

async function reconcileJob(services: DispatchDeps, id: string): Promise<boolean> {
  const record = await services.records.get(id);
  if (!record) {
    await services.records.forgetOpenJob(id);
    return false;
  }
  if (isFinal(record.status)) return false;
  const [queueName, bullId] = record.checkpoint
    ? (["store", queueJobId(id, "store")] as const)
    : awaitsFaceCheck(record)
      ? (["faces", queueJobId(id, "faces")] as const)
      : record.vendor
        ? ([vendorQueueName(record.vendor), queueJobId(id, record.vendor)] as const)
        : ([undefined, undefined] as const);
  if (queueName && bullId) {
    const queue = services.queues.get(queueName);
    const state = await queue.getJobState(bullId);
    if (state !== "unknown" && state !== "completed" && state !== "failed") return false;
    if (state !== "unknown") await queue.remove(bullId);
  }
  if (record.checkpoint) await enqueueStore(services, id);
  else await dispatchJob(services, record);
  return true;
}

/** Delete outputs past retention and inputs whose deletion was deferred. */
export function sweepRetentionHandler(
  services: Pick<Services, "retention" | "store" | "records" | "config">,
) {
  return async () => {
    const now = Date.now();
    const expired = await services.retention.expiredOutputs(now, 1000);
    if (expired.length > 0) {
      await services.store.delete(expired.map((output) => output.key));
      await services.retention.removeOutputs(expired);
    }
    const retentionMs = services.config.retention.outputMs;
    const pruned = await services.records.pruneIndexes(now - retentionMs);
    const pending = await services.retention.deferredDeletions(200);
    for (const prefix of pending) {
      await services.store.deletePrefix(prefix);
      await services.retention.deletionDone(prefix);
    }
    return { outputsDeleted: expired.length, indexEntriesPruned: pruned, prefixesCleaned: pending.length };
  };
}
