import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Pacer, type PacerOptions } from "./pacer";
import { VirtualClock } from "./testing/virtual-clock";

/**
 * Adaptive pacing against a stand-in vendor that accepts at most `limit` calls in any rolling
 * second per credential and refuses the rest, as AILab and Tencent do. Workers take slots, "call"
 * the vendor, and report refusals, as call-vendor.ts does, against the real scripts in Redis, on
 * a virtual clock: every run is the same however loaded the machine is (the scripts take the
 * clock's time in place of Redis `TIME`), and simulated seconds cost only their Redis calls.
 */
let redis: Redis;
beforeAll(() => {
  redis = new Redis(inject("redisUrl"));
});
afterAll(() => redis.disconnect());

class RollingVendor {
  private readonly accepted = new Map<number, number[]>();
  refused = 0;
  calls = 0;
  constructor(
    public limit: number,
    private readonly clock: VirtualClock,
  ) {}
  call(credential: number): boolean {
    const now = this.clock.now();
    const times = (this.accepted.get(credential) ?? []).filter((t) => t > now - 1000);
    this.accepted.set(credential, times);
    this.calls++;
    if (times.length >= this.limit) {
      this.refused++;
      return false;
    }
    times.push(now);
    return true;
  }
}

/**
 * `workers` loops taking slots for `forMs`, each refusal reported as a worker would. Returns the
 * calls the vendor accepted per second, and the share it refused, over the last `windowMs`.
 */
async function drive(sim: Sim, workers: number, forMs: number, windowMs = 3_000) {
  const { clock, pacer, vendor } = sim;
  const until = clock.now() + forMs;
  const window = { from: until - windowMs, accepted: 0, refused: 0 };
  await clock.run(
    Array.from({ length: workers }, () => async () => {
      while (clock.now() < until) {
        const slot = await pacer.waitForSlot(2_000);
        if (slot.credential === undefined) {
          await clock.sleep(2_000);
          continue;
        }
        await clock.sleep(5); // the call's latency
        const ok = vendor.call(slot.credential);
        if (clock.now() >= window.from) window[ok ? "accepted" : "refused"]++;
        if (ok) await pacer.answered(slot.credential, slot.rate);
        else await pacer.refused(slot.credential, slot.rate, 0);
      }
    }),
  );
  return {
    perSecond: (window.accepted * 1000) / windowMs,
    refusedShare: window.refused / Math.max(1, window.accepted + window.refused),
  };
}

const key = () => `pacer-adaptive:${randomBytes(4).toString("hex")}`;

interface Sim {
  clock: VirtualClock;
  pacer: Pacer;
  vendor: RollingVendor;
}

/** A vendor allowing `limit` calls a rolling second per credential, and a pacer told `guess`. */
function sim(limit: number, credentials: number, guess: number, options: Partial<PacerOptions> = {}): Sim {
  const clock = new VirtualClock();
  const pacer = new Pacer(redis, key(), credentials, guess, {
    adaptive: true,
    periodMs: 1_000,
    probeMs: 60_000,
    clock,
    ...options,
  });
  return { clock, pacer, vendor: new RollingVendor(limit, clock) };
}

describe("adaptive pacing", () => {
  it("learns a limit it was not told, from below, and then keeps to it", async () => {
    const settled = await drive(sim(20, 1, 0), 8, 10_000);
    expect(settled.perSecond).toBeGreaterThan(20 * 0.8);
    expect(settled.refusedShare).toBeLessThanOrEqual(0.05);
  });

  it("starts from the rate calls went out at when the first refusal comes before any answer", async () => {
    // Not paced: 20 calls go out at once; the vendor refuses the 7th before answering any.
    const { pacer } = sim(20, 1, 0);
    for (let i = 0; i < 20; i++) await pacer.acquire(2_000);
    await pacer.refused(0, 0, 0);
    const [rate] = await pacer.rates();
    // Half of the 20 calls in (at most) a second it saw go out.
    expect(rate).toBeGreaterThanOrEqual(10);
  });

  it("goes up from a first guess that is too low", async () => {
    const settled = await drive(sim(20, 1, 5), 8, 12_000);
    // Well past twice the guess (a guess never raised stays under 5/s, spacing included).
    expect(settled.perSecond).toBeGreaterThan(5 * 2);
    expect(settled.refusedShare).toBeLessThanOrEqual(0.1);
  });

  it("comes down from a first guess that is too high", async () => {
    const settled = await drive(sim(10, 1, 40), 8, 12_000);
    expect(settled.perSecond).toBeGreaterThan(10 * 0.8);
    expect(settled.refusedShare).toBeLessThanOrEqual(0.05);
  });

  it("learns each credential of a pool on its own", async () => {
    const pool = sim(5, 3, 12);
    const settled = await drive(pool, 12, 10_000);
    expect(settled.perSecond).toBeGreaterThan(3 * 5 * 0.75);
    // Three searches at once: one may still be finishing (a rate never learned refuses 30 %+).
    expect(settled.refusedShare).toBeLessThanOrEqual(0.1);
    // Each came down from the guess on its own refusals (a search may be probing just above 5).
    for (const rate of await pool.pacer.rates()) expect(rate).toBeLessThan(5 * 1.2);
  });

  it("follows a limit that falls, and finds one that rises", async () => {
    const moving = sim(20, 1, 20, { probeMs: 3_000 });
    await drive(moving, 8, 3_000);
    moving.vendor.limit = 8;
    const fallen = await drive(moving, 8, 8_000);
    expect(fallen.perSecond).toBeGreaterThan(8 * 0.75);
    expect(fallen.refusedShare).toBeLessThanOrEqual(0.1); // a probe upward may fall in the window
    moving.vendor.limit = 16;
    const risen = await drive(moving, 8, 16_000);
    expect(risen.perSecond).toBeGreaterThan(16 * 0.75);
  });

  it("does not raise a rate that demand never filled", async () => {
    const { clock, pacer } = sim(100, 1, 5);
    // One worker whose calls take 400 ms can send 2.5 a second: 5/s is never filled.
    const until = clock.now() + 2_500;
    await clock.run([
      async () => {
        while (clock.now() < until) {
          const slot = await pacer.waitForSlot(2_000);
          await clock.sleep(400);
          await pacer.answered(slot.credential!, slot.rate);
        }
      },
    ]);
    expect(await pacer.rates()).toEqual([5]);
  });

  it("keeps a fixed rate whatever is refused, and stays out of Redis when fixed and unpaced", async () => {
    const fixedKey = key();
    const fixed = new Pacer(redis, fixedKey, 1, 10, { adaptive: false });
    await fixed.refused(0, 10, 0);
    await fixed.answered(0, 10);
    expect(await fixed.rates()).toEqual([10]);
    expect(await redis.hget(fixedKey, "r:0")).toBeNull();
    expect(new Pacer(redis, key(), 1, 0, { adaptive: false }).paced).toBe(false);
  });
});
