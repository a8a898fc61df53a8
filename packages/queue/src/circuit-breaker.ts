import type { RedisClient } from "@facegate/records";

/**
 * Vendor health shared by every worker: after `threshold` consecutive vendor-level failures
 * (unavailable, auth, quota) the circuit opens for `openMs`; `auto` routing skips an open
 * vendor. After that time one job may try again (half-open); a success closes it.
 */
export class CircuitBreaker {
  private readonly lastReset = new Map<string, number>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keyFor: (vendor: string) => string,
    private readonly threshold: number,
    private readonly openMs: number,
  ) {}

  async isOpen(vendor: string): Promise<boolean> {
    const until = Number(await this.redis.hget(this.keyFor(vendor), "openUntil"));
    return until > Date.now();
  }

  async recordFailure(vendor: string, reason: string): Promise<boolean> {
    this.lastReset.delete(vendor);
    const key = this.keyFor(vendor);
    const [[, failures]] = (await this.redis
      .multi()
      .hincrby(key, "failures", 1)
      .hset(key, "lastReason", reason)
      .pexpire(key, Math.max(this.openMs * 10, 600_000))
      .exec()) as [[null, number]];
    if (failures >= this.threshold) {
      await this.redis.hset(key, "openUntil", Date.now() + this.openMs, "failures", 0);
      return true;
    }
    return false;
  }

  /**
   * A success resets the count. At most once a second per vendor and process: every job
   * succeeding is the common case, and a reset a second late changes nothing that matters.
   */
  async recordSuccess(vendor: string): Promise<void> {
    const now = Date.now();
    if (now - (this.lastReset.get(vendor) ?? 0) < 1_000) return;
    this.lastReset.set(vendor, now);
    await this.redis.hdel(this.keyFor(vendor), "failures", "openUntil");
  }

  async state(vendor: string): Promise<{ open: boolean; failures: number; lastReason?: string }> {
    const h = await this.redis.hgetall(this.keyFor(vendor));
    const open = Number(h.openUntil ?? 0) > Date.now();
    return { open, failures: Number(h.failures ?? 0), ...(h.lastReason ? { lastReason: h.lastReason } : {}) };
  }
}
