import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "@facegate/queue";
import { startVendorSim, type VendorSim } from "@facegate/vendor-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { face, form, waitForFinal } from "./support/images";
import { type ChildWorker, spawnApi, spawnApp, spawnWorker } from "./support/processes";
import { dropPrefix } from "./support/redis-clean";
import { type RedisTopology, startRedisCluster, startRedisSentinel } from "./support/redis-topologies";
import { TEST_KEYS, testEnv } from "./support/test-env";

/*
 * facegate's processes, started as users start them, on a Redis Cluster and on Sentinel named by
 * the documented variables alone: `npm start`, and the API and a worker as separate processes.
 */

const TOPOLOGIES = { cluster: () => startRedisCluster(), sentinel: () => startRedisSentinel() };
/** Variables that would make `npm start` use something other than what the test gives it. */
const CONFIGURED = /^(REDIS_|S3_|AILAB_|AIGS_|TENCENT_|API_KEYS$|ADMIN_API_KEY$|PORT$|LOG_)/;

const withoutRedisUrl = (env: Record<string, string>) =>
  Object.fromEntries(Object.entries(env).filter(([name]) => name !== "REDIS_URL"));

async function runJob(url: string, key: string) {
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${key}` } });
  const res = await api("/v1/jobs", {
    method: "POST",
    body: form(
      { operation: "face_fusion", vendor: "ailab" },
      { target: await face(30), template: await face(250) },
    ),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  return waitForFinal(api, id, 30_000);
}

describe.each(["cluster", "sentinel"] as const)("processes on a Redis %s", (kind) => {
  let redis: RedisTopology;
  const children: ChildWorker[] = [];

  beforeAll(async () => {
    redis = await TOPOLOGIES[kind]();
  });
  afterAll(async () => {
    await Promise.all(children.map((c) => c.kill("SIGTERM")));
    await redis?.stop();
  });

  it("npm start runs a job with only the documented variables set", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "facegate-start-"));
    try {
      const base = Object.fromEntries(
        Object.entries(process.env).filter(([name, v]) => !CONFIGURED.test(name) && v !== undefined),
      ) as Record<string, string>;
      const start = spawnApp(
        "apps/standalone/src/main.ts",
        { ...base, ...withoutRedisUrl(redis.env), PORT: "0", FACEGATE_DATA_DIR: dataDir },
        (out) => out.includes("Ctrl-C stops everything."),
      );
      children.push(start);
      await start.started;
      expect(start.output()).toMatch(
        kind === "cluster" ? /Redis +cluster 127\.0\.0\.1:/ : /from sentinels 127/,
      );
      expect(start.output()).not.toMatch(/redis-server, AOF/);
      const url = /API {7}(http:\/\/[\d.:]+)/.exec(start.output())![1]!;
      const key = readFileSync(join(dataDir, "dev-api-key"), "utf8").trim();
      expect((await runJob(url, key)).status).toBe("succeeded");
      await start.kill("SIGTERM");
      expect(start.child.exitCode).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("the API and a worker as separate processes run a job", async () => {
    let sim: VendorSim | undefined;
    let env: Record<string, string> = {};
    try {
      sim = await startVendorSim();
      const port = await freePort();
      env = withoutRedisUrl(testEnv(sim, { ...redis.env, PORT: String(port) }));
      const api = spawnApi(env);
      const worker = spawnWorker(env);
      children.push(api, worker);
      await Promise.all([api.started, worker.started]);
      expect((await runJob(`http://127.0.0.1:${port}`, TEST_KEYS.acme)).status).toBe("succeeded");
      await Promise.all([api.kill("SIGTERM"), worker.kill("SIGTERM")]);
      expect([api.child.exitCode, worker.child.exitCode]).toEqual([0, 0]);
    } finally {
      await sim?.close();
      if (env.REDIS_PREFIX) await dropPrefix(redis.target, env.REDIS_PREFIX);
    }
  });
});
