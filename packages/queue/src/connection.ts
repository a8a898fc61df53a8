import type { RedisTarget } from "@facegate/config";
import type { RedisClient } from "@facegate/records";
import { Cluster, Redis, type RedisOptions } from "ioredis";

/**
 * What a connection is for.
 * - `worker`: blocks on Redis and must ride out a restart or a failover: unlimited retries per
 *   command (BullMQ's workers, queue events and blocking connections require that).
 * - `subscriber`: pub/sub listeners; like `worker`, they wait for Redis to come back.
 * - `producer`: the API fails fast, so a request answers 503 instead of hanging.
 */
export type RedisRole = "worker" | "subscriber" | "producer";

export interface RedisClientOptions {
  /** Commands issued in one event-loop turn go out in one write (facegate's own commands only). */
  autoPipelining?: boolean;
}

const reconnectDelay = (times: number) => Math.min(times * 100, 2_000);

/**
 * The one place facegate's Redis connections are made: every process, every use (records,
 * BullMQ queues and workers, rate limiters, pub/sub, the pacer). `target` says which Redis —
 * one node (REDIS_URL), a cluster (REDIS_CLUSTER_NODES) or Sentinel (REDIS_SENTINELS +
 * REDIS_SENTINEL_NAME); a bare URL is one node.
 */
export function createRedis(
  target: RedisTarget | string,
  role: RedisRole,
  name?: string,
  options: RedisClientOptions = {},
): RedisClient {
  const where: RedisTarget = typeof target === "string" ? { mode: "single", url: target } : target;
  const patient = role !== "producer";
  const autoPipelining = options.autoPipelining ?? false;
  const perNode: RedisOptions = {
    connectionName: name,
    maxRetriesPerRequest: patient ? null : 1,
    // Auto-pipelined commands are queued while the connection is down (ioredis leaves a failed
    // pipeline's rejection unhandled otherwise); `maxRetriesPerRequest: 1` still fails them fast.
    enableOfflineQueue: patient || autoPipelining,
    lazyConnect: false,
  };
  switch (where.mode) {
    case "single":
      return new Redis(where.url, {
        ...perNode,
        // Only for facegate's own commands: BullMQ's connections stay plain (it is not tested
        // with auto-pipelining).
        enableAutoPipelining: autoPipelining,
        retryStrategy: reconnectDelay,
      });
    case "sentinel":
      return new Redis({
        ...perNode,
        sentinels: where.sentinels,
        name: where.name,
        enableAutoPipelining: autoPipelining,
        retryStrategy: reconnectDelay,
        sentinelRetryStrategy: reconnectDelay,
        // Ask the sentinels where the primary went as soon as they announce a failover, rather
        // than when the old primary's connection finally breaks.
        failoverDetector: true,
      });
    case "cluster":
      return new Cluster(where.nodes, {
        redisOptions: perNode,
        enableOfflineQueue: perNode.enableOfflineQueue,
        // On a cluster, ioredis groups auto-pipelined commands by the node that owns each
        // command's first key, so the pipelines it forms never cross slots.
        enableAutoPipelining: autoPipelining,
        clusterRetryStrategy: reconnectDelay,
        // While a replica is promoted the slots answer CLUSTERDOWN or TRYAGAIN for a moment.
        retryDelayOnClusterDown: 200,
        retryDelayOnTryAgain: 200,
        retryDelayOnFailover: 200,
        slotsRefreshTimeout: 2_000,
      });
  }
}

/** Resolve once the connection is ready (a fail-fast connection refuses commands before that). */
export async function redisReady(redis: RedisClient, timeoutMs = 10_000): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not reachable within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off("ready", onReady);
    };
    redis.on("ready", onReady);
  });
}

/** The primaries a client's keys live on: the cluster's primaries, or the one node itself. */
export function primaries(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes("master") : [redis];
}
