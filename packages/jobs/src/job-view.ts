import type { JobRecord } from "@facegate/core";
import type { ObjectStore } from "@facegate/storage";

const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

/**
 * Whether the job's output can still be handed out: not erased, and not past OUTPUT_RETENTION_DAYS
 * (the retention sweep deletes the object at that time; the record keeps only its description).
 */
export function outputAvailable(record: JobRecord, now = Date.now()): boolean {
  return record.output !== undefined && !record.erasedAt && record.output.expiresAt > now;
}

/**
 * A fresh presigned link to a job's available output, valid `ttlS` seconds at most and never past
 * the output's retention (the link must not outlive the object's promise).
 */
export async function outputLink(
  record: JobRecord & { output: NonNullable<JobRecord["output"]> },
  store: ObjectStore,
  ttlS: number,
) {
  const ttl = Math.max(1, Math.min(ttlS, Math.floor((record.output.expiresAt - Date.now()) / 1000)));
  return {
    url: await store.presignGet(record.output.key, ttl, {
      filename: `${record.id}.${extension(record.output.contentType)}`,
    }),
    expires_at: new Date(Date.now() + ttl * 1000).toISOString(),
    content_type: record.output.contentType,
    bytes: record.output.bytes,
  };
}

/**
 * The public shape of a job: what GET /v1/jobs/{id} returns and what webhook events carry.
 * Output links are presigned afresh each time they are shown.
 */
export async function jobView(record: JobRecord, store: ObjectStore, presignTtlS: number) {
  let output = null;
  if (record.output && outputAvailable(record)) {
    const { output: stored } = record;
    const link = await outputLink({ ...record, output: stored }, store, presignTtlS);
    output = {
      url: link.url,
      expires_at: link.expires_at,
      retained_until: iso(stored.expiresAt),
      content_type: stored.contentType,
      bytes: stored.bytes,
      width: stored.width,
      height: stored.height,
      sha256: stored.sha256,
    };
  }
  return {
    id: record.id,
    object: "job" as const,
    operation: record.operation,
    vendor: { requested: record.vendorRequested, used: record.vendor ?? null },
    status: record.status,
    attempts: record.attempts,
    params: record.erasedAt ? {} : record.params,
    metadata: record.erasedAt ? {} : record.metadata,
    batch_id: record.batchId ?? null,
    item: record.item ? { index: record.item.index, name: record.item.name } : null,
    created_at: iso(record.createdAt),
    started_at: iso(record.startedAt),
    finished_at: iso(record.finishedAt),
    erased_at: iso(record.erasedAt),
    output,
    error: record.error
      ? {
          code: record.error.code,
          message: record.error.message,
          vendor: record.error.vendor ?? null,
          vendor_code: record.error.vendorCode ?? null,
          retryable: record.error.retryable,
        }
      : null,
    faces: record.erasedAt
      ? null
      : (record.faces?.target?.faces.map(({ x, y, width, height, score }) => ({
          x,
          y,
          width,
          height,
          score,
        })) ?? null),
    routing: record.routing.map((n) => ({
      vendor: n.vendor,
      outcome: n.outcome,
      reason: n.reason,
      at: iso(n.at),
    })),
  };
}

export type JobView = Awaited<ReturnType<typeof jobView>>;

export function extension(contentType: string): string {
  return contentType === "image/png" ? "png" : contentType === "image/webp" ? "webp" : "jpg";
}
