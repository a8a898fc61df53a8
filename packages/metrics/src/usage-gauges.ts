import { Gauge, type Registry } from "prom-client";

/** One tenant × vendor × operation's figures for the current UTC month, read from the ledger. */
export interface UsageSample {
  tenant: string;
  vendor: string;
  operation: string;
  calls: number;
  billableCalls: number;
  /** In the currency of VENDOR_PRICES (units, not micro-units). */
  spend: number;
  rateLimited: number;
  latencyP50Ms: number | undefined;
  latencyP95Ms: number | undefined;
}

/** A tenant's budget use: the larger share of its maxima used this period. */
export interface BudgetSample {
  tenant: string;
  usedShare: number;
}

export interface UsageSnapshot {
  usage: UsageSample[];
  budgets: BudgetSample[];
}

/**
 * The ledger's figures as Prometheus gauges, read from Redis at scrape time (the same sums
 * `/v1/usage` answers), so every API process reports the same numbers. One read per scrape is
 * shared by the gauges.
 */
export function usageGauges(registry: Registry, read: () => Promise<UsageSnapshot>) {
  let pending: { at: number; result: Promise<UsageSnapshot> } | undefined;
  const snapshot = () => {
    const now = Date.now();
    if (!pending || now - pending.at > 1_000) {
      // Redis down: usage is left out of this scrape; the other metrics still answer.
      pending = { at: now, result: read().catch(() => ({ usage: [], budgets: [] })) };
    }
    return pending.result;
  };
  const labels = ["tenant", "vendor", "operation"] as const;
  const figure = (name: string, help: string, value: (s: UsageSample) => number | undefined) => {
    const gauge: Gauge<(typeof labels)[number]> = new Gauge({
      name,
      help,
      labelNames: labels,
      registers: [registry],
      async collect() {
        gauge.reset();
        for (const s of (await snapshot()).usage) {
          const v = value(s);
          if (v !== undefined) gauge.set({ tenant: s.tenant, vendor: s.vendor, operation: s.operation }, v);
        }
      },
    });
  };
  figure("facegate_usage_month_calls", "Vendor calls this UTC month, from the ledger.", (s) => s.calls);
  figure(
    "facegate_usage_month_billable_calls",
    "Vendor calls answered with a result this UTC month.",
    (s) => s.billableCalls,
  );
  figure(
    "facegate_usage_month_spend",
    "Spend this UTC month, in the currency of VENDOR_PRICES.",
    (s) => s.spend,
  );
  figure("facegate_usage_month_rate_limited", "Rate-limit answers this UTC month.", (s) => s.rateLimited);
  figure(
    "facegate_usage_month_latency_p50_ms",
    "Median vendor latency this UTC month (within 10 %).",
    (s) => s.latencyP50Ms,
  );
  figure(
    "facegate_usage_month_latency_p95_ms",
    "p95 vendor latency this UTC month (within 10 %).",
    (s) => s.latencyP95Ms,
  );
  const budget: Gauge<"tenant"> = new Gauge({
    name: "facegate_budget_used_ratio",
    help: "Share of a tenant's budget used this period (the larger of calls and spend; 1 is spent).",
    labelNames: ["tenant"],
    registers: [registry],
    async collect() {
      budget.reset();
      for (const b of (await snapshot()).budgets) budget.set({ tenant: b.tenant }, b.usedShare);
    },
  });
}
