import { setTimeout as sleep } from "node:timers/promises";
import type { RedisClient } from "@facegate/records";
import { LuaScript } from "@facegate/records";

/**
 * Spaces vendor calls so each credential's rate limit is used fully and rarely exceeded,
 * across every worker process (state in Redis, clock from Redis `TIME`).
 *
 * It is a GCRA ("virtual scheduling") per credential: each credential has the earliest time
 * its next call may start; a call takes the credential that frees up first and pushes that
 * time one interval on. A BullMQ-style fixed window would allow bursts at window edges that a
 * vendor counting over a rolling second refuses.
 *
 * KEYS[1]: hash credential index → next start (ms). ARGV: interval ms, credentials, max wait ms.
 * Returns {credential index (or -1 when the wait would exceed max), wait ms}.
 */
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local best, best_at = 0, nil
for i = 0, tonumber(ARGV[2]) - 1 do
  local at = tonumber(redis.call('HGET', KEYS[1], i) or '0')
  if best_at == nil or at < best_at then best, best_at = i, at end
end
local start = math.max(now, best_at)
local wait = start - now
if wait > tonumber(ARGV[3]) then return {-1, math.ceil(wait)} end
redis.call('HSET', KEYS[1], best, start + interval)
redis.call('PEXPIRE', KEYS[1], math.max(60000, math.ceil(interval * 4 + wait)))
return {best, math.ceil(wait)}
`;

/** KEYS[1]: the hash. ARGV: credential index, ms to hold it back from now. */
const HOLD = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_at = now + tonumber(ARGV[2])
local at = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if until_at > at then redis.call('HSET', KEYS[1], ARGV[1], until_at) end
redis.call('PEXPIRE', KEYS[1], math.max(60000, tonumber(ARGV[2]) * 2))
return until_at
`;

const ACQUIRE_SCRIPT = new LuaScript(ACQUIRE);
const HOLD_SCRIPT = new LuaScript(HOLD);

export interface PacerSlot {
  /** Which credential to use, or undefined when the next free slot is further than `maxWaitMs`. */
  credential: number | undefined;
  waitMs: number;
  /** Slots given up because this process reached them late (see `waitForSlot`). */
  missed?: number;
}

export class Pacer {
  /**
   * @param ratePerCredential calls per second each credential allows; 0 means unpaced.
   * @param margin share added to the interval, so send-time jitter up to margin × 1 s (30 ms at 3 %)
   *   never puts one call too many into a vendor's rolling second.
   */
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly credentials: number,
    private readonly ratePerCredential: number,
    private readonly margin = 0.03,
  ) {}

  get paced(): boolean {
    return this.ratePerCredential > 0;
  }

  async acquire(maxWaitMs: number): Promise<PacerSlot> {
    if (!this.paced) return { credential: Math.floor(Math.random() * this.credentials), waitMs: 0 };
    const interval = (1000 / this.ratePerCredential) * (1 + this.margin);
    const [credential, waitMs] = (await ACQUIRE_SCRIPT.run(
      this.redis,
      [this.key],
      [String(interval), String(this.credentials), String(maxWaitMs)],
    )) as [number, number];
    return { credential: credential < 0 ? undefined : credential, waitMs };
  }

  /**
   * Reserve a slot and sleep until it starts. A slot reached late (a busy event loop, a slow
   * Redis reply) is given up and another reserved: a call sent late would sit closer than one
   * interval to the calls already scheduled after it, and the vendor's rolling second would see
   * one too many. Lateness tolerated: 70 % of the margin's jitter budget (21 ms at 3 %), the
   * rest left to the network and the vendor's own clock.
   */
  async waitForSlot(maxWaitMs: number, signal?: AbortSignal): Promise<PacerSlot> {
    const lateMs = Math.max(5, this.margin * 700);
    let waited = 0;
    for (let missed = 0; ; missed++) {
      const asked = performance.now();
      const slot = await this.acquire(maxWaitMs);
      if (slot.credential === undefined || !this.paced) return { ...slot, missed };
      if (slot.waitMs > 0) await sleep(slot.waitMs, undefined, { signal });
      const late = performance.now() - (asked + slot.waitMs);
      waited += slot.waitMs;
      if (late <= lateMs) return { credential: slot.credential, waitMs: waited, missed };
    }
  }

  /** The vendor said "too fast" for this credential: keep it idle for `ms`. */
  async hold(credential: number, ms: number): Promise<void> {
    await HOLD_SCRIPT.run(this.redis, [this.key], [String(credential), String(Math.ceil(ms))]);
  }
}
