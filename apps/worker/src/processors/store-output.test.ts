import { type Checkpoint, JobFailure, VendorError } from "@facegate/core";
import { describe, expect, it } from "vitest";
import { pastStoreDeadline, storeDeadline, storeFailure, storeRetryOrFinal } from "./store-output";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** A vendor URL recorded at `at`, expiring `lifetime` later. */
const url = (lifetime: number, at = 1_000_000): Checkpoint => ({
  kind: "url",
  url: "https://vendor.example/result.jpg",
  expiresAt: at + lifetime,
  vendor: "ailab",
  at,
});
const spill: Checkpoint = { kind: "spill", key: "answer:job_1", vendor: "ailab", at: 1_000_000 };

const attempt = (attemptsMade: number, attempts = 5) => ({ attemptsMade, opts: { attempts } });

describe("storeDeadline", () => {
  it("keeps a tenth of a short URL lifetime as margin", () => {
    expect(storeDeadline(url(10 * MINUTE))).toBe(1_000_000 + 9 * MINUTE);
  });

  it("keeps at most an hour of margin on a long lifetime", () => {
    expect(storeDeadline(url(24 * HOUR))).toBe(1_000_000 + 23 * HOUR);
    // Exactly ten hours: a tenth is the hour itself.
    expect(storeDeadline(url(10 * HOUR))).toBe(1_000_000 + 9 * HOUR);
  });

  it("has no deadline for an answer kept in Redis", () => {
    expect(storeDeadline(spill)).toBeUndefined();
  });
});

describe("pastStoreDeadline", () => {
  const checkpoint = url(10 * MINUTE);
  const deadline = 1_000_000 + 9 * MINUTE;

  it("lets the copy go ahead up to the deadline itself", () => {
    expect(pastStoreDeadline(checkpoint, checkpoint.at)).toBe(false);
    expect(pastStoreDeadline(checkpoint, deadline)).toBe(false);
  });

  it("gives up after the deadline, before the URL itself expires", () => {
    expect(pastStoreDeadline(checkpoint, deadline + 1)).toBe(true);
    expect(pastStoreDeadline(checkpoint, 1_000_000 + 10 * MINUTE - 1)).toBe(true);
  });

  it("never gives up on an answer kept in Redis", () => {
    expect(pastStoreDeadline(spill, Number.MAX_SAFE_INTEGER)).toBe(false);
  });
});

describe("storeRetryOrFinal", () => {
  it("retries a storage outage while attempts remain, and ends it on the last", () => {
    const outage = new Error("connect ECONNREFUSED 127.0.0.1:9000");
    expect(storeRetryOrFinal(outage, attempt(0))).toBe("retry");
    expect(storeRetryOrFinal(outage, attempt(3))).toBe("retry");
    expect(storeRetryOrFinal(outage, attempt(4))).toBe("final");
  });

  it("retries a retryable classified failure", () => {
    expect(storeRetryOrFinal(new JobFailure("storage_unavailable", "S3 is down"), attempt(1))).toBe("retry");
    const fetchFailed = new VendorError({
      vendor: "ailab",
      kind: "transient",
      code: "vendor_unavailable",
      message: "the result URL did not answer",
    });
    expect(storeRetryOrFinal(fetchFailed, attempt(1))).toBe("retry");
  });

  it("ends a permanent failure at once", () => {
    const gone = new JobFailure("internal_error", "the saved vendor answer is gone", false);
    expect(storeRetryOrFinal(gone, attempt(0))).toBe("final");
    const notConfigured = new JobFailure("vendor_config_error", "vendor ailab is not configured");
    expect(storeRetryOrFinal(notConfigured, attempt(0))).toBe("final");
  });
});

describe("storeFailure", () => {
  it("keeps a classified failure's code and text, as final", () => {
    expect(storeFailure(new JobFailure("storage_unavailable", "S3 is down"), "tencent")).toEqual({
      code: "storage_unavailable",
      message: "S3 is down",
      vendor: "tencent",
      retryable: false,
    });
  });

  it("keeps an unclassified error's text out of the job", () => {
    const failure = storeFailure(new Error("connect ECONNREFUSED 10.1.2.3:9000"), "ailab");
    expect(failure).toEqual({
      code: "storage_unavailable",
      message: "facegate's storage could not be reached",
      vendor: "ailab",
      retryable: false,
    });
  });
});
