import type { RedisTarget } from "@facegate/config";
import { createRedis, primaries } from "@facegate/queue";
import { keyPatterns } from "@facegate/records";

/** Drop every key an installation with this prefix wrote (its own and its queues'), on every primary. */
export async function dropPrefix(target: RedisTarget | string, prefix: string): Promise<void> {
  const redis = createRedis(target, "worker", "facegate-test-cleanup");
  try {
    if (redis.status !== "ready") await new Promise((resolve) => redis.once("ready", resolve));
    for (const node of primaries(redis)) {
      for (const pattern of keyPatterns(prefix)) {
        let cursor = "0";
        do {
          const [next, keys] = await node.scan(cursor, "MATCH", pattern, "COUNT", 1000);
          // One UNLINK per key: on a cluster a multi-key UNLINK must stay in one slot.
          await Promise.all(keys.map((key) => node.unlink(key)));
          cursor = next;
        } while (cursor !== "0");
      }
    }
  } finally {
    redis.disconnect();
  }
}
