import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ApiContext, createApiContext, createApp, listen, type RunningServer } from "@facegate/api";
import { loadConfig } from "@facegate/config";
import { createLogger } from "@facegate/logger";
import { type EmbeddedRedis, startEmbeddedRedis } from "@facegate/queue";
import { hashKey } from "@facegate/records";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { watchApi } from "../support/api-responses";
import { startTestSystem, type TestSystem } from "../support/system";
import { TEST_KEYS } from "../support/test-env";
import { expectProblem } from "./support";

/*
 * The per-key request limit (API_RATE_LIMIT_PER_MINUTE) is counted in Redis: it trips at N+1
 * for one key and not for another tenant's, a second API process on the same Redis sees the same
 * count, answers carry RateLimit headers, and a refusal is a 429 problem with Retry-After. With
 * Redis gone nothing can be counted or served: 503, never 500; and it heals when Redis is back.
 */

const LIMIT = 5;

describe("per-key rate limit", () => {
  let t: TestSystem;
  let second: { ctx: ApiContext; server: RunningServer };

  beforeAll(async () => {
    t = await startTestSystem({ worker: false, env: { API_RATE_LIMIT_PER_MINUTE: String(LIMIT) } });
    // A second API process on the same Redis and prefix, as production runs several.
    const ctx = await createApiContext(loadConfig(t.env), createLogger({ level: "silent" }));
    second = { ctx, server: await listen(createApp(ctx), 0, "127.0.0.1") };
    watchApi(second.server.url);
  });
  afterAll(async () => {
    await second?.server.close();
    await second?.ctx.close();
    await t?.close();
  });

  it("lets N requests through with RateLimit headers, refuses the next with 429 and Retry-After", async () => {
    for (let i = 1; i <= LIMIT; i++) {
      const res = await t.api("/v1/jobs");
      expect(res.status, `request ${i}`).toBe(200);
      expect(res.headers.get("ratelimit")).toMatch(
        new RegExp(`^"${LIMIT}-in-1min"; r=${LIMIT - i}; t=\\d+$`),
      );
      expect(res.headers.get("ratelimit-policy")).toMatch(
        new RegExp(`^"${LIMIT}-in-1min"; q=${LIMIT}; w=60; pk=:[\\w+/=]+:$`),
      );
    }
    const refused = await t.api("/v1/jobs");
    const problem = await expectProblem(refused, 429, "rate_limited");
    expect(problem.detail).toContain(`${LIMIT} requests per minute`);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers.get("ratelimit")).toMatch(/; r=0; t=\d+$/);
    // Every route under /v1 counts: a POST is refused as well, before its body is read.
    await expectProblem(await t.api("/v1/jobs", { method: "POST", body: "{}" }), 429, "rate_limited");
  });

  it("does not count against the other tenant's key", async () => {
    const res = await t.api("/v1/jobs", { tenant: "beta" });
    expect(res.status).toBe(200);
    expect(res.headers.get("ratelimit")).toMatch(new RegExp(`; r=${LIMIT - 1}; `));
  });

  it("is shared by every API process: the second one refuses acme too and counts beta on", async () => {
    const call = (key: string) =>
      fetch(`${second.server.url}/v1/jobs`, { headers: { authorization: `Bearer ${key}` } });
    await expectProblem(await call(TEST_KEYS.acme), 429, "rate_limited");
    const beta = await call(TEST_KEYS.beta);
    expect(beta.status).toBe(200);
    expect(beta.headers.get("ratelimit")).toMatch(new RegExp(`; r=${LIMIT - 2}; `));
  });

  it("counts by key id in Redis under the configured prefix, never by the key itself", async () => {
    const info = await t.system.ctx.apiKeys.authenticate(TEST_KEYS.acme);
    const counter = `${t.env.REDIS_PREFIX}:ratelimit:${info!.id}`;
    const { redis } = t.system.ctx;
    expect(Number(await redis.get(counter))).toBeGreaterThan(LIMIT);
    const ttl = await redis.pttl(counter);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    const names = await redis.keys(`${t.env.REDIS_PREFIX}:ratelimit:*`);
    expect(names.some((n) => n.includes(TEST_KEYS.acme) || n.includes(hashKey(TEST_KEYS.acme)))).toBe(false);
  });

  it("leaves health, docs and metrics alone", async () => {
    for (let i = 0; i < LIMIT * 2; i++) expect((await fetch(`${t.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.url}/openapi.json`)).status).toBe(200);
  });

  it("refuses unauthenticated requests before counting anything", async () => {
    await expectProblem(await fetch(`${t.url}/v1/jobs`), 401, "unauthorized");
  });
});

describe("with Redis down", () => {
  let dir: string;
  let redis: EmbeddedRedis;
  let t: TestSystem;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "fg-ratelimit-redis-"));
    redis = await startEmbeddedRedis({ directory: dir });
    t = await startTestSystem({
      worker: false,
      env: { REDIS_URL: redis.url, API_RATE_LIMIT_PER_MINUTE: "1000" },
    });
  });
  afterAll(async () => {
    await t?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers 503 (not 500) while it is away, and serves again once it is back", async () => {
    expect((await t.api("/v1/jobs")).status).toBe(200);
    await redis.stop();
    // The key is still in the auth cache: the rate limit is what cannot be checked.
    const cached = await t.api("/v1/jobs");
    await expectProblem(cached, 503, "unavailable");
    expect(cached.headers.get("retry-after")).toBe("5");
    // A key not in the cache cannot be looked up either.
    await expectProblem(
      await t.api("/v1/jobs", { headers: { authorization: "Bearer fg_some_other_key_0000000000" } }),
      503,
      "unavailable",
    );
    expect((await fetch(`${t.url}/healthz`)).status).toBe(200);

    await redis.restart();
    const deadline = Date.now() + 15_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await t.api("/v1/jobs")).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe(200);
  });
});
