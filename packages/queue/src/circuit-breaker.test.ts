import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CircuitBreaker } from "./circuit-breaker";

let redis: Redis;
beforeAll(() => {
  redis = new Redis(inject("redisUrl"));
});
afterAll(() => redis.disconnect());

describe("CircuitBreaker", () => {
  const prefix = `cb-test:${randomBytes(4).toString("hex")}`;

  it("opens after consecutive failures and closes on success", async () => {
    const breaker = new CircuitBreaker(redis, (v) => `${prefix}:${v}`, 3, 60_000);
    expect(await breaker.recordFailure("ailab", "vendor_unavailable")).toBe(false);
    expect(await breaker.recordFailure("ailab", "vendor_unavailable")).toBe(false);
    expect(await breaker.isOpen("ailab")).toBe(false);
    expect(await breaker.recordFailure("ailab", "vendor_auth_failed")).toBe(true);
    expect(await breaker.isOpen("ailab")).toBe(true);
    expect(await breaker.isOpen("aigs")).toBe(false);
    expect(await breaker.state("ailab")).toMatchObject({ open: true, lastReason: "vendor_auth_failed" });
    await breaker.recordSuccess("ailab");
    expect(await breaker.isOpen("ailab")).toBe(false);
  });

  it("a success between failures resets the count", async () => {
    const breaker = new CircuitBreaker(redis, (v) => `${prefix}:b:${v}`, 2, 60_000);
    await breaker.recordFailure("tencent", "x");
    await breaker.recordSuccess("tencent");
    expect(await breaker.recordFailure("tencent", "x")).toBe(false);
  });

  it("half-opens after the open period", async () => {
    const breaker = new CircuitBreaker(redis, (v) => `${prefix}:c:${v}`, 1, 200);
    await breaker.recordFailure("aigs", "x");
    expect(await breaker.isOpen("aigs")).toBe(true);
    await new Promise((r) => setTimeout(r, 250));
    expect(await breaker.isOpen("aigs")).toBe(false);
  });
});
