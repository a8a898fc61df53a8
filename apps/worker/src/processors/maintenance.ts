import { isFinal, vendorQueueName } from "@facegate/core";
import { awaitsFaceCheck, dispatchJob, flushOutbox, type Services } from "@facegate/jobs";
import { queueJobId } from "@facegate/queue";
import { enqueueStore } from "../store-queue";

/** An unfinished job untouched this long gets its queue entry checked. */
const STALE_MS = 60_000;
const BATCH = 500;

/**
 * The safety net under "a job accepted with 202 always finishes": find unfinished jobs whose
 * queue entry is gone (a crash between two writes, Redis losing its last second of AOF) and
 * put them back; emit events left in the outbox; retry deletions that failed.
 */
export function reconcileHandler(services: Services) {
  return async () => {
    const now = Date.now();
    const outbox = await services.redis.zrangebyscore(
      services.keys.outbox,
      "-inf",
      now - 30_000,
      "LIMIT",
      0,
      BATCH,
    );
    await flushOutbox(services, outbox);

    let requeued = 0;
    for (const id of await services.records.staleOpenJobs(now - STALE_MS, BATCH)) {
      if (await reconcileJob(services, id)) requeued++;
      else await services.redis.zadd(services.keys.openJobs, "XX", now, id);
    }
    if (requeued > 0) services.logger.warn({ requeued }, "re-enqueued jobs whose queue entry was lost");
    return { outbox: outbox.length, requeued };
  };
}

async function reconcileJob(services: Services, id: string): Promise<boolean> {
  const record = await services.records.get(id);
  if (!record) {
    await services.redis.zrem(services.keys.openJobs, id);
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
export function sweepRetentionHandler(services: Services) {
  return async () => {
    const now = Date.now();
    const expired = await services.redis.zrangebyscore(services.keys.outputs, "-inf", now, "LIMIT", 0, 1000);
    const keys = expired.map((entry) => entry.slice(entry.indexOf(":") + 1));
    if (keys.length > 0) {
      await services.store.delete(keys);
      await services.redis.zrem(services.keys.outputs, ...expired);
    }
    const retentionMs = services.config.retention.outputMs;
    const pruned = await services.records.pruneIndexes(now - retentionMs);
    const pending = await services.redis.zrange(services.keys.pendingCleanup, 0, 199);
    for (const prefix of pending) {
      await services.store.deletePrefix(prefix);
      await services.redis.zrem(services.keys.pendingCleanup, prefix);
    }
    return { outputsDeleted: keys.length, indexEntriesPruned: pruned, prefixesCleaned: pending.length };
  };
}
