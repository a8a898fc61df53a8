import { Router } from "express";
import { loadBatch } from "../batches/load-batch";
import type { ApiContext } from "../context";
import { followBatch } from "../events/batch-events";
import { EventStream } from "../events/event-stream";
import { followJob } from "../events/job-events";
import { loadJob } from "../jobs/load-job";
import { caller } from "../middleware/auth";
import { noBody } from "../middleware/body-limits";

/**
 * Server-Sent Events: a job's progress until it is final, a batch's counts until it completes.
 * Ownership is checked before the stream opens, so a foreign or unknown id is a plain 404.
 */
export function eventsRouter(ctx: ApiContext, options: { heartbeatMs?: number } = {}): Router {
  const router = Router();

  router.get("/v1/jobs/:id/events", noBody, async (req, res) => {
    const record = await loadJob(ctx, req, res);
    followJob(ctx, record.id, new EventStream(req, res, options.heartbeatMs));
  });

  router.get("/v1/batches/:id/events", noBody, async (req, res) => {
    const batch = await loadBatch(ctx, res, req.params.id);
    followBatch(ctx, batch.id, caller(res).tenant, new EventStream(req, res, options.heartbeatMs));
  });

  return router;
}
