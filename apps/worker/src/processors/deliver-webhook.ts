import { CATALOG, jobTimeoutMs } from "@facegate/core";
import type { Egress } from "@facegate/egress";
import { batchView, jobView, type Services } from "@facegate/jobs";
import {
  type Delivery,
  eventBody,
  MANUAL_MARKER,
  type SendResult,
  sendWebhook,
  signingSecrets,
} from "@facegate/webhooks";
import type { Job } from "bullmq";
import { isLastAttempt } from "../attempts";
import type { WorkerMetrics } from "../metrics";

/** A failed attempt that will be retried; carries Retry-After to the backoff. */
class DeliveryFailed extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "DeliveryFailed";
  }
}

export interface DeliverWebhookDeps {
  services: Pick<
    Services,
    "config" | "logger" | "records" | "batches" | "store" | "deliveries" | "endpoints" | "tenantSecrets"
  >;
  egress: Egress;
  metrics: WorkerMetrics;
}

type DeliveryOutcome = { delivered: number } | { failed: string } | { skipped: string };

/**
 * One attempt at one delivery. Final outcomes (success, 410, a disabled endpoint, the last
 * attempt) are recorded and returned; a failure with attempts left throws so BullMQ retries on
 * the schedule. Whatever happens on the last attempt, the delivery ends `failed`, never pending.
 */
export function deliverWebhookHandler(deps: DeliverWebhookDeps) {
  const { services } = deps;
  return async (job: Job): Promise<DeliveryOutcome> => {
    const { deliveryId } = CATALOG["deliver-webhook"].payload.parse(job.data);
    const lastAttempt = isLastAttempt(job);
    const delivery = await services.deliveries.get(deliveryId);
    if (delivery?.status !== "pending") return { skipped: delivery?.status ?? "gone" };
    try {
      return await attempt(job, delivery, lastAttempt);
    } catch (error) {
      if (error instanceof DeliveryFailed || !lastAttempt) throw error;
      // Something of ours broke (Redis, S3) on the last try: record it rather than leave it pending.
      services.logger.error({ err: error, deliveryId }, "webhook delivery broke on its last attempt");
      await finish(delivery, "failed", "internal error before sending; replay it when facegate is healthy");
      return { failed: "internal error" };
    }
  };

  async function attempt(job: Job, delivery: Delivery, lastAttempt: boolean): Promise<DeliveryOutcome> {
    const log = services.logger.child({
      deliveryId: delivery.id,
      jobId: delivery.event.jobId,
      requestId: delivery.event.requestId,
      event: delivery.event.type,
    });
    // Independent reads: one round trip to Redis instead of several on the way to the receiver.
    const [target, data] = await Promise.all([resolveTarget(delivery), render(delivery)]);
    if ("disabled" in target) {
      await finish(delivery, "failed", target.disabled);
      return { skipped: target.disabled };
    }
    const body = eventBody(delivery.event, data);
    const result = await sendWebhook(deps.egress, {
      url: delivery.target.url,
      webhookId: delivery.webhookId,
      body,
      secrets: target.secrets,
      timeoutMs: jobTimeoutMs("deliver-webhook", services.config),
    });
    await record(job, delivery, result);

    if (result.ok) {
      await finish(delivery, "succeeded");
      return { delivered: result.status! };
    }
    if (result.gone) {
      // 410 is the receiver saying "never again": a registered endpoint stops getting events.
      if (delivery.target.kind === "endpoint") {
        await services.endpoints.disable(
          delivery.tenant,
          delivery.target.endpointId,
          "the receiver answered 410 Gone",
        );
      }
      await finish(delivery, "failed", "the receiver answered 410 Gone");
      return { failed: "410 Gone" };
    }
    const error = result.error ?? "delivery failed";
    const health =
      delivery.target.kind === "endpoint"
        ? await services.endpoints.recordOutcome(delivery.target.endpointId, { ok: false, error })
        : undefined;
    if (health === "disabled") log.warn({ error }, "webhook endpoint disabled after failing for days");
    if (lastAttempt || health === "disabled" || health === "gone") {
      await finish(delivery, "failed", error);
      log.warn({ status: result.status, error }, "webhook delivery failed for good");
      return { failed: error };
    }
    delivery.lastError = error;
    await services.deliveries.save(delivery);
    log.info({ status: result.status, error }, "webhook delivery failed, will retry");
    throw new DeliveryFailed(error, result.retryAfterMs);
  }

  /** Log the attempt (what the tenant sees in GET /v1/jobs/{id}/deliveries) and count it. */
  async function record(job: Job, delivery: Delivery, result: SendResult) {
    await services.deliveries.addAttempt(delivery.id, {
      at: Date.now(),
      status: result.status,
      latencyMs: result.latencyMs,
      ok: result.ok,
      error: result.error,
      response: result.response,
      manual: job.id?.includes(MANUAL_MARKER) ?? false,
    });
    delivery.attempts += 1;
    delivery.lastAttemptAt = Date.now();
    deps.metrics.webhookDelivery(result.ok ? "success" : result.gone ? "gone" : "failure", result.latencyMs);
    if (result.ok && delivery.target.kind === "endpoint") {
      await services.endpoints.recordOutcome(delivery.target.endpointId, { ok: true });
    }
  }

  async function resolveTarget(delivery: Delivery): Promise<{ secrets: string[] } | { disabled: string }> {
    if (delivery.target.kind === "job_url") {
      return { secrets: signingSecrets(await services.tenantSecrets.get(delivery.tenant)) };
    }
    const endpoint = await services.endpoints.get(delivery.tenant, delivery.target.endpointId);
    if (!endpoint) return { disabled: "the endpoint was deleted" };
    if (endpoint.disabledAt)
      return { disabled: `the endpoint is disabled: ${endpoint.disabledReason ?? ""}` };
    return { secrets: services.endpoints.secrets(endpoint) };
  }

  /** The event's data, rendered now: the same object GET returns, with fresh presigned links. */
  async function render(delivery: Delivery): Promise<unknown> {
    const ttl = services.config.retention.presignTtlS;
    if (delivery.event.data !== undefined) return delivery.event.data;
    if (delivery.event.jobId) {
      const record = await services.records.get(delivery.event.jobId);
      return record ? jobView(record, services.store, ttl) : { id: delivery.event.jobId, erased: true };
    }
    if (delivery.event.batchId) {
      return (await batchView(services, delivery.event.batchId)) ?? { id: delivery.event.batchId };
    }
    return {};
  }

  async function finish(delivery: Delivery, status: "succeeded" | "failed", error?: string) {
    delivery.status = status;
    delivery.finishedAt = Date.now();
    delivery.lastError = error;
    await services.deliveries.save(delivery);
  }
}
