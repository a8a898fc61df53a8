import type { RedisClient } from "./redis-client";
import type { RedisKeys } from "./redis-keys";

/** A stored output, as the retention index names it. */
export interface IndexedOutput {
  jobId: string;
  /** Its object key in S3. */
  key: string;
}

/**
 * What the retention sweep deletes from S3: outputs scored by the time they expire, and prefixes
 * whose deletion failed (a storage outage) scored by when it was deferred. Both sorted sets are
 * only ever touched alone, so they carry no hash tag (docs/redis.md).
 */
export class RetentionIndex {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  /** File an output to be deleted at `expiresAt`. */
  async addOutput(output: IndexedOutput, expiresAt: number): Promise<void> {
    await this.redis.zadd(this.keys.outputs, expiresAt, member(output));
  }

  /** Take outputs out of the index (deleted, or never kept). */
  async removeOutputs(outputs: IndexedOutput[]): Promise<void> {
    if (outputs.length === 0) return;
    await this.redis.zrem(this.keys.outputs, ...outputs.map(member));
  }

  /** Outputs expired by `now`, the earliest first. */
  async expiredOutputs(now: number, limit: number): Promise<IndexedOutput[]> {
    const entries = await this.redis.zrangebyscore(this.keys.outputs, "-inf", now, "LIMIT", 0, limit);
    return entries.map((entry) => {
      const colon = entry.indexOf(":");
      return { jobId: entry.slice(0, colon), key: entry.slice(colon + 1) };
    });
  }

  /** An S3 prefix whose deletion failed, for the sweep to retry. */
  async deferDeletion(prefix: string, at = Date.now()): Promise<void> {
    await this.redis.zadd(this.keys.pendingCleanup, at, prefix);
  }

  /** Deferred prefixes, the longest waiting first. */
  deferredDeletions(limit: number): Promise<string[]> {
    return this.redis.zrange(this.keys.pendingCleanup, 0, limit - 1);
  }

  /** A deferred prefix is deleted now. */
  async deletionDone(prefix: string): Promise<void> {
    await this.redis.zrem(this.keys.pendingCleanup, prefix);
  }
}

const member = (output: IndexedOutput) => `${output.jobId}:${output.key}`;
