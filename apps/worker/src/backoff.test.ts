import { loadConfig } from "@facegate/config";
import { VendorError } from "@facegate/core";
import { afterEach, describe, expect, it, vi } from "vitest";
import { backoffStrategy } from "./backoff";

const config = loadConfig({
  REDIS_URL: "redis://127.0.0.1:6379",
  S3_BUCKET: "facegate",
  S3_ACCESS_KEY_ID: "id",
  S3_SECRET_ACCESS_KEY: "secret",
  JOB_BACKOFF_MS: "1000",
  WEBHOOK_RETRY_SCHEDULE: "0,100ms,2s,1m",
});
const backoff = backoffStrategy(config);

/** An error carrying the wait its source asked for, as a webhook delivery failure does. */
const withRetryAfter = (retryAfterMs: number) => Object.assign(new Error("503"), { retryAfterMs });

const vendorError = (retryAfterMs?: number) =>
  new VendorError({
    vendor: "ailab",
    kind: "rate_limited",
    code: "vendor_rate_limited",
    message: "slow down",
    retryAfterMs,
  });

/** Pin the jitter to one end of its range: 0 is the low end, just under 1 the high end. */
function pinRandom(value: number) {
  vi.spyOn(Math, "random").mockReturnValue(value);
}
const HIGH = 1 - Number.EPSILON;

afterEach(() => {
  vi.restoreAllMocks();
});

describe("vendor backoff", () => {
  it("takes the vendor's hint, whatever the attempt, rounded to a whole ms", () => {
    expect(backoff(1, "vendor", vendorError(12_345.6))).toBe(12_346);
    expect(backoff(9, undefined, vendorError(700))).toBe(700);
  });

  it("takes a hint of zero as it is (retry at once), not as no hint", () => {
    pinRandom(HIGH);
    expect(backoff(3, "vendor", vendorError(0))).toBe(0);
  });

  it("without a hint, doubles from JOB_BACKOFF_MS each attempt, jittered ±50 %", () => {
    for (const [attemptsMade, base] of [
      [1, 1_000],
      [2, 2_000],
      [3, 4_000],
      [6, 32_000],
    ] as const) {
      pinRandom(0);
      expect(backoff(attemptsMade, "vendor", vendorError()), `low, attempt ${attemptsMade}`).toBe(base / 2);
      pinRandom(0.5);
      expect(backoff(attemptsMade, "vendor", new Error("x")), `mid, attempt ${attemptsMade}`).toBe(base);
      pinRandom(HIGH);
      expect(backoff(attemptsMade, "vendor", undefined), `high, attempt ${attemptsMade}`).toBe(base * 1.5);
    }
  });

  it("never waits more than 5 minutes, jitter included", () => {
    pinRandom(0.5);
    expect(backoff(9, "vendor", undefined)).toBe(256_000);
    expect(backoff(10, "vendor", undefined)).toBe(300_000);
    expect(backoff(40, "vendor", undefined)).toBe(300_000);
    pinRandom(0);
    expect(backoff(9, "vendor", undefined)).toBe(128_000);
    pinRandom(HIGH);
    expect(backoff(9, "vendor", undefined)).toBe(300_000);
    expect(backoff(40, "vendor", undefined)).toBe(300_000);
  });

  it("spreads retries of the same attempt (not all in step) within the bounds", () => {
    const waits = Array.from({ length: 200 }, () => backoff(2, "vendor", undefined));
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(1_000);
      expect(wait).toBeLessThanOrEqual(3_000);
    }
    expect(new Set(waits).size).toBeGreaterThan(20);
  });
});

describe("store backoff", () => {
  it("doubles from 1 s, jittered ±20 %, and ignores any hint", () => {
    pinRandom(0.5);
    expect(backoff(1, "store", withRetryAfter(90_000))).toBe(1_000);
    expect(backoff(2, "store", undefined)).toBe(2_000);
    expect(backoff(4, "store", undefined)).toBe(8_000);
    pinRandom(0);
    expect(backoff(4, "store", undefined)).toBe(6_400);
    pinRandom(HIGH);
    expect(backoff(4, "store", undefined)).toBe(9_600);
  });

  it("never waits more than 1 minute, jitter included", () => {
    pinRandom(0.5);
    expect(backoff(7, "store", undefined)).toBe(60_000);
    expect(backoff(30, "store", undefined)).toBe(60_000);
    pinRandom(0);
    expect(backoff(30, "store", undefined)).toBe(60_000);
    expect(backoff(6, "store", undefined)).toBe(25_600);
    pinRandom(HIGH);
    expect(backoff(6, "store", undefined)).toBe(38_400);
    expect(backoff(30, "store", undefined)).toBe(60_000);
  });
});

describe("webhook backoff", () => {
  it("follows WEBHOOK_RETRY_SCHEDULE by attempt, jittered ±10 %", () => {
    pinRandom(0.5);
    expect(backoff(1, "webhook", undefined)).toBe(100);
    expect(backoff(2, "webhook", undefined)).toBe(2_000);
    expect(backoff(3, "webhook", undefined)).toBe(60_000);
    pinRandom(0);
    expect(backoff(3, "webhook", undefined)).toBe(54_000);
    pinRandom(HIGH);
    expect(backoff(3, "webhook", undefined)).toBe(66_000);
  });

  it("keeps the schedule's last entry once the attempts run past it", () => {
    pinRandom(0.5);
    expect(backoff(4, "webhook", undefined)).toBe(60_000);
    expect(backoff(25, "webhook", undefined)).toBe(60_000);
  });

  it("waits for Retry-After when it asks longer than the schedule", () => {
    pinRandom(HIGH);
    expect(backoff(1, "webhook", withRetryAfter(30_000))).toBe(30_000);
  });

  it("keeps the schedule when Retry-After asks less", () => {
    pinRandom(0.5);
    expect(backoff(3, "webhook", withRetryAfter(5_000))).toBe(60_000);
  });
});
