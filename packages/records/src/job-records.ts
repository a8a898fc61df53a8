import { isFinal, type JobRecord, type JobStatus } from "@facegate/core";
import type { ClaimHold } from "./idempotency";
import { CREATE_JOB, UPDATE_JOB } from "./job-scripts";
import { LuaScript } from "./lua-script";
import type { RedisClient } from "./redis-client";
import type { RedisKeys } from "./redis-keys";

const CREATE = new LuaScript(CREATE_JOB);
const UPDATE = new LuaScript(UPDATE_JOB);

export interface VersionedRecord {
  record: JobRecord;
  version: string;
}

/** Input images a record holds until its job is final, by object key (`create`'s `held`). */
export type HeldInputs = ReadonlyMap<string, Buffer>;

export interface UpdateResult {
  record: JobRecord;
  /** The returned record's version, for a next `update` without reading again. */
  version: string;
  /** This update finished the job's batch (true exactly once per batch). */
  batchCompleted: boolean;
}

export interface ListOptions {
  limit: number;
  /** The last id of the previous page. */
  cursor?: string | undefined;
  status?: JobStatus | undefined;
  /** Inclusive bounds on creation time, epoch ms. */
  createdAfter?: number | undefined;
  createdBefore?: number | undefined;
}

/** The Idempotency-Key claim a job was to be created under is held by another request now. */
export class ClaimLost extends Error {
  constructor() {
    super("the Idempotency-Key claim was taken over by another request");
    this.name = "ClaimLost";
  }
}

/** Job records in Redis, updated by compare-and-set so concurrent writers never clobber. */
export class JobRecords {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly retentionMs: number,
  ) {}

  private batchKeys(record: JobRecord): [string, string] {
    const id = record.batchId ?? "-";
    return [this.keys.batch(id), this.keys.batchJobs(id)];
  }

  /**
   * Store a new record; the tenant's count of unfinished jobs after it, or 0 when it already
   * existed. Under an Idempotency-Key `claim`, throws `ClaimLost` when its owner no longer holds it.
   * `held` inputs are kept in the record until the job is final (`getWithInputs` reads them).
   */
  async create(record: JobRecord, claim?: ClaimHold, held?: HeldInputs): Promise<number> {
    const [batch, batchJobs] = this.batchKeys(record);
    const created = await CREATE.run(
      this.redis,
      [
        this.keys.job(record.id),
        this.keys.tenantJobs(record.tenant),
        this.keys.openJobs,
        batch,
        batchJobs,
        this.keys.tenantOpen(record.tenant),
        this.keys.tenants,
        claim?.key ?? this.keys.job(record.id),
      ],
      [
        record.id,
        JSON.stringify(record),
        record.status,
        String(record.createdAt),
        record.batchId ? "1" : "0",
        record.tenant,
        record.batchId ?? "",
        this.keys.jobChangedChannel,
        claim?.owner ?? "",
        held && held.size > 0
          ? JSON.stringify(
              Object.fromEntries([...held].map(([key, bytes]) => [key, bytes.toString("base64")])),
            )
          : "",
      ],
    );
    if (Number(created) === -1) throw new ClaimLost();
    return Number(created);
  }

  /** The record with its version, for an `update` that follows at once. */
  async getVersioned(id: string): Promise<VersionedRecord | undefined> {
    const [doc, version] = await this.redis.hmget(this.keys.job(id), "doc", "v");
    return doc && version ? { record: JSON.parse(doc) as JobRecord, version } : undefined;
  }

  /** `getVersioned`, and the inputs the record holds (none once the job is final), in one read. */
  async getWithInputs(id: string): Promise<(VersionedRecord & { held: HeldInputs }) | undefined> {
    const [doc, version, inputs] = await this.redis.hmget(this.keys.job(id), "doc", "v", "inputs");
    if (!doc || !version) return undefined;
    const held = new Map<string, Buffer>();
    for (const [key, base64] of Object.entries(JSON.parse(inputs ?? "{}") as Record<string, string>)) {
      held.set(key, Buffer.from(base64, "base64"));
    }
    return { record: JSON.parse(doc) as JobRecord, version, held };
  }

  async exists(id: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.job(id))) === 1;
  }

  async get(id: string): Promise<JobRecord | undefined> {
    const doc = await this.redis.hget(this.keys.job(id), "doc");
    return doc ? (JSON.parse(doc) as JobRecord) : undefined;
  }

  /** A tenant sees only its own jobs: a foreign id reads as missing. */
  async getForTenant(tenant: string, id: string): Promise<JobRecord | undefined> {
    const record = await this.get(id);
    return record?.tenant === tenant ? record : undefined;
  }

  async getMany(ids: string[]): Promise<JobRecord[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hget(this.keys.job(id), "doc");
    const results = (await pipeline.exec()) ?? [];
    return results.flatMap(([, doc]) => (typeof doc === "string" ? [JSON.parse(doc) as JobRecord] : []));
  }

  /**
   * Apply `change` to the current record and write it back if nobody wrote in between;
   * otherwise re-read and try again. `change` returns undefined to leave the record alone.
   */
  async update(
    id: string,
    change: (current: JobRecord) => JobRecord | undefined,
    /** A read the caller just made (`getVersioned`): saves reading again when nobody wrote since. */
    known?: VersionedRecord,
  ): Promise<UpdateResult | undefined> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const read = attempt === 0 && known ? known : await this.getVersioned(id);
      if (!read) return undefined;
      const { record: current, version } = read;
      const next = change(structuredClone(current));
      if (!next) return { record: current, version, batchCompleted: false };
      next.updatedAt = Date.now();
      const final = isFinal(next.status);
      const [batch] = this.batchKeys(next);
      const [ok, completed] = (await UPDATE.run(
        this.redis,
        [this.keys.job(id), this.keys.openJobs, batch, this.keys.tenantOpen(next.tenant), this.keys.outbox],
        [
          version,
          JSON.stringify(next),
          current.status,
          next.status,
          String(next.updatedAt),
          id,
          final && !isFinal(current.status) ? String(this.retentionMs) : "0",
          final ? "1" : "0",
          next.batchId ?? "",
          this.keys.jobChangedChannel,
          next.tenant,
        ],
      )) as [number, number];
      if (ok === 1)
        return { record: next, version: String(Number(version) + 1), batchCompleted: completed === 1 };
      if (ok === 0) return undefined;
    }
    throw new Error(`job ${id}: too many concurrent updates`);
  }

  /** Newest first. Ids sort by creation time, so the index is a lexicographic sorted set. */
  async list(tenant: string, options: ListOptions): Promise<{ records: JobRecord[]; nextCursor?: string }> {
    return this.listIndex(this.keys.tenantJobs(tenant), options);
  }

  async listBatch(
    batchId: string,
    options: ListOptions,
  ): Promise<{ records: JobRecord[]; nextCursor?: string }> {
    return this.listIndex(this.keys.batchJobs(batchId), options);
  }

  private async listIndex(
    index: string,
    options: ListOptions,
  ): Promise<{ records: JobRecord[]; nextCursor?: string }> {
    const records: JobRecord[] = [];
    let max = options.cursor
      ? `(${options.cursor}`
      : options.createdBefore
        ? `[${idBound(options.createdBefore + 1)}`
        : "+";
    const min = options.createdAfter ? `[${idBound(options.createdAfter)}` : "-";
    const pageSize = Math.max(options.limit * 2, 50);
    // Filters are applied after reading, so keep reading until the page is full or the index ends.
    for (let scanned = 0; records.length < options.limit && scanned < 20; scanned++) {
      const ids = await this.redis.zrevrangebylex(index, max, min, "LIMIT", 0, pageSize);
      if (ids.length === 0) break;
      const batch = await this.getMany(ids);
      for (const record of batch) {
        if (options.status && record.status !== options.status) continue;
        if (options.createdBefore && record.createdAt > options.createdBefore) continue;
        records.push(record);
        if (records.length === options.limit) break;
      }
      max = `(${ids[ids.length - 1]}`;
      if (ids.length < pageSize) break;
    }
    const last = records.length === options.limit ? records[records.length - 1] : undefined;
    return last ? { records, nextCursor: last.id } : { records };
  }

  /** A batch's job ids in item order (ids sort by item position). */
  batchJobIds(batchId: string): Promise<string[]> {
    return this.redis.zrange(this.keys.batchJobs(batchId), 0, -1);
  }

  /**
   * Drop index entries older than `before`: their records have expired with retention (records
   * expire by TTL; the indexes that list them are trimmed here, by the time inside the ids).
   */
  async pruneIndexes(before: number): Promise<number> {
    let pruned = 0;
    for (const tenant of await this.tenants()) {
      pruned += await this.redis.zremrangebylex(this.keys.tenantJobs(tenant), "-", `(${idBound(before)}`);
      pruned += await this.redis.zremrangebylex(
        this.keys.tenantBatches(tenant),
        "-",
        `(${idBound(before, "bat")}`,
      );
    }
    return pruned;
  }

  /** How many unfinished jobs a tenant has (its fair-share priority and its cap). */
  openCount(tenant: string): Promise<number> {
    return this.redis.zcard(this.keys.tenantOpen(tenant));
  }

  /** Unfinished jobs not updated since `before` (for the reconciler). */
  async staleOpenJobs(before: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.openJobs, "-inf", before, "LIMIT", 0, limit);
  }

  /** The reconciler looked at an unfinished job at `at` (only if it is still in the open index). */
  async touchOpenJob(id: string, at: number): Promise<void> {
    await this.redis.zadd(this.keys.openJobs, "XX", at, id);
  }

  /** Take a job whose record is gone out of the open index. */
  async forgetOpenJob(id: string): Promise<void> {
    await this.redis.zrem(this.keys.openJobs, id);
  }

  /** Tell waiters (`Prefer: wait`) a job is final. */
  async announceFinished(id: string, tenant: string): Promise<void> {
    await this.redis.publish(this.keys.finishedChannel, JSON.stringify({ id, tenant }));
  }

  /** A change no record write marks (an attempt starting, a wait), for live event streams. */
  async announceChange(change: { id: string; tenant: string; kind: string }): Promise<void> {
    await this.redis.publish(this.keys.jobChangedChannel, JSON.stringify(change));
  }

  /** Ask whichever worker runs this queue entry to abort it. */
  async requestCancel(queueJobId: string): Promise<void> {
    await this.redis.publish(this.keys.cancelChannel, queueJobId);
  }

  /** Every tenant that has had a job. */
  tenants(): Promise<string[]> {
    return this.redis.smembers(this.keys.tenants);
  }

  /** Outbox entries (finished job ids, completed batch ids) filed before `before`, oldest first. */
  outboxBefore(before: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(this.keys.outbox, "-inf", before, "LIMIT", 0, limit);
  }

  /** Outbox entries whose events are enqueued (and a job's inputs deleted): take them out. */
  async outboxDone(ids: string[]): Promise<void> {
    if (ids.length > 0) await this.redis.zrem(this.keys.outbox, ...ids);
  }
}

/** The smallest id created at `ms`: ids start with `job_` and the time in base 36. */
export function idBound(ms: number, prefix = "job"): string {
  return `${prefix}_${Math.max(0, ms).toString(36).padStart(9, "0")}`;
}
