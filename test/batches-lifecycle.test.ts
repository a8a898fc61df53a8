import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { untilEmitted, untilWebhooksIdle } from "./support/emitted";
import { endedAfterEach } from "./support/ended-after-each";
import { face } from "./support/images";
import { spawnWorker } from "./support/processes";
import { type Receiver, startReceiver } from "./support/receiver";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

type Json = Record<string, any>;
let t: TestSystem | undefined;
let receiver: Receiver | undefined;

const ended = endedAfterEach();

async function createBatch(
  t: TestSystem,
  count: number,
  extra: Record<string, string> = {},
): Promise<string> {
  const form = new FormData();
  form.append("operation", "face_fusion");
  form.append("vendor", "ailab");
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  form.append("template", new Blob([new Uint8Array(await face(200))]), "template.jpg");
  for (let i = 0; i < count; i++)
    form.append("targets", new Blob([new Uint8Array(await face(i * 17))]), `guest-${i}.jpg`);
  const res = await t.api("/v1/batches", { method: "POST", body: form });
  expect(res.status).toBe(202);
  return ((await res.json()) as Json).id;
}

async function batch(t: TestSystem, id: string): Promise<Json> {
  return (await (await t.api(`/v1/batches/${id}`)).json()) as Json;
}

describe("batch lifecycle", () => {
  it("cancel stops what has not finished; the batch still completes", async () => {
    t = ended(await startTestSystem({ env: { AILAB_CONCURRENCY: "1" }, sim: { ailab: { latencyMs: 400 } } }));
    const id = await createBatch(t, 6);
    await until(async () => (await batch(t!, id)).counts.succeeded >= 1);
    const res = await t.api(`/v1/batches/${id}/cancel`, { method: "POST" });
    expect(res.status).toBe(202);
    await until(async () => (await batch(t!, id)).status === "completed");
    const done = await batch(t, id);
    expect(done.canceled_at).not.toBeNull();
    expect(done.counts.canceled).toBeGreaterThanOrEqual(3);
    expect(done.counts.succeeded + done.counts.failed + done.counts.canceled).toBe(done.counts.total);
    expect((await t.api(`/v1/batches/${id}/cancel`, { method: "POST" })).status).toBe(409);
    // Fewer vendor calls than items: the canceled ones were never sent.
    expect(t.sim.calls({ vendor: "ailab" }).length).toBeLessThan(6);
  });

  it("a worker restart in the middle: every item finishes and batch.completed comes exactly once", async () => {
    receiver = ended(await startReceiver());
    t = ended(
      await startTestSystem({
        worker: false,
        env: { EGRESS_ALLOWLIST: receiver.hostPort, AILAB_CONCURRENCY: "2" },
        sim: { ailab: { latencyMs: 300 } },
      }),
    );
    const first = ended(spawnWorker(t.env));
    await first.started;
    const id = await createBatch(t, 10, { webhook_url: receiver.url });
    await until(async () => (await batch(t!, id)).counts.succeeded >= 2);
    await first.kill("SIGKILL");
    const second = ended(spawnWorker(t.env));
    await second.started;
    await until(async () => (await batch(t!, id)).status === "completed", 60_000);
    const done = await batch(t, id);
    expect(done.counts).toMatchObject({ total: 10, succeeded: 10 });

    // Every event of the batch is planned and every delivery sent before counting them.
    await untilEmitted(t.system.ctx, id);
    // A delivery the killed worker held comes back once it is found stalled.
    await untilWebhooksIdle(t.system.ctx, 60_000);
    const { secret } = (await (await t.api("/v1/webhook-secret")).json()) as Json;
    const completed = receiver.received
      .map((h) => new Webhook(secret).verify(h.body, h.headers as Record<string, string>) as Json)
      .filter((e) => e.type === "batch.completed");
    expect(completed).toHaveLength(1);
    expect(completed[0]!.data).toMatchObject({ id, status: "completed", counts: { succeeded: 10 } });
  });

  it("DELETE erases every item's data", async () => {
    t = ended(await startTestSystem());
    const id = await createBatch(t, 2);
    await until(async () => (await batch(t!, id)).status === "completed");
    expect((await t.api(`/v1/batches/${id}`, { method: "DELETE" })).status).toBe(202);
    // Each item's objects are deleted before its record says erased, so wait on the records.
    const erased = async () => {
      const jobs = (await (await t!.api(`/v1/batches/${id}/jobs`)).json()) as Json;
      return (
        jobs.data.length === 2 && jobs.data.every((j: Json) => j.erased_at !== null && j.output === null)
      );
    };
    await until(erased, 10_000, "every item erased");
    expect(await t.system.ctx.store.list("outputs/acme/")).toEqual([]);
  });
});

describe("fairness between tenants", () => {
  it("one tenant's big batch does not starve another tenant's single job", async () => {
    t = ended(await startTestSystem({ env: { AILAB_CONCURRENCY: "1" }, sim: { ailab: { latencyMs: 100 } } }));
    const id = await createBatch(t, 16);
    await until(async () => (await batch(t!, id)).counts.succeeded >= 2);
    const form = new FormData();
    form.append("operation", "face_fusion");
    form.append("vendor", "ailab");
    form.append("target", new Blob([new Uint8Array(await face(333))]), "solo.jpg");
    form.append("template", new Blob([new Uint8Array(await face(200))]), "template.jpg");
    const res = await t.api("/v1/jobs", { method: "POST", body: form, tenant: "beta" });
    const solo = ((await res.json()) as Json).id as string;
    const doneBefore = (await batch(t, id)).counts.succeeded as number;
    await until(
      async () =>
        ((await (await t!.api(`/v1/jobs/${solo}`, { tenant: "beta" })).json()) as Json).status ===
        "succeeded",
    );
    // Served next (one item may already have been running), not after the rest of the batch.
    const doneAfter = (await batch(t, id)).counts.succeeded as number;
    expect(doneAfter - doneBefore).toBeLessThanOrEqual(2);
    expect(doneAfter).toBeLessThan(16);
  });
});
