/**
 * The ledger's answers (`GET /v1/usage`, `GET /v1/admin/tenants`) turned into table rows and
 * gauge values. Pure, so they are tested without a browser.
 */
export interface UsageRow {
  tenant?: string;
  vendor?: string;
  operation?: string;
  day?: string;
  outcome?: string;
  calls: number;
  billable_calls: number;
  spend: string;
  rate_limited: number;
  latency_ms: { p50: number | null; p95: number | null };
}

export interface UsageAnswer {
  from: string;
  to: string;
  group_by: string[];
  data: UsageRow[];
  total: UsageRow;
}

export interface Budget {
  period: "day" | "month";
  period_key: string;
  max_billable_calls: number | null;
  max_spend: string | null;
  alert_at: number | null;
  billable_calls: number;
  spend: string;
  exhausted: boolean;
}

export interface TenantSummary {
  tenant: string;
  open_jobs: number;
  budget: Budget | null;
  spend_this_period: string;
  billable_calls_this_period: number;
}

/** One table row per group: its dimensions, then the figures, latency flattened. */
export function usageTableRows(answer: UsageAnswer): Record<string, string | number>[] {
  return answer.data.map((row) => {
    const dims = Object.fromEntries(answer.group_by.map((d) => [d, String(row[d as keyof UsageRow] ?? "—")]));
    return {
      ...dims,
      calls: row.calls,
      billable_calls: row.billable_calls,
      spend: row.spend,
      rate_limited: row.rate_limited,
      "p50 ms": row.latency_ms.p50 ?? "—",
      "p95 ms": row.latency_ms.p95 ?? "—",
    };
  });
}

/**
 * How much of a budget is used, 0..1: the larger of its calls and its spend share (a spent
 * budget is 1 whichever ran out).
 */
export function budgetShare(budget: Budget): number {
  if (budget.exhausted) return 1;
  const shares = [0];
  if (budget.max_billable_calls) shares.push(budget.billable_calls / budget.max_billable_calls);
  if (budget.max_spend && Number(budget.max_spend) > 0)
    shares.push(Number(budget.spend) / Number(budget.max_spend));
  return Math.min(1, Math.max(...shares));
}

/** A budget in words: "120 of 1000 calls, 2.40 of 25.00 this month (2026-11)". */
export function budgetText(budget: Budget): string {
  const parts: string[] = [];
  if (budget.max_billable_calls !== null)
    parts.push(`${budget.billable_calls} of ${budget.max_billable_calls} calls`);
  if (budget.max_spend !== null) parts.push(`${budget.spend} of ${budget.max_spend}`);
  return `${parts.join(", ")} this ${budget.period} (${budget.period_key})${budget.exhausted ? " — spent" : ""}`;
}
