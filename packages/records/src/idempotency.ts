import type { RedisClient } from "./redis-client";
import type { RedisKeys } from "./redis-keys";

/** How long an Idempotency-Key is remembered. */
export const IDEMPOTENCY_TTL_S = 86_400;

export type IdempotencyClaim =
  | { status: "new" }
  | { status: "replay"; jobId: string }
  | { status: "mismatch" }
  | { status: "in_progress" };

/**
 * `Idempotency-Key` for POST /v1/jobs (draft-ietf-httpapi-idempotency-key): the first request
 * with a key claims it with its body's fingerprint; a repeat with the same fingerprint gets
 * the same job, a different body is refused (422), a repeat while the first is still being
 * accepted is told so (409).
 */
export class IdempotencyKeys {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
  ) {}

  async claim(tenant: string, key: string, fingerprint: string): Promise<IdempotencyClaim> {
    const redisKey = this.keys.idempotency(tenant, key);
    const claimed = await this.redis.set(
      redisKey,
      JSON.stringify({ fingerprint }),
      "EX",
      IDEMPOTENCY_TTL_S,
      "NX",
    );
    if (claimed === "OK") return { status: "new" };
    const doc = await this.redis.get(redisKey);
    if (!doc) return this.claim(tenant, key, fingerprint);
    const entry = JSON.parse(doc) as { fingerprint: string; jobId?: string };
    if (entry.fingerprint !== fingerprint) return { status: "mismatch" };
    return entry.jobId ? { status: "replay", jobId: entry.jobId } : { status: "in_progress" };
  }

  async complete(tenant: string, key: string, fingerprint: string, jobId: string): Promise<void> {
    await this.redis.set(
      this.keys.idempotency(tenant, key),
      JSON.stringify({ fingerprint, jobId }),
      "EX",
      IDEMPOTENCY_TTL_S,
    );
  }

  /** The request failed before a job existed: let the key be used again. */
  async release(tenant: string, key: string): Promise<void> {
    await this.redis.del(this.keys.idempotency(tenant, key));
  }
}
