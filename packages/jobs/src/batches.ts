import type { Operation, VendorId } from "@facegate/core";
import type { Services } from "./services";

/** A batch's own fields, kept in a Redis hash next to its live counters. */
export interface BatchFields {
  id: string;
  tenant: string;
  operation: Operation;
  vendor: VendorId | "auto";
  params: Record<string, unknown>;
  metadata: Record<string, string>;
  webhookUrl?: string | undefined;
  source: "targets" | "archive" | "manifest" | "items";
  createdAt: number;
}

const COUNTERS = ["total", "queued", "running", "succeeded", "failed", "canceled"] as const;

export async function createBatchRecord(services: Services, fields: BatchFields): Promise<void> {
  const key = services.keys.batch(fields.id);
  await services.redis
    .multi()
    .hset(key, {
      id: fields.id,
      tenant: fields.tenant,
      operation: fields.operation,
      vendor: fields.vendor,
      params: JSON.stringify(fields.params),
      metadata: JSON.stringify(fields.metadata),
      webhookUrl: fields.webhookUrl ?? "",
      source: fields.source,
      createdAt: fields.createdAt,
      ...Object.fromEntries(COUNTERS.map((c) => [c, 0])),
    })
    .zadd(services.keys.tenantBatches(fields.tenant), 0, fields.id)
    .exec();
}

/** The public shape of a batch: progress counts, times and an estimate of the time left. */
export async function batchView(services: Services, batchId: string, tenant?: string) {
  const h = await services.redis.hgetall(services.keys.batch(batchId));
  if (!h.id || (tenant !== undefined && h.tenant !== tenant)) return undefined;
  const counts = Object.fromEntries(COUNTERS.map((c) => [c, Number(h[c] ?? 0)])) as Record<
    (typeof COUNTERS)[number],
    number
  >;
  const done = counts.succeeded + counts.failed + counts.canceled;
  const createdAt = Number(h.createdAt);
  const completedAt = h.completedAt ? Number(h.completedAt) : undefined;
  const elapsed = Date.now() - createdAt;
  const remaining = counts.total - done;
  const etaMs = !completedAt && done > 0 && remaining > 0 ? Math.round((elapsed / done) * remaining) : null;
  return {
    id: h.id,
    object: "batch" as const,
    status: completedAt
      ? "completed"
      : h.canceledAt
        ? "canceling"
        : h.sealed === "1"
          ? "running"
          : "accepting",
    operation: h.operation,
    vendor: h.vendor,
    source: h.source,
    metadata: JSON.parse(h.metadata ?? "{}") as Record<string, string>,
    counts,
    progress: counts.total > 0 ? done / counts.total : 0,
    created_at: new Date(createdAt).toISOString(),
    completed_at: completedAt ? new Date(completedAt).toISOString() : null,
    estimated_seconds_left: etaMs === null ? null : Math.ceil(etaMs / 1000),
    error: h.error || null,
  };
}

export type BatchView = NonNullable<Awaited<ReturnType<typeof batchView>>>;
