import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { drive, pacerSim } from "./testing/pacer-sim";

/**
 * The adaptive-pacing benchmark's scenarios (bench/adaptive-pacing.bench.ts), on a virtual clock
 * against a stand-in of the simulator's rolling limit: 300 ms a call, workers enough to keep the
 * vendor busy, no rate configured or a wrong guess. The targets, as there: from 20 s after the
 * start (and after a change) at least 0.9 of the limit used; at most 2 % of all calls refused.
 * The benchmark measures the same against the real simulator and the worker's own code paths.
 */
let redis: Redis;
beforeAll(() => {
  redis = new Redis(inject("redisUrl"));
});
afterAll(() => redis.disconnect());

const SETTLE_MS = 20_000;

interface Scenario {
  limit: number;
  credentials: number;
  guess: number;
  workers: number;
  /** The limit the vendor falls or rises to, and when. */
  change?: { limit: number; atMs: number };
  forMs: number;
}

const SCENARIOS: Record<string, Scenario> = {
  "AILab, 6/s rolling, no rate configured": {
    limit: 6,
    credentials: 1,
    guess: 0,
    workers: 16,
    forMs: 60_000,
  },
  "ai-gs, 1/s per token × 3, guessed 2/s": { limit: 1, credentials: 3, guess: 2, workers: 32, forMs: 60_000 },
  "Tencent, 20/s, guessed 10/s": { limit: 20, credentials: 1, guess: 10, workers: 32, forMs: 60_000 },
  "AILab, 10/s falling to 4/s after 30 s": {
    limit: 10,
    credentials: 1,
    guess: 0,
    workers: 16,
    change: { limit: 4, atMs: 30_000 },
    forMs: 70_000,
  },
};

describe("adaptive pacing against the benchmark's limits", () => {
  for (const [label, s] of Object.entries(SCENARIOS)) {
    it(label, async () => {
      const sim = pacerSim(redis, s.limit, s.credentials, s.guess);
      let driven: Awaited<ReturnType<typeof drive>>;
      if (s.change) {
        const { limit, atMs } = s.change;
        const before = await drive(sim, s.workers, atMs, 300);
        sim.vendor.limit = limit;
        const after = await drive(sim, s.workers, s.forMs - atMs, 300);
        driven = {
          accepted: [...before.accepted, ...after.accepted.map((t) => t + atMs)],
          refused: [...before.refused, ...after.refused.map((t) => t + atMs)],
        };
      } else {
        driven = await drive(sim, s.workers, s.forMs, 300);
      }
      const spans: [number, number, number][] = s.change
        ? [
            [SETTLE_MS, s.change.atMs, s.limit],
            [s.change.atMs + SETTLE_MS, s.forMs, s.change.limit],
          ]
        : [[SETTLE_MS, s.forMs, s.limit]];
      let used = 0;
      let allowed = 0;
      for (const [from, to, limit] of spans) {
        used += driven.accepted.filter((t) => t >= from && t < to).length;
        allowed += (limit * s.credentials * (to - from)) / 1000;
      }
      const calls = driven.accepted.length + driven.refused.length;
      expect(used / allowed).toBeGreaterThanOrEqual(0.9);
      expect(driven.refused.length / calls).toBeLessThanOrEqual(0.02);
    });
  }
});
