import type { Queues } from "@facegate/queue";
import { type Deliveries, type Delivery, type DeliveryTarget, deliveryIds } from "./deliveries";
import type { WebhookEndpoints } from "./endpoints";
import type { EventRef } from "./events";

export interface EmitDeps {
  deliveries: Deliveries;
  endpoints: WebhookEndpoints;
  queues: Queues;
  retryScheduleMs: number[];
}

/**
 * Fan an event out to its targets — the job's own `webhook_url` and the tenant's registered
 * endpoints that subscribe to it — as one delivery (and one BullMQ job) each. Idempotent:
 * ids are derived from the event and target, so emitting again adds nothing.
 */
export async function emitEvent(deps: EmitDeps, event: EventRef, webhookUrl?: string): Promise<Delivery[]> {
  const targets: DeliveryTarget[] = [];
  if (webhookUrl) targets.push({ kind: "job_url", url: webhookUrl });
  for (const endpoint of await deps.endpoints.subscribed(event.tenant, event.type)) {
    targets.push({ kind: "endpoint", endpointId: endpoint.id, url: endpoint.url });
  }
  const planned: Delivery[] = [];
  for (const target of targets) {
    const { id, webhookId } = deliveryIds(event, target);
    const delivery: Delivery = {
      id,
      webhookId,
      tenant: event.tenant,
      event,
      target,
      status: "pending",
      attempts: 0,
      createdAt: Date.now(),
    };
    await deps.deliveries.create(delivery);
    await enqueueDelivery(deps, id, deps.retryScheduleMs[0] ?? 0);
    planned.push(delivery);
  }
  return planned;
}

/** One BullMQ job per delivery; its attempts follow the retry schedule (see the worker's backoff). */
export async function enqueueDelivery(
  deps: Pick<EmitDeps, "queues" | "retryScheduleMs">,
  deliveryId: string,
  delayMs = 0,
  jobIdSuffix?: string,
): Promise<void> {
  await deps.queues.add(
    "webhooks",
    "deliver-webhook",
    { deliveryId },
    {
      jobId: jobIdSuffix ? `${deliveryId}.${jobIdSuffix}` : deliveryId,
      delay: delayMs,
      attempts: Math.max(1, deps.retryScheduleMs.length),
      backoff: { type: "webhook" },
    },
  );
}
