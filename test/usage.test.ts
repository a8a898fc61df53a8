import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { face, form, waitForFinal } from "./support/images";
import { startTestSystem, type TestSystem } from "./support/system";

const ADMIN_KEY = "usage_test_admin_0123456789";
let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem({
    env: { ADMIN_API_KEY: ADMIN_KEY, VENDOR_PRICES: "ailab.face_fusion=0.02,aigs.face_fusion=0.000125" },
  });
});
afterAll(() => t?.close());

interface Row {
  tenant?: string;
  vendor?: string;
  outcome?: string;
  day?: string;
  calls: number;
  spend: string;
  latency_ms: { p50: number; p95: number };
}
interface Usage {
  group_by: string[];
  data: Row[];
  total: Row;
}
const usage = async (res: Response) => (await res.json()) as Usage;

const admin = (path: string, init: RequestInit = {}) =>
  t.api(path, { ...init, headers: { authorization: `Bearer ${ADMIN_KEY}`, ...init.headers } });

async function run(vendor: string, hue: number, tenant: "acme" | "beta" = "acme") {
  const res = await t.api("/v1/jobs", {
    method: "POST",
    tenant,
    body: form({ operation: "face_fusion", vendor }, { target: await face(hue), template: await face(200) }),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  return waitForFinal((p) => t.api(p, { tenant }), id);
}

describe("usage from the ledger", () => {
  it("answers calls, billable calls, exact spend, rate limits and latency, grouped as asked", async () => {
    t.sim.configure("ailab", { script: [{ code: "ERROR_NO_FACE_IN_FILE" }, { code: "EXCEEDING_LIMITS" }] });
    expect((await run("ailab", 10)).status).toBe("failed");
    for (const hue of [20, 30, 40]) expect((await run("ailab", hue)).status).toBe("succeeded");
    expect((await run("aigs", 50)).status).toBe("succeeded");
    expect((await run("ailab", 60, "beta")).status).toBe("succeeded");

    const byVendor = await usage(await t.api("/v1/usage?group_by=vendor"));
    expect(byVendor.group_by).toEqual(["vendor"]);
    expect(byVendor.data).toEqual([
      expect.objectContaining({
        vendor: "aigs",
        calls: 1,
        billable_calls: 1,
        spend: "0.000125",
        rate_limited: 0,
      }),
      // 3 results, one no-face answer, one rate-limit answer (retried): 5 calls, 3 billed.
      expect.objectContaining({
        vendor: "ailab",
        calls: 5,
        billable_calls: 3,
        spend: "0.06",
        rate_limited: 1,
      }),
    ]);
    expect(byVendor.total).toMatchObject({ calls: 6, billable_calls: 4, spend: "0.060125" });
    expect(byVendor.data[1]!.latency_ms.p50).toBeGreaterThan(0);
    expect(byVendor.data[1]!.latency_ms.p95).toBeGreaterThanOrEqual(byVendor.data[1]!.latency_ms.p50);

    const byOutcome = await usage(await t.api("/v1/usage?group_by=vendor,outcome"));
    expect(byOutcome.data.map((r) => [r.vendor, r.outcome, r.calls])).toEqual([
      ["aigs", "result", 1],
      ["ailab", "ERROR_NO_FACE_IN_FILE", 1],
      ["ailab", "EXCEEDING_LIMITS", 1],
      ["ailab", "result", 3],
    ]);
    const today = new Date().toISOString().slice(0, 10);
    const byDay = await usage(await t.api(`/v1/usage?group_by=day&from=${today}&to=${today}`));
    expect(byDay.data).toEqual([expect.objectContaining({ day: today, calls: 6 })]);
    // Another tenant sees only its own calls.
    expect((await usage(await t.api("/v1/usage", { tenant: "beta" }))).total).toMatchObject({
      calls: 1,
      spend: "0.02",
    });
  });

  it("refuses bad questions with 422 and admin routes to tenant keys", async () => {
    for (const q of [
      "group_by=color",
      "from=2026-13-01",
      "from=2026-02-02&to=2026-02-01",
      "from=2020-01-01&to=2026-01-01",
    ]) {
      const res = await t.api(`/v1/usage?${q}`);
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ code: "validation_failed" });
    }
    expect((await t.api("/v1/admin/usage")).status).toBe(401);
    expect((await t.api("/v1/admin/tenants")).status).toBe(401);
  });

  it("gives operators every tenant's usage, the tenants with their spend, and the same figures in /metrics", async () => {
    const all = await usage(await admin("/v1/admin/usage"));
    expect(all.data.map((r) => [r.tenant, r.spend])).toEqual([
      ["acme", "0.060125"],
      ["beta", "0.02"],
    ]);
    const tenants = await usage(await admin("/v1/admin/tenants"));
    expect(tenants.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          tenant: "acme",
          open_jobs: 0,
          budget: null,
          spend_this_period: "0.060125",
        }),
        expect.objectContaining({ tenant: "beta", billable_calls_this_period: 1 }),
      ]),
    );
    const metrics = await (await admin("/metrics")).text();
    expect(metrics).toMatch(
      /facegate_usage_month_calls\{tenant="acme",vendor="ailab",operation="face_fusion"\} 5/,
    );
    expect(metrics).toMatch(
      /facegate_usage_month_spend\{tenant="acme",vendor="ailab",operation="face_fusion"\} 0\.06/,
    );
  });
});
