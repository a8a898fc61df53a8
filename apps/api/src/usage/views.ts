import { formatMoney } from "@facegate/core";
import { daysBetween, type UsageDimension, type UsageRow } from "@facegate/records";
import { Problem } from "../problem";

/** The longest span one usage question may cover (the roll-ups' retention bounds it further). */
const MAX_DAYS = 400;

export function usageRowView(row: UsageRow) {
  return {
    ...row.group,
    calls: row.calls,
    billable_calls: row.billableCalls,
    spend: formatMoney(row.spendMicros),
    rate_limited: row.rateLimited,
    latency_ms: { p50: row.latencyP50Ms ?? null, p95: row.latencyP95Ms ?? null },
  };
}

/** The days a usage query covers: `from`..`to` (UTC), by default this month up to today. */
export function usageDays(query: { from?: string | undefined; to?: string | undefined }): {
  from: string;
  to: string;
  days: string[];
} {
  const today = new Date().toISOString().slice(0, 10);
  const to = query.to ?? today;
  const from = query.from ?? `${to.slice(0, 7)}-01`;
  const fromMs = Date.parse(`${from}T00:00:00Z`);
  const toMs = Date.parse(`${to}T00:00:00Z`);
  if (toMs < fromMs) throw new Problem(422, "validation_failed", "`to` is before `from`");
  if ((toMs - fromMs) / 86_400_000 + 1 > MAX_DAYS)
    throw new Problem(422, "validation_failed", `at most ${MAX_DAYS} days per question`);
  return { from, to, days: daysBetween(fromMs, toMs) };
}

export function usageAnswer(
  range: { from: string; to: string },
  groupBy: readonly UsageDimension[],
  result: { rows: UsageRow[]; total: UsageRow },
) {
  return {
    from: range.from,
    to: range.to,
    group_by: groupBy,
    data: result.rows.map(usageRowView),
    total: usageRowView(result.total),
  };
}
