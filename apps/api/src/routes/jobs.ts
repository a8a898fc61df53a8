import { isFinal } from "@facegate/core";
import { cancelJob, createJob, eraseJob, jobView, outputAvailable, outputLink } from "@facegate/jobs";
import { type Request, type Response, Router } from "express";
import type { ApiContext } from "../context";
import { type AcceptedJob, acceptJson, acceptMultipart } from "../jobs/accept";
import { createOnce } from "../jobs/create-once";
import { loadJob as loadOwnJob } from "../jobs/load-job";
import { preferredWait } from "../jobs/prefer";
import { listJobsQuery } from "../jobs/schemas";
import { caller } from "../middleware/auth";
import { jobJsonLimit, jsonBody, noBody } from "../middleware/body-limits";
import { Problem } from "../problem";
import { refuseWhenBudgetSpent } from "../usage/budget-gate";

export function jobsRouter(ctx: ApiContext): Router {
  const router = Router();
  const view = (record: Parameters<typeof jobView>[0]) =>
    jobView(record, ctx.store, ctx.config.retention.presignTtlS);

  const loadJob = (req: Request, res: Response) => loadOwnJob(ctx, req, res);

  router.post("/v1/jobs", jsonBody(jobJsonLimit(ctx.config)), async (req, res) => {
    const { tenant } = caller(res);
    const requestId = res.locals.requestId as string;
    // `hop` lines: one job's path on a timeline at LOG_LEVEL=debug (bench/latency.bench.ts).
    ctx.logger.debug({ requestId, hop: "api accepted" }, "job request");
    const idempotencyKey = req.header("idempotency-key");
    if (idempotencyKey !== undefined && (idempotencyKey.length === 0 || idempotencyKey.length > 255)) {
      throw new Problem(400, "invalid_idempotency_key", "Idempotency-Key must be 1 to 255 characters");
    }
    const waitS = preferredWait(req.header("prefer"), ctx.config.api.maxWaitS);
    // Two reads on the request's path: made side by side.
    const [, open] = await Promise.all([refuseWhenBudgetSpent(ctx, tenant), ctx.records.openCount(tenant)]);
    if (open >= ctx.config.api.maxQueuedJobsPerTenant) {
      throw new Problem(
        429,
        "too_many_queued_jobs",
        `at most ${ctx.config.api.maxQueuedJobsPerTenant} unfinished jobs per tenant`,
        undefined,
        { "retry-after": "30" },
      );
    }

    let accepted: AcceptedJob;
    if (req.is("application/json")) accepted = await acceptJson(ctx, tenant, req.body, open);
    else if (req.is("multipart/form-data")) accepted = await acceptMultipart(ctx, tenant, req, open);
    else throw new Problem(415, "unsupported_media_type", "send application/json or multipart/form-data");

    ctx.logger.debug({ requestId, hop: "inputs stored" }, "job inputs stored");
    let record = idempotencyKey
      ? await createOnce(ctx, tenant, idempotencyKey, accepted, requestId)
      : await createJob(ctx, { ...accepted.spec, requestId });

    // The wait is honoured whenever it is asked for, even when there is nothing to wait for (a
    // replay of a finished job): Preference-Applied says so, whatever the status.
    ctx.logger.debug({ requestId, jobId: record.id, hop: "enqueued" }, "job created");
    if (waitS !== undefined) {
      if (!isFinal(record.status)) {
        const id = record.id;
        // The wait's last read is the answer, when it found the job finished: the final write's
        // own notice carries the record, so the usual finish costs no read.
        let read = record;
        await ctx.feed.wait(id, waitS * 1000, async (told) => {
          read = told ?? (await ctx.records.get(id)) ?? read;
          return isFinal(read.status);
        });
        record = isFinal(read.status) ? read : ((await ctx.records.get(id)) ?? read);
      }
      res.setHeader("preference-applied", `wait=${waitS}`);
    }
    res.setHeader("location", `/v1/jobs/${record.id}`);
    res.status(isFinal(record.status) ? 200 : 202).json(await view(record));
    ctx.logger.debug({ requestId, jobId: record.id, hop: "answer sent" }, "job answered");
  });

  router.get("/v1/jobs", noBody, async (req, res) => {
    const { tenant } = caller(res);
    const parsed = listJobsQuery.safeParse(req.query);
    if (!parsed.success) throw Problem.validation(parsed.error, "query");
    const q = parsed.data;
    const options = {
      limit: q.limit,
      cursor: q.cursor,
      status: q.status,
      createdAfter: q.created_after ? Date.parse(q.created_after) : undefined,
      createdBefore: q.created_before ? Date.parse(q.created_before) : undefined,
    };
    let page: Awaited<ReturnType<typeof ctx.records.list>>;
    if (q.batch_id) {
      const owner = await ctx.batches.owner(q.batch_id);
      if (owner !== tenant) throw new Problem(404, "not_found", "no batch with this id");
      page = await ctx.records.listBatch(q.batch_id, options);
    } else {
      page = await ctx.records.list(tenant, options);
    }
    res.json({ data: await Promise.all(page.records.map(view)), next_cursor: page.nextCursor ?? null });
  });

  router.get("/v1/jobs/:id", noBody, async (req, res) => {
    res.json(await view(await loadJob(req, res)));
  });

  router.post("/v1/jobs/:id/cancel", noBody, async (req, res) => {
    const record = await loadJob(req, res);
    if (isFinal(record.status)) {
      throw new Problem(
        409,
        "job_already_finished",
        `the job already ${record.status === "canceled" ? "was canceled" : record.status}`,
      );
    }
    res.json(await view(await cancelJob(ctx, record)));
  });

  router.delete("/v1/jobs/:id", noBody, async (req, res) => {
    const record = await loadJob(req, res);
    res.json(await view(await eraseJob(ctx, record)));
  });

  router.get("/v1/jobs/:id/output", noBody, async (req, res) => {
    const record = await loadJob(req, res);
    if (record.erasedAt) throw new Problem(410, "erased", "the job's data was erased");
    if (record.output && !outputAvailable(record)) {
      throw new Problem(410, "output_expired", "the output was deleted after its retention period");
    }
    if (!record.output) {
      throw new Problem(
        409,
        "no_output",
        record.status === "succeeded"
          ? "the output is no longer retained"
          : `the job is ${record.status}; only succeeded jobs have an output`,
      );
    }
    // At most an hour, whatever PRESIGN_TTL_S says: a redirect is followed at once.
    const link = await outputLink(
      { ...record, output: record.output },
      ctx.store,
      Math.min(ctx.config.retention.presignTtlS, 3_600),
    );
    // A client that asks for JSON gets the link itself (a generated client cannot type a redirect
    // to bytes); everyone else is sent to it, with no body of our own.
    if (req.accepts(["application/octet-stream", "application/json"]) === "application/json") {
      res.json(link);
      return;
    }
    res.status(302).location(link.url).end();
  });

  return router;
}
