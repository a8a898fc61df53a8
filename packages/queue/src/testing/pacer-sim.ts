import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { Pacer, type PacerOptions } from "../pacer";
import { VirtualClock } from "./virtual-clock";

/**
 * A stand-in vendor that accepts at most `limit` calls in any rolling second per credential, counted
 * when they arrive, and refuses the rest (refusals are not counted), as the simulator, AILab and
 * Tencent do.
 */
export class RollingVendor {
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

export interface Sim {
  clock: VirtualClock;
  pacer: Pacer;
  vendor: RollingVendor;
}

/** A vendor allowing `limit` calls a rolling second per credential, and an adaptive pacer told `guess`. */
export function pacerSim(
  redis: Redis,
  limit: number,
  credentials: number,
  guess: number,
  options: Partial<PacerOptions> = {},
): Sim {
  const clock = new VirtualClock();
  const key = `pacer-sim:${randomBytes(4).toString("hex")}`;
  const pacer = new Pacer(redis, key, credentials, guess, { adaptive: true, clock, ...options });
  return { clock, pacer, vendor: new RollingVendor(limit, clock) };
}

export interface Driven {
  /** When each accepted call arrived, and each refused one (ms from the start of the drive). */
  accepted: number[];
  refused: number[];
}

/**
 * `workers` loops for `forMs`, as call-vendor.ts does: wait for a slot, call the vendor, and after
 * `latencyMs` report the answer, a refusal as a worker would.
 */
export async function drive(sim: Sim, workers: number, forMs: number, latencyMs = 5): Promise<Driven> {
  const { clock, pacer, vendor } = sim;
  const start = clock.now();
  const until = start + forMs;
  const out: Driven = { accepted: [], refused: [] };
  await clock.run(
    Array.from({ length: workers }, () => async () => {
      while (clock.now() < until) {
        const slot = await pacer.waitForSlot(2_000);
        if (clock.now() >= until) break;
        if (slot.credential === undefined) {
          await clock.sleep(2_000);
          continue;
        }
        const ok = vendor.call(slot.credential);
        out[ok ? "accepted" : "refused"].push(clock.now() - start);
        await clock.sleep(latencyMs);
        if (ok) await pacer.answered(slot.credential, slot);
        else await pacer.refused(slot.credential, slot, 0);
      }
    }),
  );
  return out;
}

/** Accepted calls a second, and the share refused, in [fromMs, toMs) of a drive. */
export function within(driven: Driven, fromMs: number, toMs: number) {
  const inside = (t: number) => t >= fromMs && t < toMs;
  const accepted = driven.accepted.filter(inside).length;
  const refused = driven.refused.filter(inside).length;
  return {
    perSecond: (accepted * 1000) / (toMs - fromMs),
    refusedShare: refused / Math.max(1, accepted + refused),
  };
}
