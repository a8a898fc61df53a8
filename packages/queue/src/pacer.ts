import { setTimeout as sleep } from "node:timers/promises";
import type { RedisClient } from "@facegate/records";
import { ACQUIRE, ANSWERED, RATES, REFUSED, VOIDED } from "./pacer-scripts";

/**
 * Spaces vendor calls so each credential's rate limit is used fully and rarely exceeded,
 * across every worker process (state in Redis, clock from Redis `TIME`; see pacer-scripts.ts).
 *
 * It is a GCRA ("virtual scheduling") per credential: each credential has the earliest time
 * its next call may start; a call takes the credential that frees up first and pushes that
 * time one interval on. A BullMQ-style fixed window would allow bursts at window edges that a
 * vendor counting over a rolling second refuses.
 *
 * Adaptive (the default), the rate is learned from the vendor's refusals, per credential, and the
 * configured rate is only the first guess; fixed, the configured rate is kept (docs/vendors.md,
 * "Pacing").
 */
export interface PacerSlot {
  /** Which credential to use, or undefined when the next free slot is further than `maxWaitMs`. */
  credential: number | undefined;
  waitMs: number;
  /** Slots given up because this process reached them late (see `waitForSlot`). */
  missed?: number;
  /** The rate the slot was granted at (calls/s), to report with the call's answer. */
  rate?: number;
  /** When it was granted (Redis clock, ms). */
  grantedAt?: number;
}

export interface PacerOptions {
  /** Learn the rate from refusals (the configured one is the first guess); false keeps it fixed. */
  adaptive: boolean;
  /** How long a rate runs before it is judged: at least the second vendors count over. @defaultValue 1000 */
  periodMs?: number;
  /** How long a settled rate runs before 25 % more is tried. @defaultValue 60000 */
  probeMs?: number;
  /**
   * Time as the pacer sees it. By default Redis `TIME` (one clock for every process) and real
   * timers; a simulation passes its own, and the scripts take its `now()` in place of `TIME`.
   */
  clock?: PacerClock;
}

export interface PacerClock {
  /** Milliseconds. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Lateness is measured on the process's monotonic clock; the scripts still read Redis `TIME`. */
const PROCESS_CLOCK: PacerClock = {
  now: () => performance.now(),
  sleep: (ms, signal) => sleep(ms, undefined, { signal }),
};

export class Pacer {
  /**
   * @param rate calls per second each credential allows; 0 means unknown (unpaced when fixed;
   *   adaptive, unpaced until the vendor first refuses a call).
   * @param margin share added to the interval, so send-time jitter up to margin × 1 s (30 ms at 3 %)
   *   never puts one call too many into a vendor's rolling second.
   */
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly credentials: number,
    private readonly rate: number,
    private readonly options: PacerOptions = { adaptive: false },
    private readonly margin = 0.03,
  ) {}

  /** Whether calls go through Redis at all: a fixed pacer with no rate lets every call through. */
  get paced(): boolean {
    return this.rate > 0 || this.options.adaptive;
  }

  async acquire(maxWaitMs: number): Promise<PacerSlot> {
    if (!this.paced) return { credential: Math.floor(Math.random() * this.credentials), waitMs: 0 };
    const [credential, waitMs, rate, grantedAt] = (await ACQUIRE.run(
      this.redis,
      [this.key],
      [this.rate, this.credentials, maxWaitMs, this.margin, this.options.adaptive ? 1 : 0, this.scriptNow()],
    )) as [number, number, string, string];
    return {
      credential: credential < 0 ? undefined : credential,
      waitMs,
      rate: Number(rate),
      grantedAt: Number(grantedAt),
    };
  }

  /**
   * Reserve a slot and sleep until it starts. A slot reached late (a busy event loop, a slow
   * Redis reply) is given up and another reserved: a call sent late would sit closer than one
   * interval to the calls already scheduled after it, and the vendor's rolling second would see
   * one too many. Lateness tolerated: 70 % of the margin's jitter budget (21 ms at 3 %), the
   * rest left to the network and the vendor's own clock. Adaptive, a slot waited for is also
   * given up when its credential's rate was cut meanwhile: it was spaced for a rate found too fast.
   */
  async waitForSlot(maxWaitMs: number, signal?: AbortSignal): Promise<PacerSlot> {
    const lateMs = Math.max(5, this.margin * 700);
    const clock = this.options.clock ?? PROCESS_CLOCK;
    let waited = 0;
    for (let missed = 0; ; missed++) {
      const asked = clock.now();
      const slot = await this.acquire(maxWaitMs);
      if (slot.credential === undefined || !this.paced) return { ...slot, missed };
      if (slot.waitMs > 0) await clock.sleep(slot.waitMs, signal);
      const late = clock.now() - (asked + slot.waitMs);
      waited += slot.waitMs;
      if (late > lateMs) continue;
      if (slot.waitMs > 0 && this.options.adaptive && (await this.voided(slot))) continue;
      return { ...slot, waitMs: waited, missed };
    }
  }

  private async voided(slot: PacerSlot): Promise<boolean> {
    return (
      (await VOIDED.run(this.redis, [this.key], [slot.credential!, slot.grantedAt!, this.scriptNow()])) === 1
    );
  }

  /** The vendor answered a call sent at `sentAtRate` without refusing it as too fast. */
  async answered(credential: number, sentAtRate: number | undefined): Promise<void> {
    if (!this.options.adaptive || sentAtRate === undefined) return;
    await ANSWERED.run(
      this.redis,
      [this.key],
      [
        credential,
        sentAtRate,
        this.options.periodMs ?? 1_000,
        this.options.probeMs ?? 60_000,
        this.rate,
        this.scriptNow(),
      ],
    );
  }

  /**
   * The vendor refused a call as too fast: `credential` (or all of them, for a vendor-wide limit)
   * is kept idle for `holdMs` at least and, adaptive, its rate is lowered when `sentAtRate` is the
   * rate still in force. Fixed, only the hold applies.
   */
  async refused(credential: number | "all", sentAtRate: number | undefined, holdMs: number): Promise<void> {
    await REFUSED.run(
      this.redis,
      [this.key],
      [
        this.rate,
        credential === "all" ? -1 : credential,
        this.credentials,
        sentAtRate ?? 0,
        Math.ceil(holdMs),
        this.options.adaptive ? 1 : 0,
        this.scriptNow(),
      ],
    );
  }

  /** The rate in force per credential (calls/s; 0: unpaced). Fixed, the configured one. */
  async rates(): Promise<number[]> {
    if (!this.options.adaptive) return Array.from({ length: this.credentials }, () => this.rate);
    const rates = (await RATES.run(
      this.redis,
      [this.key],
      [this.credentials, this.rate, this.scriptNow()],
    )) as string[];
    return rates.map(Number);
  }

  /** The time the scripts use: 0 for Redis `TIME`. */
  private scriptNow(): number {
    return this.options.clock?.now() ?? 0;
  }
}
