import { jobOptions, type PolicySettings } from "@facegate/core";
import type { Queues } from "@facegate/queue";
import { type Deliveries, type Delivery, type DeliveryTarget, deliveryIds } from "./deliveries";
import type { WebhookEndpoints } from "./endpoints";
import type { EventRef } from "./events";

export interface EmitDeps {
  deliveries: Deliveries;
  endpoints: WebhookEndpoints;
  queues: Queues;
  /** The settings the delivery job's policy follows (WEBHOOK_RETRY_SCHEDULE). */
  settings: PolicySettings;
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
    const created = await deps.deliveries.create(delivery);
    // An existing delivery is enqueued again only while pending (the emitter died between the two
    // writes); BullMQ's job id makes that a no-op when its entry still exists. A finished one is
    // left alone: replays are the tenant's call (POST /v1/deliveries/{id}/retry).
    const existing = created ? delivery : await deps.deliveries.get(id);
    if (existing?.status !== "pending") continue;
    await enqueueDelivery(deps, id, { delayMs: deps.settings.webhooks.retryScheduleMs[0] ?? 0 });
    planned.push(existing);
  }
  return planned;
}

export interface EnqueueOptions {
  /** Wait before the first attempt. @defaultValue 0 */
  delayMs?: number;
  /** A manual replay: one attempt, under its own BullMQ id (the scheduled run may still be kept). */
  manual?: boolean;
}

/** The BullMQ job id of a manual replay carries this marker, so the attempt log can say so. */
export const MANUAL_MARKER = ".manual-";

/**
 * One BullMQ job per delivery; its attempts follow the retry schedule (see the worker's backoff).
 * A manual replay gets a single attempt: the tenant asked for one try now, not days of retries.
 */
export async function enqueueDelivery(
  deps: Pick<EmitDeps, "queues" | "settings">,
  deliveryId: string,
  options: EnqueueOptions = {},
): Promise<void> {
  await deps.queues.add(
    "webhooks",
    "deliver-webhook",
    { deliveryId },
    {
      jobId: options.manual ? `${deliveryId}${MANUAL_MARKER}${Date.now()}` : deliveryId,
      delay: options.delayMs ?? 0,
      ...jobOptions("deliver-webhook", deps.settings),
      ...(options.manual ? { attempts: 1 } : {}),
    },
  );
}
