import { describe, expect, it } from "vitest";
import { deliveryIds } from "./deliveries";
import { retryAfter } from "./send";

describe("retryAfter", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");

  it("reads seconds and HTTP dates", () => {
    expect(retryAfter("120", now)).toBe(120_000);
    expect(retryAfter("Thu, 01 Jan 2026 00:00:30 GMT", now)).toBe(30_000);
  });

  it("ignores what asks for no wait or cannot be read, and caps at a day", () => {
    expect(retryAfter(undefined, now)).toBeUndefined();
    expect(retryAfter("0", now)).toBeUndefined();
    expect(retryAfter("-5", now)).toBeUndefined();
    expect(retryAfter("soon", now)).toBeUndefined();
    expect(retryAfter("Wed, 31 Dec 2025 23:00:00 GMT", now)).toBeUndefined();
    expect(retryAfter(String(7 * 86_400), now)).toBe(86_400_000);
  });
});

describe("deliveryIds", () => {
  const event = { type: "job.succeeded" as const, tenant: "acme", jobId: "job_1", at: 1 };

  it("are deterministic, so emitting an event twice adds nothing", () => {
    const target = { kind: "job_url" as const, url: "https://example.com/hook" };
    expect(deliveryIds(event, target)).toEqual(deliveryIds({ ...event, at: 2 }, target));
    expect(deliveryIds(event, target).id).toMatch(/^dlv_[0-9a-f]{29}$/);
  });

  it("give each target its own delivery and one webhook-id per event", () => {
    const a = deliveryIds(event, { kind: "job_url", url: "https://example.com/hook" });
    const b = deliveryIds(event, { kind: "endpoint", endpointId: "whe_1", url: "https://example.com/other" });
    expect(a.id).not.toBe(b.id);
    expect(a.webhookId).toBe(b.webhookId);
    expect(deliveryIds({ ...event, type: "job.failed" }, { kind: "job_url", url: "x" }).webhookId).not.toBe(
      a.webhookId,
    );
  });
});
