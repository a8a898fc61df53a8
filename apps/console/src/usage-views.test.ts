import { describe, expect, it } from "vitest";
import { type Budget, budgetShare, budgetText, usageTableRows } from "./usage-views";

const budget: Budget = {
  period: "month",
  period_key: "2026-11",
  max_billable_calls: 1000,
  max_spend: "25.00",
  alert_at: 0.8,
  billable_calls: 120,
  spend: "20.00",
  exhausted: false,
};

describe("usage views", () => {
  it("flattens the ledger's rows under their group dimensions", () => {
    const row = {
      calls: 12,
      billable_calls: 10,
      spend: "0.20",
      rate_limited: 1,
      latency_ms: { p50: 340, p95: null },
    };
    expect(
      usageTableRows({
        from: "2026-11-01",
        to: "2026-11-23",
        group_by: ["day", "vendor"],
        data: [{ ...row, day: "2026-11-23", vendor: "ailab" }],
        total: row,
      }),
    ).toEqual([
      {
        day: "2026-11-23",
        vendor: "ailab",
        calls: 12,
        billable_calls: 10,
        spend: "0.20",
        rate_limited: 1,
        "p50 ms": 340,
        "p95 ms": "—",
      },
    ]);
  });

  it("gauges a budget by whichever limit is nearer, and a spent one as full", () => {
    expect(budgetShare(budget)).toBe(0.8);
    expect(budgetShare({ ...budget, max_spend: null })).toBe(0.12);
    expect(budgetShare({ ...budget, exhausted: true })).toBe(1);
    expect(budgetText(budget)).toBe("120 of 1000 calls, 20.00 of 25.00 this month (2026-11)");
  });
});
