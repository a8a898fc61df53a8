import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Child, envLines, spawnEntry } from "../bench/lib/processes";
import { type Receiver, startReceiver } from "../test/support/receiver";
import { type Fleet, startFleet } from "./fleet";
import type { ChaosOptions } from "./options";
import { type RedisTopology, topology } from "./topology";

export const TENANTS = { acme: "fg_chaos_acme_0123456789abcdef", beta: "fg_chaos_beta_0123456789abcdef" };
export const ADMIN_KEY = "fg_chaos_admin_0123456789abcdef";
export const PREFIX = "chaos";

/** The production shape: Redis, an S3 server and the vendor simulator, each its own process, and the fleet. */
export interface ChaosStack {
  redis: RedisTopology;
  simUrl: string;
  receiver: Receiver;
  fleet: Fleet;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startChaosStack(options: ChaosOptions): Promise<ChaosStack> {
  const dir = mkdtempSync(join(tmpdir(), "facegate-chaos-"));
  const redis = await topology(options.redis)(dir, PREFIX);
  const s3: Child = await spawnEntry("bench/lib/s3-server.ts", { S3_DIR: join(dir, "s3") }, "s3 ready");
  const sim: Child = await spawnEntry(
    "apps/vendor-sim/src/main.ts",
    { SIM_SEED: "13" },
    "# Tencent template face ids",
  );
  const simUrl = /listening on (\S+)/.exec(sim.output())![1]!;
  // AILab as the run wants it: 10 % transient faults, 5 % timeouts, a vendor's usual latency.
  const configured = await fetch(`${simUrl}/_sim/configure/ailab`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ faults: { transient: 0.1, timeout: 0.05 }, latencyMs: 200, latencyJitterMs: 600 }),
  });
  if (!configured.ok) throw new Error(`simulator refused the fault settings: ${await configured.text()}`);
  const receiver = await startReceiver();
  const env: Record<string, string> = {
    NODE_ENV: "production",
    // info: the processes say when they are ready ("api listening", "worker started").
    LOG_LEVEL: "info",
    REDIS_PREFIX: PREFIX,
    S3_BUCKET: "chaos",
    S3_FORCE_PATH_STYLE: "true",
    API_KEYS: Object.entries(TENANTS)
      .map(([tenant, key]) => `${tenant}:${key}`)
      .join(","),
    ADMIN_API_KEY: ADMIN_KEY,
    API_RATE_LIMIT_PER_MINUTE: "100000000",
    EGRESS_ALLOWLIST: receiver.hostPort,
    VENDOR_PREFERENCE: "ailab",
    // A hung call is given up after 3 s, so the 5 % timeouts cost seconds, not minutes.
    VENDOR_TIMEOUT_MS: "3000",
    JOB_ATTEMPTS: "10",
    JOB_BACKOFF_MS: "200",
    JOB_LOCK_MS: String(options.lockMs),
    WEBHOOK_RETRY_SCHEDULE: "0,200ms,500ms,1s,2s,4s,8s,15s,30s",
    WEBHOOK_TIMEOUT_MS: "3000",
    ...redis.env,
    ...envLines(s3.output()),
    ...envLines(sim.output()),
  };
  const fleet = await startFleet(env, options.apis, options.workers);
  return {
    redis,
    simUrl,
    receiver,
    fleet,
    env,
    async stop() {
      await fleet.stop();
      await receiver.close();
      await sim.stop();
      await s3.stop();
      await redis.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
