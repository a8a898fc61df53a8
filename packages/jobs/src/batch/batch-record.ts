import type { Services } from "../services";

/** The public shape of a batch: progress counts, times and an estimate of the time left. */
export async function batchView(services: Pick<Services, "batches">, batchId: string, tenant?: string) {
  const b = await services.batches.get(batchId, tenant);
  if (!b) return undefined;
  const counts = { ...b.counts, total: b.sealed ? b.counts.total : Math.max(b.counts.total, b.expected) };
  const done = counts.succeeded + counts.failed + counts.canceled;
  const started = b.startedAt ?? b.createdAt;
  const remaining = counts.total - done;
  const etaMs =
    !b.completedAt && done > 0 && remaining > 0 ? ((Date.now() - started) / done) * remaining : null;
  return {
    id: b.id,
    object: "batch" as const,
    status: b.completedAt ? "completed" : b.canceledAt ? "canceling" : b.sealed ? "running" : "accepting",
    operation: b.operation,
    vendor: b.vendor,
    source: b.source,
    metadata: b.metadata,
    counts,
    progress: counts.total > 0 ? done / counts.total : 0,
    created_at: new Date(b.createdAt).toISOString(),
    started_at: b.startedAt ? new Date(b.startedAt).toISOString() : null,
    completed_at: b.completedAt ? new Date(b.completedAt).toISOString() : null,
    canceled_at: b.canceledAt ? new Date(b.canceledAt).toISOString() : null,
    estimated_seconds_left: etaMs === null ? null : Math.ceil(etaMs / 1000),
    error: b.error ?? null,
  };
}

export type BatchView = NonNullable<Awaited<ReturnType<typeof batchView>>>;
