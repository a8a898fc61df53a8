import { Redis } from "ioredis";

/**
 * Workers block on Redis and must ride out a restart: unlimited retries per command.
 * Producers (the API) fail fast, so a request answers 503 instead of hanging.
 */
export function createRedis(
  url: string,
  role: "worker" | "producer",
  name?: string,
  options: { autoPipelining?: boolean } = {},
): Redis {
  return new Redis(url, {
    connectionName: name,
    maxRetriesPerRequest: role === "worker" ? null : 1,
    // Auto-pipelined commands are queued while the connection is down (ioredis leaves a failed
    // pipeline's rejection unhandled otherwise); `maxRetriesPerRequest: 1` still fails them fast.
    enableOfflineQueue: role === "worker" || Boolean(options.autoPipelining),
    // Commands issued in one event-loop turn go out in one write. Only for facegate's own
    // commands: BullMQ's connections stay plain (it is not tested with auto-pipelining).
    enableAutoPipelining: options.autoPipelining ?? false,
    retryStrategy: (times) => Math.min(times * 100, 2_000),
    lazyConnect: false,
  });
}

/** Resolve once the connection is ready (a fail-fast connection refuses commands before that). */
export async function redisReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
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
