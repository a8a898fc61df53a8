import { usageQuery } from "@facegate/core/api-schemas";
import { readUsage } from "@facegate/records";
import { Router } from "express";
import type { ApiContext } from "../context";
import { caller } from "../middleware/auth";
import { noBody } from "../middleware/body-limits";
import { Problem } from "../problem";
import { usageAnswer, usageDays } from "../usage/views";

/** `GET /v1/usage`: the calling tenant's vendor calls and spend, from the ledger's roll-ups. */
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
  return router;
}
