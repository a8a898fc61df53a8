import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import type { Express, RequestHandler } from "express";
import helmet from "helmet";
import type { ApiContext } from "../context";
import { requireAdmin } from "../middleware/auth";

export const QUEUE_DASHBOARD_PATH = "/admin/queues";

/** bull-board is a same-origin app with inline styles; its web fonts (an outside host) stay blocked. */
const dashboardCsp = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'none'"],
  },
});

/**
 * The queue dashboard (bull-board) over every facegate queue, behind ADMIN_API_KEY: as a bearer
 * token, or as the basic-auth password a browser asks for. Mount at `QUEUE_DASHBOARD_PATH`.
 */
export function queueDashboard(ctx: ApiContext): RequestHandler[] {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: ctx.queues.all().map((queue) => new BullMQAdapter(queue)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: "facegate" } },
  });
  // bull-board is an express app of its own: it would announce itself (X-Powered-By) otherwise.
  const dashboard = adapter.getRouter() as Express;
  dashboard.disable("x-powered-by");
  return [requireAdmin(ctx), dashboardCsp, dashboard];
}
