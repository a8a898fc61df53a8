import { CATALOG } from "@facegate/core";
import type { Egress } from "@facegate/egress";
import { batchView, jobView, type Services } from "@facegate/jobs";
import { type Delivery, eventBody, sendWebhook, signingSecrets } from "@facegate/webhooks";
import { type Job, UnrecoverableError } from "bullmq";
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
  services: Services;
  egress: Egress;
  metrics: WorkerMetrics;
}

/**
 * One attempt at one delivery. Success and permanent outcomes are recorded and end the job;
 * other failures throw so BullMQ retries on the schedule. The last attempt records `failed`
 * instead of leaving the delivery pending.
 */
export function deliverWebhookHandler(deps: DeliverWebhookDeps) {
  const { services } = deps;
  return async (job: Job) => {
    const { deliveryId } = CATALOG["deliver-webhook"].payload.parse(job.data);
    const delivery = await services.deliveries.get(deliveryId);
    if (!delivery || delivery.status !== "pending") return { skipped: delivery?.status ?? "gone" };
    const log = services.logger.child({
      deliveryId,
      jobId: delivery.event.jobId,
      event: delivery.event.type,
    });

    const target = await resolveTarget(delivery);
    if ("disabled" in target) {
      await finish(delivery, "failed", target.disabled);
      return { skipped: "endpoint disabled" };
    }
    const body = eventBody(delivery.event, await render(delivery));
    const result = await sendWebhook(deps.egress, {
      url: delivery.target.url,
      webhookId: delivery.webhookId,
      body,
      secrets: target.secrets,
      timeoutMs: services.config.webhooks.timeoutMs,
    });
    const manual = job.id?.includes(".manual") ?? false;
    await services.deliveries.addAttempt(delivery.id, {
      at: Date.now(),
      status: result.status,
      latencyMs: result.latencyMs,
      ok: result.ok,
      error: result.error,
      response: result.response,
      manual,
    });
    delivery.attempts += 1;
    delivery.lastAttemptAt = Date.now();
    deps.metrics.webhookDelivery(result.ok ? "success" : result.gone ? "gone" : "failure", result.latencyMs);
    if (delivery.target.kind === "endpoint") {
      await services.endpoints.recordOutcome(delivery.tenant, delivery.target.endpointId, result.ok);
    }

    if (result.ok) {
      await finish(delivery, "succeeded");
      return { delivered: result.status };
    }
    if (result.gone) {
      if (delivery.target.kind === "endpoint") {
        await services.endpoints.disable(
          delivery.tenant,
          delivery.target.endpointId,
          "the receiver answered 410 Gone",
        );
      }
      await finish(delivery, "failed", "receiver answered 410 Gone");
      throw new UnrecoverableError("410 Gone");
    }
    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (lastAttempt) {
      await finish(delivery, "failed", result.error);
      log.warn({ status: result.status, error: result.error }, "webhook delivery failed for good");
      throw new UnrecoverableError(result.error ?? "delivery failed");
    }
    delivery.lastError = result.error;
    await services.deliveries.save(delivery);
    log.info({ status: result.status, error: result.error }, "webhook delivery failed, will retry");
    throw new DeliveryFailed(result.error ?? "delivery failed", result.retryAfterMs);
  };

  async function resolveTarget(delivery: Delivery): Promise<{ secrets: string[] } | { disabled: string }> {
    if (delivery.target.kind === "job_url") {
      return { secrets: signingSecrets(await services.tenantSecrets.get(delivery.tenant)) };
    }
    const endpoint = await services.endpoints.get(delivery.tenant, delivery.target.endpointId);
    if (!endpoint) return { disabled: "endpoint deleted" };
    if (endpoint.disabledAt) return { disabled: `endpoint disabled: ${endpoint.disabledReason ?? ""}` };
    return { secrets: services.endpoints.secrets(endpoint) };
  }

  /** The event's data, rendered now: the same object GET returns, with fresh presigned links. */
  async function render(delivery: Delivery): Promise<unknown> {
    const ttl = services.config.retention.presignTtlS;
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
