import { afterEach, describe, expect, it } from "vitest";
import { face, form, waitForFinal } from "./support/images";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

let t: TestSystem | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

type Job = Record<string, any>;

async function create(
  t: TestSystem,
  fields: Record<string, string>,
  hue = 10,
  headers: Record<string, string> = {},
  tenant: "acme" | "beta" = "acme",
) {
  const files: Record<string, Buffer> = { target: await face(hue) };
  if (fields.operation === "face_fusion") files.template = await face(250);
  return t.api("/v1/jobs", { method: "POST", headers, body: form(fields, files), tenant });
}

describe("cancel", () => {
  it("cancels a running job: the vendor call is aborted and nothing is stored", async () => {
    t = await startTestSystem({ sim: { ailab: { latencyMs: 3_000 } } });
    const job = (await (await create(t, { operation: "face_fusion", vendor: "ailab" })).json()) as Job;
    await until(() => t!.sim.inFlight().ailab === 1, 10_000, "the vendor call arrived");
    const res = await t.api(`/v1/jobs/${job.id}/cancel`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "canceled", error: { code: "canceled" } });
    // The abort reached the running call: its processor ends long before the vendor would answer.
    const queue = t.system.ctx.queues.get("vendor-ailab");
    const canceledAt = Date.now();
    await until(async () => (await queue.getJobState(`${job.id}.ailab`)) === "completed", 2_000);
    expect(Date.now() - canceledAt).toBeLessThan(1_500);
    await new Promise((r) => setTimeout(r, 3_000));
    const after = (await (await t.api(`/v1/jobs/${job.id}`)).json()) as Job;
    expect(after).toMatchObject({ status: "canceled", output: null });
    expect(await t.system.ctx.store.list(`outputs/acme/${job.id}`)).toEqual([]);
    expect(await t.system.ctx.store.list(`vendor-results/acme/${job.id}`)).toEqual([]);
    expect((await t.api(`/v1/jobs/${job.id}/cancel`, { method: "POST" })).status).toBe(409);
  });

  it("cancels a queued job before any vendor call", async () => {
    t = await startTestSystem({ env: { AILAB_CONCURRENCY: "1" }, sim: { ailab: { latencyMs: 1_500 } } });
    const first = (await (await create(t, { operation: "face_fusion", vendor: "ailab" }, 10)).json()) as Job;
    const second = (await (await create(t, { operation: "face_fusion", vendor: "ailab" }, 80)).json()) as Job;
    await until(async () => (await t!.system.ctx.records.get(first.id))?.status === "running");
    expect((await t.system.ctx.records.get(second.id))?.status).toBe("queued");
    expect((await t.api(`/v1/jobs/${second.id}/cancel`, { method: "POST" })).status).toBe(200);
    expect((await waitForFinal((p) => t!.api(p), first.id)).status).toBe("succeeded");
    expect((await waitForFinal((p) => t!.api(p), second.id)).status).toBe("canceled");
    // The canceled job's queue entry has been taken and ended without a vendor call.
    const queue = t.system.ctx.queues.get("vendor-ailab");
    await until(async () =>
      ["completed", "failed", "unknown"].includes(await queue.getJobState(`${second.id}.ailab`)),
    );
    expect(t.sim.inFlight().ailab).toBe(0);
    expect(t.sim.calls({ vendor: "ailab" })).toHaveLength(1);
  });
});

describe("idempotency, waiting and listing", () => {
  it("Idempotency-Key: the same request gives the same job, a different one is refused", async () => {
    t = await startTestSystem();
    const a = await create(t, { operation: "face_fusion", vendor: "ailab" }, 10, {
      "idempotency-key": "order-1",
    });
    const b = await create(t, { operation: "face_fusion", vendor: "ailab" }, 10, {
      "idempotency-key": "order-1",
    });
    expect(a.status).toBe(202);
    expect([200, 202]).toContain(b.status);
    expect(((await b.json()) as Job).id).toBe(((await a.json()) as Job).id);
    const c = await create(t, { operation: "face_fusion", vendor: "ailab" }, 99, {
      "idempotency-key": "order-1",
    });
    expect(c.status).toBe(422);
    expect(((await c.json()) as Job).code).toBe("idempotency_key_reused");
    expect(await t.system.ctx.records.list("acme", { limit: 10 }).then((p) => p.records.length)).toBe(1);
    // Keys are per tenant.
    const other = await create(
      t,
      { operation: "face_fusion", vendor: "ailab" },
      10,
      { "idempotency-key": "order-1" },
      "beta",
    );
    expect(other.status).toBe(202);
  });

  it("Prefer: wait returns 202 when the job is not done in time", async () => {
    t = await startTestSystem({ sim: { ailab: { latencyMs: 2_500 } } });
    const started = Date.now();
    const res = await create(t, { operation: "face_fusion", vendor: "ailab" }, 10, { prefer: "wait=1" });
    expect(res.status).toBe(202);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await create(t, { operation: "face_fusion" }, 10, { prefer: "wait=61" })).status).toBe(400);
  });

  it("lists jobs newest first with a cursor and a status filter", async () => {
    t = await startTestSystem();
    const ids = [];
    for (let i = 0; i < 3; i++) {
      const res = await create(t, { operation: "face_fusion", vendor: "ailab" }, i * 40, {
        prefer: "wait=10",
      });
      ids.push(((await res.json()) as Job).id);
    }
    const page1 = (await (await t.api("/v1/jobs?limit=2")).json()) as Job;
    expect(page1.data.map((j: Job) => j.id)).toEqual([ids[2], ids[1]]);
    const page2 = (await (await t.api(`/v1/jobs?limit=2&cursor=${page1.next_cursor}`)).json()) as Job;
    expect(page2.data.map((j: Job) => j.id)).toEqual([ids[0]]);
    expect(page2.next_cursor).toBeNull();
    const failed = (await (await t.api("/v1/jobs?status=failed")).json()) as Job;
    expect(failed.data).toEqual([]);
    expect((await t.api("/v1/jobs?status=bogus")).status).toBe(422);
    // Another tenant sees none of them.
    expect(((await (await t.api("/v1/jobs", { tenant: "beta" })).json()) as Job).data).toEqual([]);
  });

  it("DELETE erases inputs, outputs and payload, keeping a tombstone", async () => {
    t = await startTestSystem();
    const res = await create(
      t,
      { operation: "face_fusion", vendor: "ailab", metadata: '{"who":"guest-7"}' },
      10,
      { prefer: "wait=10" },
    );
    const job = (await res.json()) as Job;
    expect(job.status).toBe("succeeded");
    expect(await t.system.ctx.store.list(`outputs/acme/${job.id}`)).toHaveLength(1);
    const erased = (await (await t.api(`/v1/jobs/${job.id}`, { method: "DELETE" })).json()) as Job;
    expect(erased).toMatchObject({ id: job.id, status: "succeeded", output: null, metadata: {} });
    expect(erased.erased_at).not.toBeNull();
    expect(await t.system.ctx.store.list(`outputs/acme/${job.id}`)).toEqual([]);
    expect((await t.api(`/v1/jobs/${job.id}/output`)).status).toBe(410);
  });
});

describe("routing, limits and deadlines", () => {
  it("auto fails over on a vendor-level failure and records why; the circuit then skips the vendor", async () => {
    t = await startTestSystem({
      env: { VENDOR_PREFERENCE: "ailab,tencent,aigs", CIRCUIT_FAILURES: "1" },
      sim: { ailab: { credits: { "sim-ailab-key": 0 } } },
    });
    const first = (await (
      await create(t, { operation: "face_fusion" }, 10, { prefer: "wait=15" })
    ).json()) as Job;
    expect(first).toMatchObject({ status: "succeeded", vendor: { requested: "auto", used: "tencent" } });
    expect(first.routing).toEqual([
      expect.objectContaining({
        vendor: "ailab",
        outcome: "failed_over",
        reason: expect.stringContaining("ERROR_NOT_ENOUGH_CREDITS"),
      }),
    ]);
    const second = (await (
      await create(t, { operation: "face_fusion" }, 60, { prefer: "wait=15" })
    ).json()) as Job;
    expect(second).toMatchObject({ status: "succeeded", vendor: { used: "tencent" } });
    expect(second.routing[0]).toMatchObject({ vendor: "ailab", outcome: "skipped" });
    expect(t.sim.calls({ vendor: "ailab" })).toHaveLength(1);
  });

  it("never fails over on an input-level failure", async () => {
    t = await startTestSystem();
    t.sim.configure("ailab", { script: [{ code: "ERROR_NO_FACE_IN_FILE" }] });
    const job = (await (
      await create(t, { operation: "face_fusion" }, 10, { prefer: "wait=15" })
    ).json()) as Job;
    expect(job).toMatchObject({
      status: "failed",
      error: { code: "no_face_detected", vendor: "ailab" },
      routing: [],
    });
    expect(t.sim.calls({ vendor: "tencent" })).toHaveLength(0);
  });

  it("a vendor that keeps saying 'too fast' does not spend attempts, and the job ends by its deadline", async () => {
    t = await startTestSystem({ env: { JOB_DEADLINE_S: "3", JOB_ATTEMPTS: "2" } });
    t.sim.configure("aigs", { script: Array.from({ length: 40 }, () => ({ code: "request_rate_limit" })) });
    const job = (await (
      await create(t, { operation: "face_fusion", vendor: "aigs" }, 10, { prefer: "wait=20" })
    ).json()) as Job;
    expect(job).toMatchObject({
      status: "failed",
      attempts: 0,
      error: { code: "vendor_rate_limited", vendor: "aigs" },
    });
    expect(t.sim.calls({ vendor: "aigs" }).length).toBeGreaterThan(2);
  });

  it("a result URL that expired before it was copied fails as vendor_result_expired", async () => {
    t = await startTestSystem({ sim: { ailab: { urlLifetimeMs: 1 } } });
    const res = await t.api("/v1/jobs", {
      method: "POST",
      headers: { prefer: "wait=15" },
      body: form({ operation: "face_slimming", vendor: "ailab" }, { target: await face(10) }),
    });
    const job = (await res.json()) as Job;
    expect(job).toMatchObject({
      status: "failed",
      error: { code: "vendor_result_expired", vendor: "ailab" },
    });
  });
});
