import { type NextFunction, type Request, type Response, Router } from "express";
import type { ApiContext } from "../context";
import { requireAdmin } from "../middleware/auth";
import { usageSnapshot } from "../usage/metrics-snapshot";

/**
 * Prometheus metrics of this process, plus queue depth and the oldest waiting job per queue
 * read from Redis at scrape time. Open while no ADMIN_API_KEY is set (the usual Prometheus
 * set-up on a private network); with one set, scrapers send it (bearer or basic auth).
 * Labels never carry keys or URLs; only the usage and budget gauges carry the tenant (a name the
 * operator chose), since spend per tenant is what they report.
 */
export function metricsRouter(ctx: ApiContext): Router {
  const router = Router();
  const { registry } = ctx.metrics;
  ctx.metrics.observeQueues(() => ctx.queues.all());
  ctx.metrics.observeUsage(() => usageSnapshot(ctx));
  const guard = ctx.config.api.adminKey
    ? requireAdmin(ctx)
    : (_req: Request, _res: Response, next: NextFunction) => next();
  router.get("/metrics", guard, async (_req, res) => {
    res.setHeader("content-type", registry.contentType);
    res.setHeader("cache-control", "no-store");
    res.send(await registry.metrics());
  });
  return router;
}
