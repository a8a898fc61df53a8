import { MICROS_PER_UNIT } from "@facegate/core";
import type { UsageSnapshot } from "@facegate/metrics";
import { monthOf, readUsage } from "@facegate/records";
import type { ApiContext } from "../context";

/** This month's usage per tenant, vendor and operation, and each budget's use, for `/metrics`. */
export async function usageSnapshot(ctx: ApiContext): Promise<UsageSnapshot> {
  const now = Date.now();
  const month = monthOf(now);
  const days = Array.from(
    { length: new Date(now).getUTCDate() },
    (_, i) => `${month}-${String(i + 1).padStart(2, "0")}`,
  );
  const tenants = await ctx.ledger.tenants();
  const { rows } = await readUsage(ctx.redis, ctx.keys, tenants, days, ["tenant", "vendor", "operation"]);
  const budgets = await Promise.all(
    tenants.map(async (tenant) => ({ tenant, status: await ctx.budgets.status(tenant, now) })),
  );
  return {
    usage: rows.map((r) => ({
      tenant: r.group.tenant!,
      vendor: r.group.vendor!,
      operation: r.group.operation!,
      calls: r.calls,
      billableCalls: r.billableCalls,
      spend: r.spendMicros / MICROS_PER_UNIT,
      rateLimited: r.rateLimited,
      latencyP50Ms: r.latencyP50Ms,
      latencyP95Ms: r.latencyP95Ms,
    })),
    budgets: budgets.flatMap(({ tenant, status }) => {
      if (!status) return [];
      const shares = [
        status.maxBillableCalls ? status.usedCalls / status.maxBillableCalls : 0,
        status.maxSpendMicros ? status.usedSpendMicros / status.maxSpendMicros : 0,
        status.exhausted ? 1 : 0,
      ];
      return [{ tenant, usedShare: Math.max(...shares) }];
    }),
  };
}
