import type { RedisClient } from "./redis-client";
import type { RedisKeys } from "./redis-keys";
import { quantileMs } from "./usage-time";

export type UsageDimension = "tenant" | "vendor" | "operation" | "day" | "outcome";

export interface UsageRow {
  group: Partial<Record<UsageDimension, string>>;
  calls: number;
  billableCalls: number;
  spendMicros: number;
  rateLimited: number;
  latencyP50Ms: number | undefined;
  latencyP95Ms: number | undefined;
}

interface Sums {
  calls: number;
  billableCalls: number;
  spendMicros: number;
  rateLimited: number;
  latency: Map<number, number>;
}

const empty = (): Sums => ({
  calls: 0,
  billableCalls: 0,
  spendMicros: 0,
  rateLimited: 0,
  latency: new Map(),
});

/**
 * Sum the ledger's daily roll-ups of these tenants over these days, grouped by `groupBy` (in
 * that order; no dimension gives one row). Reads one hash per tenant and day.
 */
export async function readUsage(
  redis: RedisClient,
  keys: RedisKeys,
  tenants: readonly string[],
  days: readonly string[],
  groupBy: readonly UsageDimension[],
): Promise<{ rows: UsageRow[]; total: UsageRow }> {
  const reads = tenants.flatMap((tenant) => days.map((day) => ({ tenant, day })));
  const hashes = await Promise.all(reads.map(({ tenant, day }) => redis.hgetall(keys.usageDay(tenant, day))));
  const groups = new Map<string, { group: UsageRow["group"]; sums: Sums }>();
  const total = empty();
  for (const [i, hash] of hashes.entries()) {
    const { tenant, day } = reads[i]!;
    for (const [field, value] of Object.entries(hash)) {
      const [vendor, operation, outcome, metric] = field.split("|");
      if (!vendor || !operation || !outcome || !metric) continue;
      const all: Record<UsageDimension, string> = { tenant, vendor, operation, day, outcome };
      const group = Object.fromEntries(groupBy.map((d) => [d, all[d]]));
      const id = groupBy.map((d) => all[d]).join("\u0000");
      const entry = groups.get(id) ?? { group, sums: empty() };
      groups.set(id, entry);
      for (const sums of [entry.sums, total]) add(sums, metric, Number(value));
    }
  }
  const rows = [...groups.values()]
    .map(({ group, sums }) => toRow(group, sums))
    .sort((a, b) => compareGroups(a.group, b.group, groupBy));
  return { rows, total: toRow({}, total) };
}

function add(sums: Sums, metric: string, n: number): void {
  if (metric === "calls") sums.calls += n;
  else if (metric === "billable") sums.billableCalls += n;
  else if (metric === "spend") sums.spendMicros += n;
  else if (metric === "rate_limited") sums.rateLimited += n;
  else if (metric.startsWith("l")) {
    const bucket = Number(metric.slice(1));
    sums.latency.set(bucket, (sums.latency.get(bucket) ?? 0) + n);
  }
}

function toRow(group: UsageRow["group"], s: Sums): UsageRow {
  return {
    group,
    calls: s.calls,
    billableCalls: s.billableCalls,
    spendMicros: s.spendMicros,
    rateLimited: s.rateLimited,
    latencyP50Ms: quantileMs(s.latency, 0.5),
    latencyP95Ms: quantileMs(s.latency, 0.95),
  };
}

function compareGroups(a: UsageRow["group"], b: UsageRow["group"], dims: readonly UsageDimension[]): number {
  for (const d of dims) {
    const c = (a[d] ?? "").localeCompare(b[d] ?? "");
    if (c !== 0) return c;
  }
  return 0;
}
