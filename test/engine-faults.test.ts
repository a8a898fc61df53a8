import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForFinal } from "./support/images";
import { submitFusion } from "./support/jobs";
import { startTestSystem, type TestSystem } from "./support/system";

const ATTEMPTS = 10;
/**
 * AILab's answers that mean "slow down" (rate limit or overload, HTTP 429/503): waited out without
 * spending an attempt. The simulator sends ERROR_INSUFFICIENT_RESOURCES among its transient faults.
 */
const RATE_LIMIT_CODES = new Set([
  "EXCEEDING_LIMITS",
  "AI_SERVICE_FLOW_RESTRICTION",
  "ERROR_INSUFFICIENT_RESOURCES",
  "ERROR_RESOURCE_UNAVAILABLE",
  "ERROR_RESOURCE_IN_TRANSIT",
]);
let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem({
    env: { JOB_ATTEMPTS: String(ATTEMPTS), VENDOR_TIMEOUT_MS: "1500", JOB_BACKOFF_MS: "20", AILAB_RPS: "0" },
    sim: {
      seed: 7,
      // 25 % injected failures of every transient kind, plus real rate-limit answers: facegate is
      // told not to pace AILab here, and the simulator allows 40 calls a second.
      ailab: {
        faults: { transient: 0.1, timeout: 0.05, reset: 0.05, malformed: 0.05 },
        rateLimitPerSecond: 40,
        latencyMs: 5,
      },
    },
  });
});
afterAll(() => t?.close());

describe("vendor faults", () => {
  it("at ~30 % injected failures every job still succeeds, within its attempt budget", async () => {
    const jobs = [];
    for (let i = 0; i < 30; i++) jobs.push(await submitFusion(t, i * 12, { templateHue: 333 }));

    const calls = () => t.sim.calls({ vendor: "ailab" });
    let failedCalls = 0;
    for (const job of jobs) {
      const done = await waitForFinal((p) => t.api(p), job.id, 60_000);
      expect(done.status).toBe("succeeded");
      const mine = calls().filter((c) => c.targetSha256 === job.sha);
      const rateLimited = mine.filter((c) => c.code !== null && RATE_LIMIT_CODES.has(c.code));
      const spent = mine.length - rateLimited.length;
      // Rate-limit answers do not spend attempts; everything else does, and the budget holds.
      expect(spent).toBeLessThanOrEqual(ATTEMPTS);
      expect(done.attempts).toBe(spent);
      // Exactly one call answered with a result: the vendor billed once.
      expect(mine.filter((c) => c.status === 200 && !c.code)).toHaveLength(1);
      failedCalls += spent - 1;
    }
    // The faults really happened.
    expect(failedCalls).toBeGreaterThan(5);
    // The ledger holds one entry for every call the vendor saw, and bills exactly one per job.
    const entries = await t.system.ctx.ledger.list("acme");
    expect(entries.filter((e) => e.outcome === "pending" || e.outcome === "interrupted")).toEqual([]);
    expect(entries).toHaveLength(calls().length);
    expect(entries.filter((e) => e.billable)).toHaveLength(jobs.length);
    expect(entries.filter((e) => e.rateLimited)).toHaveLength(
      calls().filter((c) => c.code !== null && RATE_LIMIT_CODES.has(c.code)).length,
    );
  });
});
