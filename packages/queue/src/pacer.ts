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
 * Adaptive (the default), the rate is learned from the vendor's answers, per credential, and the
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
  /** When the call goes out (Redis clock, ms), to report with its answer. */
  startsAt?: number;
}

/** The slot a call went out in, as reported with its answer. */
export type SentIn = Pick<PacerSlot, "rate" | "startsAt">;

export interface PacerOptions {
  /** Learn the rate from the vendor's answers (the configured one is the first guess); false keeps it fixed. */
  adaptive: boolean;
  /** How long a rate runs before it is judged: at least the second vendors count over. @defaultValue 1000 */
  periodMs?: number;
  /** How long a settled rate runs before 10 % more is tried. @defaultValue 60000 */
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

/** Where an adaptive pacer with no first guess starts: a slow start, 1 call/s per credential. */
const SLOW_START_RATE = 1;

export class Pacer {
  /**
   * @param rate calls per second each credential allows; 0 means unknown (unpaced when fixed;
   *   adaptive, a slow start from 1 call/s).
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

  /** The rate a credential starts at: the configured one or, adaptive with none, the slow start's. */
  private get firstRate(): number {
    return this.rate > 0 || !this.options.adaptive ? this.rate : SLOW_START_RATE;
  }

  async acquire(maxWaitMs: number): Promise<PacerSlot> {
    if (!this.paced) return { credential: Math.floor(Math.random() * this.credentials), waitMs: 0 };
    const adaptive = this.options.adaptive ? 1 : 0;
    const [credential, waitMs, rate, grantedAt, startsAt] = (await ACQUIRE.run(
      this.redis,
      [this.key],
      [this.firstRate, this.credentials, maxWaitMs, this.margin, adaptive, this.scriptNow()],
    )) as [number, number, string, string, string];
    return {
      credential: credential < 0 ? undefined : credential,
      waitMs,
      rate: Number(rate),
      grantedAt: Number(grantedAt),
      startsAt: Number(startsAt),
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
      if (late > lateMs) {
        // Not sent: no longer one of the calls a refusal's window counts.
        if (this.options.adaptive) await this.voided(slot, true);
        continue;
      }
      if (slot.waitMs > 0 && this.options.adaptive && (await this.voided(slot, false))) continue;
      return { ...slot, waitMs: waited, missed };
    }
  }

  /** Whether the slot is given up: `anyway`, or because its credential's rate was cut after the grant. */
  private async voided(slot: PacerSlot, anyway: boolean): Promise<boolean> {
    const args = [slot.credential!, slot.grantedAt!, slot.startsAt!, anyway ? 1 : 0, this.scriptNow()];
    return (await VOIDED.run(this.redis, [this.key], args)) === 1;
  }

  /** The vendor answered a call sent in `sent` without refusing it as too fast. */
  async answered(credential: number, sent: SentIn): Promise<void> {
    if (!this.options.adaptive || sent.rate === undefined) return;
    const { periodMs = 1_000, probeMs = 60_000 } = this.options;
    await ANSWERED.run(
      this.redis,
      [this.key],
      [credential, sent.rate, periodMs, probeMs, this.firstRate, this.scriptNow()],
    );
  }

  /**
   * The vendor refused a call as too fast: `credential` (or all of them, for a vendor-wide limit)
   * is kept idle for `holdMs` at least and, adaptive, its rate is lowered when the call was sent at
   * the rate still in force: to the rate of the calls the vendor had just let through, when that
   * explains the refusal. Fixed, or with `sent` undefined (a refusal that says nothing of the
   * caller's rate, such as an overloaded vendor's), only the hold applies: a second at least.
   */
  async refused(credential: number | "all", sent: SentIn | undefined, holdMs: number): Promise<void> {
    const learns = this.options.adaptive && sent !== undefined;
    if (this.options.adaptive && !learns) holdMs = Math.max(holdMs, 1_000);
    await REFUSED.run(
      this.redis,
      [this.key],
      [
        this.firstRate,
        credential === "all" ? -1 : credential,
        this.credentials,
        sent?.rate ?? 0,
        sent?.startsAt ?? 0,
        Math.ceil(holdMs),
        learns ? 1 : 0,
        this.scriptNow(),
      ],
    );
  }

  /** The rate in force per credential (calls/s; 0: unpaced). Fixed, the configured one. */
  async rates(): Promise<number[]> {
    if (!this.options.adaptive) return Array.from({ length: this.credentials }, () => this.rate);
    const args = [this.credentials, this.firstRate, this.scriptNow()];
    return ((await RATES.run(this.redis, [this.key], args)) as string[]).map(Number);
  }

  /** The time the scripts use: 0 for Redis `TIME`. */
  private scriptNow(): number {
    return this.options.clock?.now() ?? 0;
  }
}
