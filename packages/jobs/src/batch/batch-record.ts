import type { JobError, Operation, StoredInput, VendorId } from "@facegate/core";
import { LuaScript, SEAL_BATCH } from "@facegate/records";
import type { Services } from "../services";

export type BatchSource = "targets" | "archive" | "manifest" | "items";

/** A batch's own fields, kept in a Redis hash next to its live counters. */
export interface BatchFields {
  id: string;
  tenant: string;
  operation: Operation;
  vendor: VendorId | "auto";
  params: Record<string, unknown>;
  metadata: Record<string, string>;
  webhookUrl?: string | undefined;
  /** Its items' faces are checked before any vendor call (docs/preflight.md). */
  preflight?: boolean | undefined;
  source: BatchSource;
  /** Where the source sits in S3 (archive, manifest), when it is one object. */
  sourceKey?: string | undefined;
  sourceBytes?: number | undefined;
  /** Items the source holds, as far as the API could count them before expansion. */
  expected: number;
  /** The template every item shares, already stored. */
  template?: StoredInput | undefined;
  createdAt: number;
}

/** One item of a `targets` upload, prepared by the API: its stored input, or why it cannot run. */
export interface PreparedItem {
  index: number;
  name: string;
  input?: StoredInput | undefined;
  error?: JobError | undefined;
}

export interface BatchState extends BatchFields {
  counts: Record<(typeof COUNTERS)[number], number>;
  sealed: boolean;
  completedAt?: number | undefined;
  canceledAt?: number | undefined;
  startedAt?: number | undefined;
  error?: string | undefined;
}

const COUNTERS = ["total", "queued", "running", "succeeded", "failed", "canceled"] as const;
const SEAL = new LuaScript(SEAL_BATCH);
const json = <T>(text: string | undefined, fallback: T): T => (text ? (JSON.parse(text) as T) : fallback);

export async function createBatchRecord(
  services: Services,
  fields: BatchFields,
  prepared: PreparedItem[] = [],
) {
  const key = services.keys.batch(fields.id);
  const multi = services.redis.multi().hset(key, {
    id: fields.id,
    tenant: fields.tenant,
    operation: fields.operation,
    vendor: fields.vendor,
    params: JSON.stringify(fields.params),
    metadata: JSON.stringify(fields.metadata),
    webhookUrl: fields.webhookUrl ?? "",
    preflight: fields.preflight ? "1" : "",
    source: fields.source,
    sourceKey: fields.sourceKey ?? "",
    sourceBytes: fields.sourceBytes ?? 0,
    expected: fields.expected,
    template: fields.template ? JSON.stringify(fields.template) : "",
    createdAt: fields.createdAt,
    ...Object.fromEntries(COUNTERS.map((c) => [c, 0])),
  });
  if (prepared.length > 0)
    multi.rpush(services.keys.batchItems(fields.id), ...prepared.map((p) => JSON.stringify(p)));
  multi.zadd(services.keys.tenantBatches(fields.tenant), 0, fields.id);
  await multi.exec();
}

export async function readBatch(
  services: Services,
  batchId: string,
  tenant?: string,
): Promise<BatchState | undefined> {
  const h = await services.redis.hgetall(services.keys.batch(batchId));
  if (!h.id || (tenant !== undefined && h.tenant !== tenant)) return undefined;
  return {
    id: h.id,
    tenant: h.tenant!,
    operation: h.operation as Operation,
    vendor: h.vendor as VendorId | "auto",
    params: json(h.params, {}),
    metadata: json(h.metadata, {}),
    webhookUrl: h.webhookUrl || undefined,
    preflight: h.preflight === "1" || undefined,
    source: h.source as BatchSource,
    sourceKey: h.sourceKey || undefined,
    sourceBytes: Number(h.sourceBytes ?? 0) || undefined,
    expected: Number(h.expected ?? 0),
    template: json<StoredInput | undefined>(h.template, undefined),
    createdAt: Number(h.createdAt),
    counts: Object.fromEntries(COUNTERS.map((c) => [c, Number(h[c] ?? 0)])) as BatchState["counts"],
    sealed: h.sealed === "1",
    completedAt: h.completedAt ? Number(h.completedAt) : undefined,
    canceledAt: h.canceledAt ? Number(h.canceledAt) : undefined,
    startedAt: h.startedAt ? Number(h.startedAt) : undefined,
    error: h.error || undefined,
  };
}

/** Every item is a job now: the batch completes once they are all final (maybe at once). */
export async function sealBatch(services: Services, batchId: string): Promise<boolean> {
  const completed = await SEAL.run(
    services.redis,
    [services.keys.batch(batchId), services.keys.outbox],
    [Date.now(), batchId],
  );
  await services.redis.del(services.keys.batchItems(batchId));
  return completed === 1;
}

/** The public shape of a batch: progress counts, times and an estimate of the time left. */
export async function batchView(services: Services, batchId: string, tenant?: string) {
  const b = await readBatch(services, batchId, tenant);
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
