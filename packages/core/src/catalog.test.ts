import { describe, expect, it } from "vitest";
import { JOB_NAMES, jobOptions, jobTimeoutMs, type PolicySettings } from "./catalog";

const settings: PolicySettings = {
  jobs: { attempts: 7, backoffMs: 1_500 },
  webhooks: { retryScheduleMs: [0, 100, 2_000, 60_000], timeoutMs: 9_000 },
  vendors: { timeoutMs: 45_000 },
};

describe("catalog policy", () => {
  it("follows JOB_ATTEMPTS and the worker's vendor backoff for vendor calls", () => {
    expect(jobOptions("call-vendor", settings)).toEqual({ attempts: 7, backoff: { type: "vendor" } });
  });

  it("backs the pre-flight off exponentially from JOB_BACKOFF_MS", () => {
    expect(jobOptions("check-faces", settings)).toEqual({
      attempts: 7,
      backoff: { type: "exponential", delay: 1_500 },
    });
  });

  it("gives a webhook delivery one attempt per retry-schedule entry, at least one", () => {
    expect(jobOptions("deliver-webhook", settings)).toEqual({ attempts: 4, backoff: { type: "webhook" } });
    const empty = { ...settings, webhooks: { ...settings.webhooks, retryScheduleMs: [] } };
    expect(jobOptions("deliver-webhook", empty).attempts).toBe(1);
  });

  it("waits storage outages out with fixed counts", () => {
    expect(jobOptions("store-output", settings)).toEqual({ attempts: 500, backoff: { type: "store" } });
    expect(jobOptions("expand-batch", settings)).toEqual({ attempts: 20, backoff: { type: "store" } });
  });

  it("gives every job at least one attempt", () => {
    for (const name of JOB_NAMES) expect(jobOptions(name, settings).attempts).toBeGreaterThanOrEqual(1);
  });

  it("bounds a vendor call and a webhook attempt by their own settings", () => {
    expect(jobTimeoutMs("call-vendor", settings)).toBe(45_000);
    expect(jobTimeoutMs("deliver-webhook", settings)).toBe(9_000);
  });
});
