import { FacegateClient, type Job } from "@facegate/client";
import { QUEUE_NAMES } from "@facegate/core";
import { QUEUE_STATES } from "@facegate/metrics";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { blank, face } from "./support/images";
import { parsePrometheus, type Sample, select, total } from "./support/prometheus";
import { type Receiver, startReceiver } from "./support/receiver";
import { startTestSystem, type TestSystem } from "./support/system";
import { TEST_KEYS } from "./support/test-env";

const ADMIN_KEY = "admin_test_key_0123456789";

let t: TestSystem;
let hooks: Receiver;
let goneHooks: Receiver;
let client: FacegateClient;

beforeAll(async () => {
  hooks = await startReceiver();
  goneHooks = await startReceiver();
  goneHooks.respond(410);
  t = await startTestSystem({
    env: { ADMIN_API_KEY: ADMIN_KEY, EGRESS_ALLOWLIST: `${hooks.hostPort},${goneHooks.hostPort}` },
  });
  client = new FacegateClient({ baseUrl: t.url, apiKey: TEST_KEYS.acme });
});
afterAll(async () => {
  await t?.close();
  await hooks?.close();
  await goneHooks?.close();
});

async function scrape(): Promise<Sample[]> {
  const res = await fetch(`${t.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(await res.text());
}

/** Scrape until `ready` holds: metrics are recorded just after the effects a test can see. */
async function scrapeUntil(ready: (samples: Sample[]) => boolean, timeoutMs = 10_000): Promise<Sample[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const samples = await scrape();
    if (ready(samples) || Date.now() > deadline) return samples;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("/metrics after a run of jobs", () => {
  it("counts jobs, vendor calls, waits, retries, storage and webhooks exactly", async () => {
    // First job alone, so it meets the scripted answers: a rate limit, then a transient failure.
    t.sim.configure("ailab", { script: [{ code: "EXCEEDING_LIMITS" }, { code: "AI_SERVICE_ERROR" }] });
    const first = await client.runJob(
      {
        operation: "face_fusion",
        vendor: "ailab",
        inputs: { target: { bytes: await face(10) }, template: { bytes: await face(190) } },
        webhookUrl: hooks.url,
      },
      { timeoutMs: 20_000 },
    );
    expect(first).toMatchObject({ status: "succeeded", attempts: 2 });

    const rest: Job[] = await Promise.all([
      client.runJob(
        {
          operation: "face_fusion",
          vendor: "ailab",
          inputs: { target: { bytes: await face(60) }, template: { bytes: await face(240) } },
          webhookUrl: hooks.url,
        },
        { timeoutMs: 20_000 },
      ),
      client.runJob(
        {
          operation: "expression",
          vendor: "ailab",
          inputs: { target: { bytes: await face(110) } },
          params: { expression: "big_grin" },
          webhookUrl: hooks.url,
        },
        { timeoutMs: 20_000 },
      ),
      // A uniform picture: the vendor finds no face, and the job fails for good.
      client.runJob(
        {
          operation: "face_fusion",
          vendor: "ailab",
          inputs: { target: { bytes: await blank() }, template: { bytes: await face(300) } },
          webhookUrl: goneHooks.url,
        },
        { timeoutMs: 20_000 },
      ),
    ]);
    expect(rest.map((j) => j.status)).toEqual(["succeeded", "succeeded", "failed"]);
    expect(rest[2]!.error?.code).toBe("no_face_detected");

    const webhookAttempts = (s: Sample[]) => total(s, "facegate_webhook_delivery_seconds_count");
    // A job leaves the outbox once its inputs are deleted (a batch at a time, just after its events
    // are queued): wait for that, then for the webhooks and BullMQ's settling of the vendor calls'
    // entries, which follow the job records' final writes.
    const { records } = t.system.ctx;
    await expect.poll(() => records.outboxBefore(Date.now() + 1000, 100), { timeout: 10_000 }).toEqual([]);
    const settledCalls = (s: Sample[]) =>
      total(s, "facegate_queue_jobs", { queue: "vendor-ailab", state: "completed" }) +
      total(s, "facegate_queue_jobs", { queue: "vendor-ailab", state: "failed" });
    const m = await scrapeUntil((s) => webhookAttempts(s) >= 4 && settledCalls(s) >= 4);

    // Jobs created and finished, by operation, vendor, status and error code.
    expect(select(m, "facegate_jobs_created_total").map((s) => [s.labels, s.value])).toEqual(
      expect.arrayContaining([
        [{ operation: "face_fusion", vendor: "ailab" }, 3],
        [{ operation: "expression", vendor: "ailab" }, 1],
      ]),
    );
    expect(total(m, "facegate_jobs_created_total")).toBe(4);
    const finished = (labels: Record<string, string>) => total(m, "facegate_jobs_finished_total", labels);
    expect(finished({ operation: "face_fusion", vendor: "ailab", status: "succeeded", code: "" })).toBe(2);
    expect(finished({ operation: "expression", vendor: "ailab", status: "succeeded", code: "" })).toBe(1);
    expect(
      finished({ operation: "face_fusion", vendor: "ailab", status: "failed", code: "no_face_detected" }),
    ).toBe(1);
    expect(total(m, "facegate_jobs_finished_total")).toBe(4);

    // Vendor calls by outcome: 3 answers, 1 refusal for no face, the scripted rate limit and failure.
    const calls = (outcome: string, operation?: string) =>
      total(m, "facegate_vendor_call_seconds_count", {
        vendor: "ailab",
        outcome,
        ...(operation ? { operation } : {}),
      });
    expect(calls("success", "face_fusion")).toBe(2);
    expect(calls("success", "expression")).toBe(1);
    expect(calls("input", "face_fusion")).toBe(1);
    expect(calls("rate_limited", "face_fusion")).toBe(1);
    expect(calls("transient", "face_fusion")).toBe(1);
    expect(total(m, "facegate_vendor_call_seconds_count")).toBe(6);
    const buckets = select(m, "facegate_vendor_call_seconds_bucket", { le: "+Inf", outcome: "success" });
    expect(buckets.reduce((sum, s) => sum + s.value, 0)).toBe(3);

    // The vendor's rate-limit answer waited without spending an attempt; the transient failure retried.
    expect(total(m, "facegate_rate_limit_waits_total", { vendor: "ailab", reason: "vendor_said" })).toBe(1);
    expect(total(m, "facegate_job_retries_total", { vendor: "ailab", code: "vendor_unavailable" })).toBe(1);
    expect(total(m, "facegate_job_retries_total")).toBe(1);

    // Storage: 7 photos in and 3 results out (small photos are one PUT, large ones a streamed
    // upload); no input read back, as the job records hold these small photos for their vendor
    // calls (a tenant with few jobs open); the final jobs' inputs deleted in batches (jobs finishing
    // close together share one request): none is left.
    const storage = (labels: Record<string, string>) =>
      total(m, "facegate_storage_operation_seconds_count", labels);
    expect(
      storage({ operation: "put", outcome: "ok" }) + storage({ operation: "upload", outcome: "ok" }),
    ).toBe(10);
    expect(storage({ operation: "get" })).toBe(0);
    expect(storage({ operation: "delete", outcome: "ok" })).toBeGreaterThanOrEqual(1);
    expect(storage({ operation: "delete", outcome: "ok" })).toBeLessThanOrEqual(4);
    expect(await t.system.ctx.store.list("inputs/")).toEqual([]);
    expect(storage({ outcome: "error" })).toBe(0);

    // Webhooks: three delivered, one answered 410 Gone.
    expect(total(m, "facegate_webhook_delivery_seconds_count", { outcome: "success" })).toBe(3);
    expect(total(m, "facegate_webhook_delivery_seconds_count", { outcome: "gone" })).toBe(1);
    expect(webhookAttempts(m)).toBe(4);

    // Queue gauges for every queue and state; nothing is waiting any more.
    for (const queue of QUEUE_NAMES) {
      for (const state of QUEUE_STATES) {
        expect(select(m, "facegate_queue_jobs", { queue, state }), `${queue} ${state}`).toHaveLength(1);
      }
      expect(select(m, "facegate_queue_oldest_waiting_seconds", { queue })).toEqual([
        { name: "facegate_queue_oldest_waiting_seconds", labels: { queue }, value: 0 },
      ]);
    }
    // The BullMQ entries: three vendor calls completed, the no-face one failed for good.
    expect(total(m, "facegate_queue_jobs", { queue: "vendor-ailab", state: "completed" })).toBe(3);
    expect(total(m, "facegate_queue_jobs", { queue: "vendor-ailab", state: "failed" })).toBe(1);

    // Process metrics.
    expect(select(m, "facegate_process_cpu_user_seconds_total")).toHaveLength(1);
    expect(total(m, "facegate_nodejs_heap_size_used_bytes")).toBeGreaterThan(0);
  });

  it("shows a waiting job's queue depth and age while its queue is paused", async () => {
    const queue = t.system.ctx.queues.get("vendor-aigs");
    await queue.pause();
    try {
      const job = await client.createJob({
        operation: "face_fusion",
        vendor: "aigs",
        inputs: { target: { bytes: await face(20) }, template: { bytes: await face(200) } },
      });
      // The gauge reads whole seconds: scrape until the job has waited one.
      const m = await scrapeUntil(
        (s) => total(s, "facegate_queue_oldest_waiting_seconds", { queue: "vendor-aigs" }) >= 1,
      );
      const waiting =
        total(m, "facegate_queue_jobs", { queue: "vendor-aigs", state: "waiting" }) +
        total(m, "facegate_queue_jobs", { queue: "vendor-aigs", state: "prioritized" });
      expect(waiting).toBe(1);
      const age = total(m, "facegate_queue_oldest_waiting_seconds", { queue: "vendor-aigs" });
      expect(age).toBeGreaterThanOrEqual(1);
      expect(age).toBeLessThan(30);
      expect(total(m, "facegate_queue_oldest_waiting_seconds", { queue: "vendor-tencent" })).toBe(0);

      await queue.resume();
      expect((await client.waitForJob(job.id, { timeoutMs: 20_000 })).status).toBe("succeeded");
      const after = await scrape();
      expect(total(after, "facegate_queue_oldest_waiting_seconds", { queue: "vendor-aigs" })).toBe(0);
    } finally {
      await queue.resume();
    }
  });

  it("asks for the admin key once one is configured", async () => {
    const anonymous = await fetch(`${t.url}/metrics`);
    expect(anonymous.status).toBe(401);
    const basic = await fetch(`${t.url}/metrics`, {
      headers: { authorization: `Basic ${Buffer.from(`prometheus:${ADMIN_KEY}`).toString("base64")}` },
    });
    expect(basic.status).toBe(200);
    const tenantKey = await fetch(`${t.url}/metrics`, {
      headers: { authorization: `Bearer ${TEST_KEYS.acme}` },
    });
    expect(tenantKey.status).toBe(401);
  });
});
