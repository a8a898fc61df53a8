import { usageQuery } from "@facegate/core/api-schemas";
import { budgetView } from "@facegate/jobs";
import { readUsage } from "@facegate/records";
import { Router } from "express";
import type { ApiContext } from "../context";
import { caller } from "../middleware/auth";
import { noBody } from "../middleware/body-limits";
import { Problem } from "../problem";
import { usageAnswer, usageDays } from "../usage/views";

/**
 * `GET /v1/usage`: the calling tenant's vendor calls and spend, from the ledger's roll-ups;
 * `GET /v1/budget`: the budget the operator set for it, and what this period has used.
 */
export function usageRouter(ctx: ApiContext): Router {
  const router = Router();
  router.get("/v1/usage", noBody, async (req, res) => {
    const query = usageQuery.safeParse(req.query);
    if (!query.success) throw Problem.validation(query.error, "query");
    const range = usageDays(query.data);
    const groupBy = query.data.group_by ?? ["vendor"];
    const result = await readUsage(ctx.redis, ctx.keys, [caller(res).tenant], range.days, groupBy);
    res.json(usageAnswer(range, groupBy, result));
  });
  router.get("/v1/budget", noBody, async (_req, res) => {
    const tenant = caller(res).tenant;
    const status = await ctx.budgets.status(tenant);
    if (!status) throw new Problem(404, "not_found", "no budget is set for you");
    res.json(budgetView(tenant, status));
  });
  return router;
}
