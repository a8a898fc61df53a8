import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmbeddedRedis, freePort, startEmbeddedRedis } from "@facegate/queue";
import { type EmbeddedS3, startEmbeddedS3 } from "@facegate/storage/embedded";
import { afterEach, describe, expect, it } from "vitest";
import { waitForFinal } from "./support/images";
import { type SubmittedJob, submitFusion } from "./support/jobs";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

let t: TestSystem | undefined;
let dir: string | undefined;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  await t?.close();
  t = undefined;
  for (const c of cleanups.splice(0)) await c();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function submit(t: TestSystem, count: number, hue: number): Promise<SubmittedJob[]> {
  const jobs = [];
  for (let i = 0; i < count; i++) jobs.push(await submitFusion(t, hue + i * 11, { templateHue: 300 }));
  return jobs;
}

describe("outages", () => {
  it("S3 down for a while: jobs wait and complete when it returns, the vendor called once each", async () => {
    dir = mkdtempSync(join(tmpdir(), "fg-s3-outage-"));
    const port = await freePort();
    let s3: EmbeddedS3 = await startEmbeddedS3({ directory: dir, port });
    cleanups.push(() => s3.close());
    t = await startTestSystem({
      env: {
        S3_ENDPOINT: s3.endpoint,
        S3_ACCESS_KEY_ID: s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
        // A first guess above the four calls: they are all in flight together, not slow-started.
        AILAB_RPS: "50",
      },
      sim: { ailab: { latencyMs: 700 } },
    });
    const jobs = await submit(t, 4, 20);
    // Inputs are read once every call has reached the vendor. Storage goes away before it answers.
    const arrived = () => t!.sim.inFlight().ailab + t!.sim.calls({ vendor: "ailab" }).length;
    await until(() => arrived() === jobs.length, 10_000, "every job's vendor call started");
    await s3.close();
    const records = () => Promise.all(jobs.map((j) => t!.system.ctx.records.get(j.id)));
    await until(async () => (await records()).every((r) => r?.checkpoint), 10_000, "vendor answers kept");
    const during = await records();
    expect(during.every((r) => r?.status === "running" && r.checkpoint?.kind === "spill")).toBe(true);
    s3 = await startEmbeddedS3({ directory: dir, port });

    for (const job of jobs) {
      expect((await waitForFinal((p) => t!.api(p), job.id, 30_000)).status).toBe("succeeded");
      expect(t.sim.calls({ vendor: "ailab" }).filter((c) => c.targetSha256 === job.sha)).toHaveLength(1);
    }
  });

  it("Redis restarted (AOF on): every job accepted with 202 before the restart finishes", async () => {
    dir = mkdtempSync(join(tmpdir(), "fg-redis-restart-"));
    const redis: EmbeddedRedis = await startEmbeddedRedis({ directory: dir });
    cleanups.push(() => redis.stop());
    t = await startTestSystem({ env: { REDIS_URL: redis.url }, sim: { ailab: { latencyMs: 300 } } });
    const jobs = await submit(t, 8, 140);
    await redis.stop();
    // The outage itself: Redis stays down for a while, so the gateway meets it, not just a restart.
    await new Promise((r) => setTimeout(r, 500));
    await redis.restart();
    for (const job of jobs) {
      expect(["succeeded"]).toContain((await waitForFinal((p) => t!.api(p), job.id, 60_000)).status);
    }
  });
});
