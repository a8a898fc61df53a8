import type { JobError, Operation, StoredInput, VendorId } from "@facegate/core";
import { SEAL_BATCH } from "./job-scripts";
import { LuaScript } from "./lua-script";
import type { RedisClient } from "./redis-client";
import type { RedisKeys } from "./redis-keys";

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
/** Prepared items read per page while a batch is expanded. */
const ITEMS_PAGE = 500;
const json = <T>(text: string | undefined, fallback: T): T => (text ? (JSON.parse(text) as T) : fallback);

/**
 * Batch records: one hash per batch (its fields and the live counters the job scripts keep),
 * a `targets` upload's prepared items until expansion, and each tenant's batch index.
 */
export class Batches {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    /** How long a completed batch's record and job index are kept. */
    private readonly retentionMs: number,
  ) {}

  /** Write a new batch, its prepared items and its place in the tenant's index in one step. */
  async create(fields: BatchFields, prepared: PreparedItem[] = []): Promise<void> {
    const key = this.keys.batch(fields.id);
    const multi = this.redis.multi().hset(key, {
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
      multi.rpush(this.keys.batchItems(fields.id), ...prepared.map((p) => JSON.stringify(p)));
    multi.zadd(this.keys.tenantBatches(fields.tenant), 0, fields.id);
    await multi.exec();
  }

  /** The batch with its counters; a `tenant` other than its own reads as missing. */
  async get(batchId: string, tenant?: string): Promise<BatchState | undefined> {
    const h = await this.redis.hgetall(this.keys.batch(batchId));
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

  /** The tenant a batch belongs to, without reading the rest. */
  async owner(batchId: string): Promise<string | undefined> {
    return (await this.redis.hget(this.keys.batch(batchId), "tenant")) ?? undefined;
  }

  /** A tenant's batch ids, newest first (ids sort by creation time), after `cursor` when given. */
  listIds(tenant: string, options: { limit: number; cursor?: string | undefined }): Promise<string[]> {
    return this.redis.zrevrangebylex(
      this.keys.tenantBatches(tenant),
      options.cursor ? `(${options.cursor}` : "+",
      "-",
      "LIMIT",
      0,
      options.limit,
    );
  }

  /** Its expansion began (the first time only: a resumed expansion keeps the first time). */
  async markStarted(batchId: string, at = Date.now()): Promise<void> {
    await this.redis.hsetnx(this.keys.batch(batchId), "startedAt", at);
  }

  /** Cancellation was asked for (the first time only). */
  async markCanceled(batchId: string, at = Date.now()): Promise<void> {
    await this.redis.hsetnx(this.keys.batch(batchId), "canceledAt", at);
  }

  async isCanceled(batchId: string): Promise<boolean> {
    return (await this.redis.hexists(this.keys.batch(batchId), "canceledAt")) === 1;
  }

  /** A `targets` upload's prepared items, in the order they were written. */
  async *preparedItems(batchId: string): AsyncGenerator<PreparedItem> {
    const key = this.keys.batchItems(batchId);
    for (let start = 0; ; start += ITEMS_PAGE) {
      const page = await this.redis.lrange(key, start, start + ITEMS_PAGE - 1);
      for (const text of page) yield JSON.parse(text) as PreparedItem;
      if (page.length < ITEMS_PAGE) return;
    }
  }

  /**
   * Every item is a job now: the batch completes once they are all final (maybe at once, then it
   * goes in the outbox in the same step). Its prepared items are dropped. True when it completed.
   */
  async seal(batchId: string): Promise<boolean> {
    const completed = await SEAL.run(
      this.redis,
      [this.keys.batch(batchId), this.keys.outbox],
      [Date.now(), batchId],
    );
    await this.redis.del(this.keys.batchItems(batchId));
    return completed === 1;
  }

  /** A completed batch's record and job index expire with retention, as job records do. */
  async expireWithRetention(batchId: string): Promise<void> {
    await this.redis
      .multi()
      .pexpire(this.keys.batch(batchId), this.retentionMs)
      .pexpire(this.keys.batchJobs(batchId), this.retentionMs)
      .exec();
  }
}
