import { jobOptions } from "@facegate/core";
import { listBatchesQuery, listBatchJobsQuery } from "@facegate/core/api-schemas";
import { batchView, jobView } from "@facegate/jobs";
import { queueJobId } from "@facegate/queue";
import { type Response, Router } from "express";
import { type AcceptedBatch, acceptBatchJson, acceptBatchMultipart, discardBatch } from "../batches/accept";
import { loadBatch } from "../batches/load-batch";
import { streamBatchOutput } from "../batches/output-zip";
import type { ApiContext } from "../context";
import { caller } from "../middleware/auth";
import { BATCH_JSON_LIMIT, jsonBody, noBody } from "../middleware/body-limits";
import { Problem } from "../problem";
import { refuseWhenBudgetSpent } from "../usage/budget-gate";

/** Bulk: many jobs sharing a template, accepted in one request and followed as one. */
export function batchesRouter(ctx: ApiContext): Router {
  const router = Router();

  const load = (res: Response, id: string | undefined) => loadBatch(ctx, res, id);
  const view = async (id: string) => (await batchView(ctx, id))!;

  router.post("/v1/batches", jsonBody(BATCH_JSON_LIMIT), async (req, res) => {
    const { tenant } = caller(res);
    await refuseWhenBudgetSpent(ctx, tenant);
    const open = await ctx.records.openCount(tenant);
    if (open >= ctx.config.api.maxQueuedJobsPerTenant) {
      throw new Problem(
        429,
        "too_many_queued_jobs",
        `at most ${ctx.config.api.maxQueuedJobsPerTenant} unfinished jobs per tenant`,
        undefined,
        { "retry-after": "60" },
      );
    }
    let accepted: AcceptedBatch;
    if (req.is("multipart/form-data")) accepted = await acceptBatchMultipart(ctx, tenant, req);
    else if (req.is("application/json")) accepted = await acceptBatchJson(ctx, tenant, req.body);
    else throw new Problem(415, "unsupported_media_type", "send multipart/form-data or application/json");

    const { fields, prepared } = accepted;
    if (open + fields.expected > ctx.config.api.maxQueuedJobsPerTenant) {
      await discardBatch(ctx, tenant, fields.id, prepared);
      throw new Problem(
        429,
        "too_many_queued_jobs",
        `this batch would take the tenant past ${ctx.config.api.maxQueuedJobsPerTenant} unfinished jobs`,
        undefined,
        { "retry-after": "60" },
      );
    }
    await ctx.batches.create(fields, prepared);
    await ctx.queues.add(
      "batches",
      "expand-batch",
      { batchId: fields.id },
      {
        jobId: queueJobId(fields.id, "expand"),
        ...jobOptions("expand-batch", ctx.config),
      },
    );
    res.setHeader("location", `/v1/batches/${fields.id}`);
    res.status(202).json(await view(fields.id));
  });

  router.get("/v1/batches", noBody, async (req, res) => {
    const parsed = listBatchesQuery.safeParse(req.query);
    if (!parsed.success) throw Problem.validation(parsed.error, "query");
    const { limit, cursor } = parsed.data;
    // Ids sort by creation time: the tenant's index read backwards is newest first.
    const ids = await ctx.batches.listIds(caller(res).tenant, { limit, cursor });
    const views = await Promise.all(ids.map((id) => batchView(ctx, id, caller(res).tenant)));
    const data = views.filter((v) => v !== undefined);
    res.json({ data, next_cursor: ids.length === limit ? ids[ids.length - 1] : null });
  });

  router.get("/v1/batches/:id", noBody, async (req, res) => {
    const batch = await load(res, req.params.id);
    res.json(await view(batch.id));
  });

  router.get("/v1/batches/:id/jobs", noBody, async (req, res) => {
    const batch = await load(res, req.params.id);
    const parsed = listBatchJobsQuery.safeParse(req.query);
    if (!parsed.success) throw Problem.validation(parsed.error, "query");
    const page = await ctx.records.listBatch(batch.id, parsed.data);
    const ttl = ctx.config.retention.presignTtlS;
    res.json({
      data: await Promise.all(page.records.map((r) => jobView(r, ctx.store, ttl))),
      next_cursor: page.nextCursor ?? null,
    });
  });

  router.post("/v1/batches/:id/cancel", noBody, async (req, res) => {
    const batch = await load(res, req.params.id);
    if (batch.completedAt)
      throw new Problem(409, "batch_already_completed", "every item of this batch has finished");
    await ctx.batches.markCanceled(batch.id);
    await ctx.queues.add(
      "batches",
      "cancel-batch",
      { batchId: batch.id, erase: false },
      { jobId: queueJobId(batch.id, "cancel") },
    );
    res.status(202).json(await view(batch.id));
  });

  router.delete("/v1/batches/:id", noBody, async (req, res) => {
    const batch = await load(res, req.params.id);
    await ctx.batches.markCanceled(batch.id);
    await ctx.queues.add(
      "batches",
      "cancel-batch",
      { batchId: batch.id, erase: true },
      { jobId: queueJobId(batch.id, "erase") },
    );
    res.status(202).json(await view(batch.id));
  });

  router.get("/v1/batches/:id/output", noBody, async (req, res) => {
    const batch = await load(res, req.params.id);
    await streamBatchOutput(ctx, batch.id, res);
  });

  return router;
}
