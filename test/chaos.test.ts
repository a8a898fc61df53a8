import { describe, expect, it } from "vitest";
import { violations } from "../chaos/measure";
import { FULL } from "../chaos/options";
import { runChaos } from "../chaos/scenario";

// The chaos run in small: the production shape (separate processes from the built bundles, AOF
// Redis), workers SIGKILLed and restarted, an API process and Redis killed once. The full run
// and its figures: `npm run chaos`, docs/chaos.md.
describe("chaos, short", () => {
  it("nothing lost, nobody billed twice after an answer, attempts match the vendor's calls, every final job has its webhook", async () => {
    const { figures } = await runChaos({
      ...FULL,
      jobs: 60,
      batches: 1,
      batchSize: 10,
      killEveryMs: 1_500,
      drainTimeoutMs: 90_000,
    });
    expect(figures.submitted).toBe(61);
    expect(figures.unanswered).toBe(0);
    expect(figures.lost).toEqual([]);
    expect(figures.billedTwiceAfterAnswer).toEqual([]);
    expect(figures.attemptMismatches).toEqual([]);
    expect(figures.missingWebhooks).toEqual([]);
    expect(violations(figures)).toEqual([]);
  }, 400_000);
});
