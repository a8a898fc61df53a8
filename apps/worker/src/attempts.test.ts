import { describe, expect, it } from "vitest";
import { isLastAttempt, retryOrFinal } from "./attempts";

const job = (attemptsMade: number, attempts?: number) => ({ attemptsMade, opts: { attempts } });

describe("isLastAttempt", () => {
  it("is false while attempts remain after the running one", () => {
    expect(isLastAttempt(job(0, 3))).toBe(false);
    expect(isLastAttempt(job(1, 3))).toBe(false);
  });

  it("is true on the running attempt that uses the last one", () => {
    expect(isLastAttempt(job(2, 3))).toBe(true);
  });

  it("treats a job without attempts as BullMQ does: one try", () => {
    expect(isLastAttempt(job(0))).toBe(true);
  });

  it("stays true past the count (a stalled job taken up again)", () => {
    expect(isLastAttempt(job(5, 3))).toBe(true);
  });
});

describe("retryOrFinal", () => {
  it("retries a retryable failure with attempts left", () => {
    expect(retryOrFinal(job(0, 3))).toBe("retry");
    expect(retryOrFinal(job(1, 3), true)).toBe("retry");
  });

  it("ends a retryable failure on the last attempt", () => {
    expect(retryOrFinal(job(2, 3), true)).toBe("final");
  });

  it("ends a permanent failure at once, attempts left or not", () => {
    expect(retryOrFinal(job(0, 3), false)).toBe("final");
  });
});
