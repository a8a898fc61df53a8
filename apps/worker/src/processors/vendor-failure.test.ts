import { Writable } from "node:stream";
import {
  type JobErrorCode,
  JobFailure,
  type JobRecord,
  VendorError,
  type VendorErrorKind,
} from "@facegate/core";
import { createLogger } from "@facegate/logger";
import { describe, expect, it } from "vitest";
import { asFailure, giveBackAttempt, planFailure, waitOutlastsDeadline } from "./vendor-failure";

const vendorError = (kind: VendorErrorKind, code: JobErrorCode, retryAfterMs?: number) =>
  new VendorError({ vendor: "ailab", kind, code, message: `${kind} failure`, retryAfterMs });

/** A BullMQ job's attempt state: `attemptsMade` already failed, out of `attempts`. */
const attempt = (attemptsMade: number, attempts = 3) => ({ attemptsMade, opts: { attempts } });
const FIRST = attempt(0);
const LAST = attempt(2);

const unpaced = { paced: false, backoffMs: 2_000 };
const paced = { paced: true, backoffMs: 2_000 };

describe("planFailure: rate limits", () => {
  it("waits the vendor's hint, paced or not", () => {
    const limit = vendorError("rate_limited", "vendor_rate_limited", 7_500);
    expect(planFailure(limit, FIRST, unpaced)).toEqual({ action: "wait", waitMs: 7_500, limit });
    expect(planFailure(limit, FIRST, paced)).toMatchObject({ action: "wait", waitMs: 7_500 });
  });

  it("without a hint, leaves a paced vendor's wait to its pacer and an unpaced one to the backoff", () => {
    const limit = vendorError("rate_limited", "vendor_rate_limited");
    expect(planFailure(limit, FIRST, paced)).toMatchObject({ action: "wait", waitMs: 0 });
    expect(planFailure(limit, FIRST, unpaced)).toMatchObject({ action: "wait", waitMs: 2_000 });
  });

  it("waits even on the last attempt: a rate limit does not spend one", () => {
    const limit = vendorError("rate_limited", "vendor_rate_limited", 1_000);
    expect(planFailure(limit, LAST, unpaced).action).toBe("wait");
    expect(planFailure(limit, attempt(9), unpaced).action).toBe("wait");
  });
});

describe("planFailure: spent attempts", () => {
  it("retries a transient vendor failure while attempts remain, as a vendor-level failure", () => {
    const failure = vendorError("transient", "vendor_unavailable");
    expect(planFailure(failure, FIRST, unpaced)).toEqual({
      action: "spend",
      vendorLevel: true,
      notAccepted: false,
      next: "retry",
    });
    expect(planFailure(failure, attempt(1), unpaced)).toMatchObject({ next: "retry" });
  });

  it("ends a transient failure on the last attempt (then fails over when it can)", () => {
    expect(planFailure(vendorError("transient", "timeout"), LAST, unpaced)).toEqual({
      action: "spend",
      vendorLevel: true,
      notAccepted: false,
      next: "final",
    });
  });

  it("ends an account failure at once, as vendor-level (the circuit counts it, `auto` fails over)", () => {
    for (const [kind, code] of [
      ["auth", "vendor_auth_failed"],
      ["quota", "vendor_quota_exhausted"],
      ["config", "vendor_config_error"],
    ] as const) {
      expect(planFailure(vendorError(kind, code), FIRST, unpaced), kind).toEqual({
        action: "spend",
        vendorLevel: true,
        notAccepted: false,
        next: "final",
      });
    }
  });

  it("ends an input failure at once, without blaming the vendor", () => {
    expect(planFailure(vendorError("input", "no_face_detected"), FIRST, unpaced)).toEqual({
      action: "spend",
      vendorLevel: false,
      notAccepted: false,
      next: "final",
    });
  });

  it("marks an image the vendor does not take, said by the vendor or found before the call", () => {
    const said = planFailure(vendorError("input", "image_not_accepted"), FIRST, unpaced);
    expect(said).toEqual({ action: "spend", vendorLevel: false, notAccepted: true, next: "final" });
    const found = planFailure(new JobFailure("image_not_accepted", "too small for ailab"), FIRST, unpaced);
    expect(found).toEqual({ action: "spend", vendorLevel: false, notAccepted: true, next: "final" });
  });

  it("retries facegate's own retryable failure without counting it against the vendor", () => {
    const failure = new JobFailure("storage_unavailable", "S3 is down");
    expect(planFailure(failure, FIRST, unpaced)).toEqual({
      action: "spend",
      vendorLevel: false,
      notAccepted: false,
      next: "retry",
    });
    expect(planFailure(failure, LAST, unpaced)).toMatchObject({ next: "final" });
  });

  it("ends a failure its thrower marked permanent, even with a retryable code", () => {
    const failure = new JobFailure("internal_error", "the saved answer is gone", false);
    expect(planFailure(failure, FIRST, unpaced)).toMatchObject({ next: "final" });
  });
});

describe("giveBackAttempt", () => {
  const record = (attempts: number, lastCallId?: string) => ({ attempts, lastCallId }) as JobRecord;

  it("gives back the attempt counted before the rate-limited call", () => {
    const r = record(2, "call_b");
    giveBackAttempt(r, "call_b");
    expect(r.attempts).toBe(1);
  });

  it("leaves the count alone when a later call has been counted since", () => {
    const r = record(3, "call_c");
    giveBackAttempt(r, "call_b");
    expect(r.attempts).toBe(3);
  });

  it("leaves the count alone when no call was made", () => {
    const r = record(1);
    giveBackAttempt(r, undefined);
    expect(r.attempts).toBe(1);
  });
});

describe("waitOutlastsDeadline", () => {
  it("is true only for a wait ending after the deadline", () => {
    expect(waitOutlastsDeadline(5_000, 10_000, 4_999)).toBe(false);
    expect(waitOutlastsDeadline(5_000, 10_000, 5_000)).toBe(false);
    expect(waitOutlastsDeadline(5_000, 10_000, 5_001)).toBe(true);
  });
});

describe("asFailure", () => {
  /** A real logger writing into an array. */
  function recordingLogger() {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().trim().split("\n")) lines.push(JSON.parse(line));
        done();
      },
    });
    return { log: createLogger({ level: "debug", destination }), lines };
  }

  it("passes classified failures through, unlogged", () => {
    const { log, lines } = recordingLogger();
    const vendor = vendorError("transient", "timeout");
    const own = new JobFailure("timeout", "late");
    expect(asFailure(vendor, "vendor call", log)).toBe(vendor);
    expect(asFailure(own, "reading inputs", log)).toBe(own);
    expect(lines).toHaveLength(0);
  });

  it("turns an unclassified error into the failing step's code, and keeps its text out of the job", () => {
    const { log, lines } = recordingLogger();
    const reading = asFailure(new Error("connect ECONNREFUSED 10.0.0.7:9000"), "reading inputs", log);
    expect(reading).toBeInstanceOf(JobFailure);
    expect(reading).toMatchObject({ code: "storage_unavailable", retryable: true });
    expect(reading.message).not.toContain("10.0.0.7");
    const calling = asFailure(new TypeError("x is not a function"), "vendor call", log);
    expect(calling).toMatchObject({ code: "internal_error", retryable: true });
    expect(calling.message).not.toContain("not a function");
    expect(lines.map((l) => l.during)).toEqual(["reading inputs", "vendor call"]);
    expect(JSON.stringify(lines[1])).toContain("x is not a function");
  });
});
