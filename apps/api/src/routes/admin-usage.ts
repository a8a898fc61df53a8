import { formatMoney, parseMoney } from "@facegate/core";
import { adminUsageQuery, budgetBody, tenantParam } from "@facegate/core/api-schemas";
import { budgetView } from "@facegate/jobs";
import { dayOf, monthOf, readUsage } from "@facegate/records";
import { Router } from "express";
import type { ApiContext } from "../context";
import { jsonBody, noBody, SMALL_JSON_LIMIT } from "../middleware/body-limits";
import { Problem } from "../problem";
import { usageAnswer, usageDays } from "../usage/views";

/**
 * Operator routes over every tenant's usage and budgets (admin key; mounted after the admin
 * check): `/v1/admin/usage`, `/v1/admin/tenants` and `/v1/admin/tenants/{tenant}/budget`.
 */
export function adminUsageRouter(ctx: ApiContext): Router {
  const router = Router();

  router.get("/v1/admin/usage", noBody, async (req, res) => {
    const query = adminUsageQuery.safeParse(req.query);
    if (!query.success) throw Problem.validation(query.error, "query");
    const range = usageDays(query.data);
    const groupBy = query.data.group_by ?? ["tenant"];
    const tenants = query.data.tenant ? [query.data.tenant] : await ctx.ledger.tenants();
    res.json(usageAnswer(range, groupBy, await readUsage(ctx.redis, ctx.keys, tenants, range.days, groupBy)));
  });

  router.get("/v1/admin/tenants", noBody, async (_req, res) => {
    const known = new Set([...(await ctx.ledger.tenants()), ...(await ctx.records.tenants())]);
    const data = await Promise.all([...known].sort().map((tenant) => tenantSummary(ctx, tenant)));
    res.json({ data });
  });

  router.get("/v1/admin/tenants/:tenant/budget", noBody, async (req, res) => {
    const tenant = parseTenant(req.params);
    const status = await ctx.budgets.status(tenant);
    if (!status) throw new Problem(404, "not_found", "this tenant has no budget");
    res.json(budgetView(tenant, status));
  });

  router.put("/v1/admin/tenants/:tenant/budget", jsonBody(SMALL_JSON_LIMIT), async (req, res) => {
    const tenant = parseTenant(req.params);
    if (!req.is("application/json"))
      throw new Problem(415, "unsupported_media_type", "send the budget as application/json");
    const parsed = budgetBody.safeParse(req.body);
    if (!parsed.success) throw Problem.validation(parsed.error);
    const b = parsed.data;
    await ctx.budgets.set(tenant, {
      period: b.period,
      maxBillableCalls: b.max_billable_calls,
      maxSpendMicros: b.max_spend !== undefined ? parseMoney(b.max_spend) : undefined,
      alertAt: b.alert_at,
    });
    res.json(budgetView(tenant, (await ctx.budgets.status(tenant))!));
  });

  router.delete("/v1/admin/tenants/:tenant/budget", noBody, async (req, res) => {
    const tenant = parseTenant(req.params);
    if (!(await ctx.budgets.delete(tenant))) throw new Problem(404, "not_found", "this tenant has no budget");
    res.status(204).end();
  });

  return router;
}

function parseTenant(params: unknown): string {
  const parsed = tenantParam.safeParse(params);
  if (!parsed.success) throw new Problem(404, "not_found", "no such tenant");
  return parsed.data.tenant;
}

/** A tenant's open jobs, budget and spend this period (the budget's period, else this month). */
async function tenantSummary(ctx: ApiContext, tenant: string) {
  const now = Date.now();
  const [openJobs, status] = await Promise.all([
    ctx.records.openCount(tenant),
    ctx.budgets.status(tenant, now),
  ]);
  const days =
    status?.period === "day"
      ? [dayOf(now)]
      : Array.from(
          { length: new Date(now).getUTCDate() },
          (_, i) => `${monthOf(now)}-${String(i + 1).padStart(2, "0")}`,
        );
  const { total } = await readUsage(ctx.redis, ctx.keys, [tenant], days, []);
  return {
    tenant,
    open_jobs: openJobs,
    budget: status ? budgetView(tenant, status) : null,
    spend_this_period: formatMoney(total.spendMicros),
    billable_calls_this_period: total.billableCalls,
  };
}
