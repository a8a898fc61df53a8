import { describe, expect, it } from "vitest";
import { NEVER_FAIL_FOR_STALLING, stallTiming } from "./stall-timing";

describe("stallTiming", () => {
  it.each([1_000, 3_000, 15_000, 120_000])(
    "a dead worker's job is back in the queue within JOB_LOCK_MS=%i",
    (lockMs) => {
      const t = stallTiming(lockMs);
      // Worst case: the lock was renewed just before the death, and the check just missed it.
      expect(t.lockDuration + t.stalledInterval).toBeLessThanOrEqual(lockMs);
      // Renewed every half lock: a live worker must not lose its job to a short pause.
      expect(t.lockDuration).toBeGreaterThanOrEqual(lockMs / 2);
    },
  );

  it("never fails a job for stalling", () => {
    expect(stallTiming(15_000).maxStalledCount).toBe(NEVER_FAIL_FOR_STALLING);
  });
});
