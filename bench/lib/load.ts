import type { RedisTarget } from "@facegate/config";
import { createRedis } from "@facegate/queue";
import { redisKeys } from "@facegate/records";
import { BENCH_KEY } from "./stack";

/** POST `count` jobs with `concurrency` requests in flight; returns the accepted ids. */
export async function submitJobs(
  apiUrl: string,
  count: number,
  concurrency: number,
  body: (i: number) => { body: string | FormData; headers?: Record<string, string> },
): Promise<string[]> {
  const ids: string[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const { body: payload, headers } = body(i);
      const res = await fetch(`${apiUrl}/v1/jobs`, {
        method: "POST",
        headers: { authorization: `Bearer ${BENCH_KEY}`, ...headers },
        body: payload,
      });
      if (res.status !== 202 && res.status !== 200)
        throw new Error(`job ${i}: ${res.status} ${await res.text()}`);
      ids[i] = ((await res.json()) as { id: string }).id;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return ids;
}

/** Wait until the tenant has no unfinished job (read from Redis, so the API is not loaded by polling). */
export async function waitAllFinal(
  redisUrl: RedisTarget | string,
  tenant = "bench",
  prefix = "bench",
  timeoutMs = 600_000,
): Promise<number> {
  const redis = createRedis(redisUrl, "worker", "facegate-bench");
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      const open = await redis.zcard(redisKeys(prefix).tenantOpen(tenant));
      if (open === 0) return Date.now();
      if (Date.now() > deadline) throw new Error(`${open} jobs still unfinished`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    redis.disconnect();
  }
}

export async function countStatuses(
  redisUrl: RedisTarget | string,
  ids: string[],
  prefix = "bench",
): Promise<Record<string, number>> {
  const redis = createRedis(redisUrl, "worker", "facegate-bench");
  const keys = redisKeys(prefix);
  const counts: Record<string, number> = {};
  for (let i = 0; i < ids.length; i += 500) {
    const statuses = await Promise.all(ids.slice(i, i + 500).map((id) => redis.hget(keys.job(id), "status")));
    for (const s of statuses) counts[s ?? "missing"] = (counts[s ?? "missing"] ?? 0) + 1;
  }
  redis.disconnect();
  return counts;
}
