import { describe, expect, it } from "vitest";
import { endedAfterEach } from "./support/ended-after-each";
import { face, form, waitForFinal } from "./support/images";
import { spawnWorker } from "./support/processes";
import { type Receiver, startReceiver } from "./support/receiver";
import { startTestSystem, type TestSystem } from "./support/system";

const ADMIN_KEY = "budget_test_admin_0123456789";
let t: TestSystem | undefined;
let receiver: Receiver | undefined;

const ended = endedAfterEach();

const admin = (path: string, init: RequestInit = {}) =>
  t!.api(path, { ...init, headers: { authorization: `Bearer ${ADMIN_KEY}`, ...init.headers } });

const putBudget = (tenant: string, budget: Record<string, unknown>) =>
  admin(`/v1/admin/tenants/${tenant}/budget`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(budget),
  });

async function submit(tenant: "acme" | "beta", hue: number): Promise<Response> {
  return t!.api("/v1/jobs", {
    method: "POST",
    tenant,
    body: form(
      { operation: "face_fusion", vendor: "ailab" },
      { target: await face(hue), template: await face(200) },
    ),
  });
}

async function submitted(tenant: "acme" | "beta", hue: number): Promise<string> {
  const res = await submit(tenant, hue);
  expect(res.status).toBe(202);
  return ((await res.json()) as { id: string }).id;
}

describe("budgets", () => {
  it("alert at the threshold, stop at the limit: 402 at create, events to the tenant's endpoints", async () => {
    receiver = ended(await startReceiver());
    t = ended(
      await startTestSystem({
        env: {
          ADMIN_API_KEY: ADMIN_KEY,
          EGRESS_ALLOWLIST: receiver.hostPort,
          VENDOR_PRICES: "ailab.face_fusion=0.5",
        },
      }),
    );
    const endpoint = await t.postJson(
      "/v1/webhook-endpoints",
      {
        url: `${receiver.url}/budget`,
        events: ["budget.threshold", "budget.exhausted"],
      },
      { tenant: "beta" },
    );
    expect(endpoint.status).toBe(201);
    expect((await putBudget("beta", { period: "day", max_spend: "1", alert_at: 0.5 })).status).toBe(200);
    expect((await putBudget("beta", { period: "week", max_spend: 1 })).status).toBe(422);
    expect((await putBudget("beta", { period: "day" })).status).toBe(422);
    expect((await t.api("/v1/admin/tenants/beta/budget")).status).toBe(401);

    expect(
      (await waitForFinal((p) => t!.api(p, { tenant: "beta" }), await submitted("beta", 10))).status,
    ).toBe("succeeded");
    const [threshold] = await receiver.waitFor(1);
    expect(JSON.parse(threshold!.body)).toMatchObject({
      type: "budget.threshold",
      data: { tenant: "beta", period: "day", max_spend: "1", spend: "0.5", alert_at: 0.5 },
    });
    expect(
      (await waitForFinal((p) => t!.api(p, { tenant: "beta" }), await submitted("beta", 20))).status,
    ).toBe("succeeded");
    const hooks = await receiver.waitFor(2);
    expect(JSON.parse(hooks[1]!.body)).toMatchObject({ type: "budget.exhausted", data: { spend: "1" } });

    const refused = await submit("beta", 30);
    expect(refused.status).toBe(402);
    expect(await refused.json()).toMatchObject({ code: "budget_exhausted" });
    const batch = await t.api("/v1/batches", {
      method: "POST",
      tenant: "beta",
      body: form(
        { operation: "face_fusion", vendor: "ailab" },
        { targets: await face(35), template: await face(200) },
      ),
    });
    expect(batch.status).toBe(402);
    expect(await batch.json()).toMatchObject({ code: "budget_exhausted" });
    const spent = { period: "day", billable_calls: 2, spend: "1", exhausted: true };
    expect(await (await admin("/v1/admin/tenants/beta/budget")).json()).toMatchObject(spent);
    // The tenant sees its own budget, and only its own.
    const own = (tenant: "acme" | "beta") => t!.api("/v1/budget", { tenant });
    expect(await (await own("beta")).json()).toMatchObject({ tenant: "beta", ...spent });
    expect((await own("acme")).status).toBe(404);
    // Another tenant is not held back, and removing the budget lets the tenant go on.
    expect((await submit("acme", 40)).status).toBe(202);
    expect((await admin("/v1/admin/tenants/beta/budget", { method: "DELETE" })).status).toBe(204);
    expect((await admin("/v1/admin/tenants/beta/budget")).status).toBe(404);
    expect((await submit("beta", 50)).status).toBe(202);
    // Each crossing is told once.
    expect(receiver.received).toHaveLength(2);
  });

  it("a budget of N billable calls lets exactly N through, across several worker processes", async () => {
    t = ended(
      await startTestSystem({
        worker: false,
        env: { ADMIN_API_KEY: ADMIN_KEY, AILAB_CONCURRENCY: "4" },
        sim: { ailab: { latencyMs: 400 } },
      }),
    );
    const N = 5;
    const ids: string[] = [];
    for (let i = 0; i < 14; i++) ids.push(await submitted("acme", i * 11));
    // Set once the jobs are queued: each must find its answer at its call, not at its creation.
    expect((await putBudget("acme", { period: "month", max_billable_calls: N })).status).toBe(200);
    const workers = Array.from({ length: 3 }, () => ended(spawnWorker(t!.env)));
    await Promise.all(workers.map((w) => w.started));

    const finals = [];
    for (const id of ids) finals.push(await waitForFinal((p) => t!.api(p), id, 60_000));
    const billed = t.sim.calls({ vendor: "ailab" }).filter((c) => c.status === 200 && c.code === null);
    expect(billed).toHaveLength(N);
    expect(finals.filter((j) => j.status === "succeeded")).toHaveLength(N);
    const refused = finals.filter((j) => (j.error as { code?: string } | null)?.code === "budget_exhausted");
    expect(refused).toHaveLength(ids.length - N);
    // A refused job made no call and spent no attempt.
    expect(refused.every((j) => j.attempts === 0)).toBe(true);
    expect(t.sim.calls({ vendor: "ailab" })).toHaveLength(N);
    expect(await (await admin("/v1/admin/tenants/acme/budget")).json()).toMatchObject({
      billable_calls: N,
      exhausted: true,
    });
    const entries = await t.system.ctx.ledger.list("acme");
    expect(entries.filter((e) => e.billable)).toHaveLength(N);
    expect(entries).toHaveLength(N);
  });
});
