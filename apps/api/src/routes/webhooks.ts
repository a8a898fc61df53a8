import { type Delivery, EVENT_TYPES, enqueueDelivery, type WebhookEndpoint } from "@facegate/webhooks";
import { type Response, Router } from "express";
import { z } from "zod";
import type { ApiContext } from "../context";
import { caller } from "../middleware/auth";
import { jsonBody, noBody, SMALL_JSON_LIMIT } from "../middleware/body-limits";
import { Problem } from "../problem";

export const createEndpointBody = z.strictObject({
  url: z.string().max(2048),
  events: z
    .array(z.enum(EVENT_TYPES))
    .max(EVENT_TYPES.length)
    .default([])
    .describe("Event types; empty for all."),
  description: z.string().max(500).optional(),
});

const idParam = (prefix: string) => z.string().regex(new RegExp(`^${prefix}_[0-9a-z]{29}$`));

/** The public shape of an endpoint; the secret only when asked for (creation, rotation). */
function endpointView(e: WebhookEndpoint, withSecret = false) {
  return {
    id: e.id,
    object: "webhook_endpoint" as const,
    url: e.url,
    events: e.events,
    description: e.description ?? null,
    created_at: new Date(e.createdAt).toISOString(),
    failing_since: e.failingSince ? new Date(e.failingSince).toISOString() : null,
    disabled_at: e.disabledAt ? new Date(e.disabledAt).toISOString() : null,
    disabled_reason: e.disabledReason ?? null,
    previous_secret_valid_until:
      e.previousSecretUntil && e.previousSecretUntil > Date.now()
        ? new Date(e.previousSecretUntil).toISOString()
        : null,
    ...(withSecret ? { secret: e.secret } : {}),
  };
}

/** Webhook secrets, registered endpoints, the delivery log and manual redelivery. */
export function webhooksRouter(ctx: ApiContext): Router {
  const router = Router();
  const json = jsonBody(SMALL_JSON_LIMIT);

  async function endpoint(res: Response, id: string | undefined) {
    const parsed = idParam("whe").safeParse(id);
    const found = parsed.success ? await ctx.endpoints.get(caller(res).tenant, parsed.data) : undefined;
    if (!found) throw new Problem(404, "not_found", "no webhook endpoint with this id");
    return found;
  }

  async function delivery(res: Response, id: string | undefined) {
    const parsed = idParam("dlv").safeParse(id);
    const found = parsed.success
      ? await ctx.deliveries.getForTenant(caller(res).tenant, parsed.data)
      : undefined;
    if (!found) throw new Problem(404, "not_found", "no delivery with this id");
    return found;
  }

  /** A delivery with every attempt, newest last. The URL is not shown: it may carry a token. */
  async function deliveryView(d: Delivery) {
    return {
      id: d.id,
      object: "delivery" as const,
      webhook_id: d.webhookId,
      event: d.event.type,
      job_id: d.event.jobId ?? null,
      batch_id: d.event.batchId ?? null,
      target: d.target.kind === "endpoint" ? { endpoint_id: d.target.endpointId } : { webhook_url: true },
      status: d.status,
      attempts: (await ctx.deliveries.attempts(d.id)).map((a) => ({
        at: new Date(a.at).toISOString(),
        status: a.status ?? null,
        latency_ms: a.latencyMs,
        ok: a.ok,
        error: a.error ?? null,
        response: a.response ?? null,
        manual: a.manual ?? false,
      })),
      created_at: new Date(d.createdAt).toISOString(),
      last_attempt_at: d.lastAttemptAt ? new Date(d.lastAttemptAt).toISOString() : null,
      finished_at: d.finishedAt ? new Date(d.finishedAt).toISOString() : null,
      last_error: d.lastError ?? null,
    };
  }

  router.get("/v1/webhook-secret", noBody, async (_req, res) => {
    const state = await ctx.tenantSecrets.get(caller(res).tenant);
    res.json({
      secret: state.current,
      previous_valid_until: state.previousUntil ? new Date(state.previousUntil).toISOString() : null,
    });
  });

  router.post("/v1/webhook-secret/rotate", noBody, async (_req, res) => {
    const state = await ctx.tenantSecrets.rotate(caller(res).tenant);
    res.json({ secret: state.current, previous_valid_until: new Date(state.previousUntil!).toISOString() });
  });

  router.post("/v1/webhook-endpoints", json, async (req, res) => {
    if (!req.is("application/json"))
      throw new Problem(415, "unsupported_media_type", "send the endpoint as application/json");
    const parsed = createEndpointBody.safeParse(req.body);
    if (!parsed.success) throw Problem.validation(parsed.error);
    await ctx.egress.check(parsed.data.url);
    const created = await ctx.endpoints.create({ tenant: caller(res).tenant, ...parsed.data });
    res.status(201).json(endpointView(created, true));
  });

  router.get("/v1/webhook-endpoints", noBody, async (_req, res) => {
    const list = await ctx.endpoints.list(caller(res).tenant);
    res.json({ data: list.map((e) => endpointView(e)) });
  });

  router.get("/v1/webhook-endpoints/:id", noBody, async (req, res) => {
    res.json(endpointView(await endpoint(res, req.params.id)));
  });

  router.delete("/v1/webhook-endpoints/:id", noBody, async (req, res) => {
    const found = await endpoint(res, req.params.id);
    await ctx.endpoints.delete(found.tenant, found.id);
    res.status(204).end();
  });

  router.post("/v1/webhook-endpoints/:id/rotate-secret", noBody, async (req, res) => {
    const found = await endpoint(res, req.params.id);
    res.json(endpointView((await ctx.endpoints.rotateSecret(found.tenant, found.id))!, true));
  });

  router.post("/v1/webhook-endpoints/:id/enable", noBody, async (req, res) => {
    const found = await endpoint(res, req.params.id);
    res.json(endpointView((await ctx.endpoints.enable(found.tenant, found.id))!));
  });

  router.get("/v1/jobs/:id/deliveries", noBody, async (req, res) => {
    const id = idParam("job").safeParse(req.params.id);
    const record = id.success ? await ctx.records.getForTenant(caller(res).tenant, id.data) : undefined;
    if (!record) throw new Problem(404, "not_found", "no job with this id");
    const deliveries = await ctx.deliveries.forJob(record.id);
    res.json({ data: await Promise.all(deliveries.map(deliveryView)) });
  });

  router.get("/v1/deliveries/:id", noBody, async (req, res) => {
    res.json(await deliveryView(await delivery(res, req.params.id)));
  });

  router.post("/v1/deliveries/:id/retry", noBody, async (req, res) => {
    const found = await delivery(res, req.params.id);
    if (found.status === "pending")
      throw new Problem(409, "delivery_pending", "the delivery is still being retried");
    if (found.target.kind === "endpoint") {
      const target = await ctx.endpoints.get(found.tenant, found.target.endpointId);
      if (!target) throw new Problem(409, "endpoint_deleted", "the delivery's endpoint was deleted");
      if (target.disabledAt) {
        throw new Problem(
          409,
          "endpoint_disabled",
          `the endpoint is disabled (${target.disabledReason ?? "no reason recorded"}); enable it first with POST /v1/webhook-endpoints/${target.id}/enable`,
        );
      }
    }
    // A replay: same webhook-id, so receivers that already processed it can tell. One attempt.
    found.status = "pending";
    found.finishedAt = undefined;
    await ctx.deliveries.save(found);
    await enqueueDelivery(ctx.webhooks, found.id, { manual: true });
    res.status(202).json(await deliveryView(found));
  });

  return router;
}
