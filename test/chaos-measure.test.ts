import { describe, expect, it } from "vitest";
import { type JobSeen, measure } from "../chaos/measure";

/* The chaos harness's latency figure: jobs in flight while Redis was away, against the rest. */

const job = (id: string, acceptedAt: number, hookAt: number): JobSeen => ({
  id,
  tenant: "acme",
  sha: id,
  standalone: true,
  status: "succeeded",
  attempts: 0,
  webhooks: 1,
  acceptedAt,
  hookAt,
});

const figures = (jobs: JobSeen[], redisAway?: { from: number; to: number }) =>
  measure({
    submitted: [],
    jobs,
    calls: [],
    ledger: [],
    budget: undefined,
    drainMs: 0,
    kills: [],
    redisAway,
  });

describe("chaos latency figures", () => {
  it("counts a job whose life overlaps Redis's absence as in flight during it", () => {
    const f = figures(
      [
        job("before", 0, 900), // done before Redis went away at 1000
        job("across", 500, 4_500), // accepted before, answered after
        job("inside", 1_200, 1_900),
        job("after", 3_100, 3_600), // accepted once Redis was back at 3000
      ],
      { from: 1_000, to: 3_000 },
    );
    expect(f.redisAwayMs).toBe(2_000);
    expect(f.latency.duringRedis).toEqual({ jobs: 2, p50: 4_000, p95: 4_000 });
    expect(f.latency.otherwise).toEqual({ jobs: 2, p50: 900, p95: 900 });
  });

  it("puts every job in the rest when Redis was not disrupted, and skips jobs never answered", () => {
    const f = figures([job("a", 0, 100), job("b", 0, 300), { ...job("c", 0, 0), hookAt: undefined }]);
    expect(f.redisAwayMs).toBeUndefined();
    expect(f.latency.duringRedis.jobs).toBe(0);
    expect(f.latency.otherwise).toEqual({ jobs: 2, p50: 300, p95: 300 });
  });
});
