import express, { type Express } from "express";
import helmet from "helmet";
import type { ApiContext } from "./context";
import { accessLog } from "./middleware/access-log";
import { authenticate, requireAdmin } from "./middleware/auth";
import { errorHandler } from "./middleware/errors";
import { rateLimitPerKey } from "./middleware/rate-limit";
import { requestId } from "./middleware/request-id";
import { Problem } from "./problem";
import { QUEUE_DASHBOARD_PATH, queueDashboard } from "./routes/admin";
import { adminKeysRouter } from "./routes/admin-keys";
import { adminUsageRouter } from "./routes/admin-usage";
import { batchesRouter } from "./routes/batches";
import { consoleRouter } from "./routes/console";
import { docsRouter } from "./routes/docs";
import { eventsRouter } from "./routes/events";
import { healthRouter } from "./routes/health";
import { jobsRouter } from "./routes/jobs";
import { metricsRouter } from "./routes/metrics";
import { thumbnailsRouter } from "./routes/thumbnails";
import { usageRouter } from "./routes/usage";
import { webhooksRouter } from "./routes/webhooks";

/** The HTTP API: thin routes over the shared services. Never calls a vendor. */
export function createApp(ctx: ApiContext): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", false);
  app.set("query parser", "simple");
  app.use(requestId(ctx.logger));
  app.use(helmet());
  app.use(accessLog(ctx.logger));

  app.use(healthRouter(ctx));
  app.use(metricsRouter(ctx));
  app.use(docsRouter());
  app.use(consoleRouter());
  app.use(QUEUE_DASHBOARD_PATH, queueDashboard(ctx));
  // Operator routes: the admin key, not a tenant's; they answer before tenant authentication.
  app.use("/v1/admin", requireAdmin(ctx));
  app.use(adminKeysRouter(ctx));
  app.use(adminUsageRouter(ctx));
  app.use("/v1/admin", (_req, _res, next) => next(new Problem(404, "not_found", "no such resource")));
  app.use("/v1", authenticate(ctx), rateLimitPerKey(ctx));
  app.use(jobsRouter(ctx));
  app.use(batchesRouter(ctx));
  app.use(eventsRouter(ctx));
  app.use(thumbnailsRouter(ctx));
  app.use(webhooksRouter(ctx));
  app.use(usageRouter(ctx));

  app.use((_req, _res, next) => next(new Problem(404, "not_found", "no such resource")));
  app.use(errorHandler(ctx.logger, ctx.redis));
  return app;
}
