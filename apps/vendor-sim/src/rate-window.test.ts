import { describe, expect, it } from "vitest";
import { RateWindow } from "./rate-window";

describe("RateWindow", () => {
  it("accepts at most N requests in any 1000 ms window, per key", () => {
    const window = new RateWindow();
    expect(window.tryAcquire("a", 2, 0)).toBe(true);
    expect(window.tryAcquire("a", 2, 600)).toBe(true);
    expect(window.tryAcquire("a", 2, 900)).toBe(false);
    expect(window.tryAcquire("b", 2, 900)).toBe(true);
    // Rolling, not bucketed: at 1000 the first request has left the window, the second has not.
    expect(window.tryAcquire("a", 2, 1000)).toBe(true);
    expect(window.tryAcquire("a", 2, 1599)).toBe(false);
    expect(window.tryAcquire("a", 2, 1600)).toBe(true);
  });

  it("does not count refused requests, and null means unlimited", () => {
    const window = new RateWindow();
    expect(window.tryAcquire("a", 1, 0)).toBe(true);
    for (let t = 1; t < 1000; t += 100) expect(window.tryAcquire("a", 1, t)).toBe(false);
    expect(window.tryAcquire("a", 1, 1000)).toBe(true);
    for (let i = 0; i < 100; i++) expect(window.tryAcquire("c", null, 5)).toBe(true);
  });
});
