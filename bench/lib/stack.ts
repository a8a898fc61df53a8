import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmbeddedRedis, startEmbeddedRedis } from "@facegate/queue";
import { S3Store } from "@facegate/storage";
import { type Child, envLines, spawnEntry } from "./processes";

export const BENCH_KEY = "fg_bench_0123456789abcdef0123";

/**
 * Everything a benchmark runs against, each in its own process: redis-server, an S3 server,
 * the vendor simulator. `env` is what facegate's processes need to use them.
 */
export interface Stack {
  redis: EmbeddedRedis;
  s3: Child;
  sim: Child;
  simUrl: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const dir = mkdtempSync(join(tmpdir(), "facegate-bench-"));
  const redis = await startEmbeddedRedis({ directory: join(dir, "redis") });
  const s3 = await spawnEntry("bench/lib/s3-server.ts", { S3_DIR: join(dir, "s3") }, "s3 ready");
  const sim = await spawnEntry("apps/vendor-sim/src/main.ts", {}, "# Tencent template face ids");
  const simUrl = /listening on (\S+)/.exec(sim.output())![1]!;
  const env: Record<string, string> = {
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    REDIS_URL: redis.url,
    REDIS_PREFIX: "bench",
    S3_BUCKET: "bench",
    S3_FORCE_PATH_STYLE: "true",
    API_KEYS: `bench:${BENCH_KEY}`,
    // A benchmark is one client sending as fast as it can: no per-key limit in the way.
    API_RATE_LIMIT_PER_MINUTE: "100000000",
    ...envLines(s3.output()),
    ...envLines(sim.output()),
  };
  return {
    redis,
    s3,
    sim,
    simUrl,
    env,
    async stop() {
      await sim.stop();
      await s3.stop();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A client of the stack's S3 server, its bucket made. */
export async function stackStore(stack: Stack): Promise<S3Store> {
  const store = new S3Store({
    endpoint: stack.env.S3_ENDPOINT,
    region: "us-east-1",
    bucket: stack.env.S3_BUCKET!,
    accessKeyId: stack.env.S3_ACCESS_KEY_ID!,
    secretAccessKey: stack.env.S3_SECRET_ACCESS_KEY!,
    forcePathStyle: true,
  });
  await store.ensureBucket();
  return store;
}

/** Change the simulator's behaviour for one vendor (rate limit, latency, faults). */
export async function configureSim(
  stack: Stack,
  vendor: string,
  patch: Record<string, unknown>,
): Promise<void> {
  const res = await fetch(`${stack.simUrl}/_sim/configure/${vendor}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(patch),
  });
  if (!res.ok) throw new Error(`sim configure: ${res.status} ${await res.text()}`);
}

export interface SimCallSummary {
  at: number;
  status: number;
  code: string | null;
  credential: string;
}

export async function simCalls(stack: Stack, vendor: string): Promise<SimCallSummary[]> {
  const res = await fetch(`${stack.simUrl}/_sim/calls?vendor=${vendor}`);
  return (await res.json()) as SimCallSummary[];
}
