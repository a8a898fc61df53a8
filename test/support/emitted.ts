import { isFinal } from "@facegate/core";
import type { Services } from "@facegate/jobs";
import { until } from "./until";

/**
 * Wait until a job (or batch) is final and its events have left the outbox: every delivery it will
 * ever have is then created. A test asserting that no webhook was planned or sent waits on this
 * instead of sleeping, so a bug that is merely slow still fails it.
 */
export async function untilEmitted(
  ctx: Pick<Services, "records" | "redis" | "keys">,
  id: string,
  timeoutMs = 15_000,
): Promise<void> {
  await until(
    async () => {
      if (id.startsWith("job_")) {
        const record = await ctx.records.get(id);
        if (!record || !isFinal(record.status)) return false;
      }
      return (await ctx.redis.zscore(ctx.keys.outbox, id)) === null;
    },
    timeoutMs,
    `events of ${id} emitted`,
  );
}

/** Wait until a delivery's queue job has ended (no attempt of it is waiting, delayed or running). */
export async function untilDeliveryEnded(ctx: Pick<Services, "queues">, deliveryId: string): Promise<void> {
  const queue = ctx.queues.get("webhooks");
  await until(
    async () => ["completed", "failed", "unknown"].includes(await queue.getJobState(deliveryId)),
    15_000,
    `delivery ${deliveryId} ended`,
  );
}

/** Wait until no webhook delivery is waiting, delayed or running: every planned one has been sent. */
export async function untilWebhooksIdle(ctx: Pick<Services, "queues">, timeoutMs = 15_000): Promise<void> {
  const queue = ctx.queues.get("webhooks");
  await until(
    async () => {
      const counts = await queue.getJobCounts(
        "waiting",
        "delayed",
        "active",
        "prioritized",
        "waiting-children",
      );
      return Object.values(counts).every((n) => n === 0);
    },
    timeoutMs,
    "webhook queue idle",
  );
}
