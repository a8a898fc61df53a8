import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";
import { autoVendors, configuredVendors } from "./vendors";

const base = {
  REDIS_URL: "redis://127.0.0.1:6379",
  S3_BUCKET: "facegate",
  S3_ACCESS_KEY_ID: "id",
  S3_SECRET_ACCESS_KEY: "secret",
};

describe("loadConfig", () => {
  it("fills defaults and nests the result", () => {
    const c = loadConfig(base);
    expect(c.api.port).toBe(8080);
    expect(c.vendors.aigs.rpsPerToken).toBe(1);
    expect(c.vendors.tencent.rps).toBe(20);
    expect(c.webhooks.retryScheduleMs).toHaveLength(10);
    expect(c.webhooks.retryScheduleMs[1]).toBe(5_000);
    expect(c.retention.outputMs).toBe(30 * 86_400_000);
  });

  it("lists every problem at once", () => {
    let error: unknown;
    try {
      loadConfig({ PORT: "eighty", S3_BUCKET: "Bad_Bucket" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join("\n");
    expect(problems).toMatch(/PORT/);
    expect(problems).toMatch(/REDIS_URL/);
    expect(problems).toMatch(/S3_BUCKET/);
    expect(problems).toMatch(/S3_ACCESS_KEY_ID/);
  });

  it("does not read 'false' as true", () => {
    expect(loadConfig({ ...base, S3_FORCE_PATH_STYLE: "false" }).s3.forcePathStyle).toBe(false);
    expect(loadConfig({ ...base, S3_FORCE_PATH_STYLE: "true" }).s3.forcePathStyle).toBe(true);
    expect(() => loadConfig({ ...base, S3_FORCE_PATH_STYLE: "maybe" })).toThrow(ConfigError);
  });

  it("parses lists, pools and durations", () => {
    const c = loadConfig({
      ...base,
      AIGS_TOKENS: "a, b,,c",
      API_KEYS: "acme:0123456789abcdef,beta:fedcba9876543210",
      WEBHOOK_RETRY_SCHEDULE: "0,100ms,2s,1m",
      VENDOR_PREFERENCE: "aigs,ailab",
    });
    expect(c.vendors.aigs.tokens).toEqual(["a", "b", "c"]);
    expect(c.api.keys).toEqual([
      { tenant: "acme", key: "0123456789abcdef" },
      { tenant: "beta", key: "fedcba9876543210" },
    ]);
    expect(c.webhooks.retryScheduleMs).toEqual([0, 100, 2_000, 60_000]);
    expect(autoVendors(c.vendors)).toEqual(["aigs"]);
    expect(configuredVendors(c.vendors)).toEqual(["aigs", "local"]);
  });

  it("refuses half-configured vendors and malformed keys", () => {
    expect(() => loadConfig({ ...base, TENCENT_SECRET_ID: "x" })).toThrow(/TENCENT_SECRET_KEY/);
    expect(() => loadConfig({ ...base, API_KEYS: "nokey" })).toThrow(/API_KEYS/);
    expect(() => loadConfig({ ...base, VENDOR_PREFERENCE: "ailab,acme" })).toThrow(/VENDOR_PREFERENCE/);
  });

  it("reads one Redis, a cluster or Sentinel, and exactly one of them", () => {
    const { REDIS_URL: _, ...noRedis } = base;
    expect(loadConfig(base).redis).toEqual({ mode: "single", url: base.REDIS_URL, prefix: "fg" });
    expect(
      loadConfig({ ...noRedis, REDIS_CLUSTER_NODES: "10.0.0.1:7000, redis-2:7001,[::1]:7002" }).redis,
    ).toEqual({
      mode: "cluster",
      nodes: [
        { host: "10.0.0.1", port: 7000 },
        { host: "redis-2", port: 7001 },
        { host: "::1", port: 7002 },
      ],
      prefix: "fg",
    });
    expect(
      loadConfig({ ...noRedis, REDIS_SENTINELS: "s1:26379,s2:26379", REDIS_SENTINEL_NAME: "main" }).redis,
    ).toEqual({
      mode: "sentinel",
      sentinels: [
        { host: "s1", port: 26_379 },
        { host: "s2", port: 26_379 },
      ],
      name: "main",
      prefix: "fg",
    });
    expect(() => loadConfig(noRedis)).toThrow(/REDIS_URL.*REDIS_CLUSTER_NODES/);
    expect(() => loadConfig({ ...base, REDIS_CLUSTER_NODES: "a:1" })).toThrow(/only one of/);
    expect(() => loadConfig({ ...noRedis, REDIS_SENTINELS: "s1:26379" })).toThrow(/REDIS_SENTINEL_NAME/);
    expect(() => loadConfig({ ...noRedis, REDIS_CLUSTER_NODES: "a:1,b" })).toThrow(/"b" is not host:port/);
    expect(() => loadConfig({ ...noRedis, REDIS_CLUSTER_NODES: "a:70000" })).toThrow(/host:port/);
  });

  it("refuses hash tags in REDIS_PREFIX: facegate places them itself", () => {
    expect(() => loadConfig({ ...base, REDIS_PREFIX: "{fg}" })).toThrow(/REDIS_PREFIX/);
    expect(loadConfig({ ...base, REDIS_PREFIX: "fg-prod" }).redis.prefix).toBe("fg-prod");
  });
});
