import type { ApiContext } from "../context";
import { Problem } from "../problem";

/**
 * Refuse new work when the tenant's budget for this period is already spent (402). Workers
 * check again before every call, atomically; this only spares the upload of a doomed job.
 */
export async function refuseWhenBudgetSpent(ctx: ApiContext, tenant: string): Promise<void> {
  const status = await ctx.budgets.status(tenant);
  if (!status?.exhausted) return;
  throw new Problem(
    402,
    "budget_exhausted",
    `the budget for this ${status.period} (${status.periodKey}) is spent; jobs are refused until the next period or a new budget`,
  );
}
