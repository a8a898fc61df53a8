import { randomBytes } from "node:crypto";
import { newId, type StoredInput } from "@facegate/core";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Batches, type BatchFields, type PreparedItem } from "./batches";
import { jobRecord } from "./job-fixture";
import { JobRecords } from "./job-records";
import { redisKeys } from "./redis-keys";

let redis: Redis;
const keys = redisKeys(`bat${randomBytes(4).toString("hex")}`);
let batches: Batches;
let records: JobRecords;

beforeAll(() => {
  redis = new Redis(inject("redisUrl"));
  batches = new Batches(redis, keys, 60_000);
  records = new JobRecords(redis, keys, 60_000);
});
afterAll(() => redis.disconnect());

function fields(overrides: Partial<BatchFields> = {}, at = Date.now()): BatchFields {
  return {
    id: newId("bat", at),
    tenant: "acme",
    operation: "face_fusion",
    vendor: "auto",
    params: { strength: 0.5 },
    metadata: { campaign: "spring" },
    source: "targets",
    expected: 2,
    createdAt: at,
    ...overrides,
  };
}

const stored = (key: string, shared?: boolean): StoredInput => ({
  key,
  format: "jpeg",
  width: 64,
  height: 64,
  bytes: 100,
  sha256: "0".repeat(64),
  ...(shared ? { shared } : {}),
});

const item = (batchId: string, tenant: string) => jobRecord({ batchId, tenant });

describe("Batches", () => {
  it("writes a batch and reads it back with zeroed counters, hidden from other tenants", async () => {
    const template = stored("batches/acme/t.jpg", true);
    const batch = fields({ webhookUrl: "https://example.com/hook", preflight: true, template });
    await batches.create(batch);
    const read = await batches.get(batch.id);
    expect(read).toMatchObject({
      ...batch,
      sealed: false,
      counts: { total: 0, queued: 0, running: 0, succeeded: 0, failed: 0, canceled: 0 },
    });
    expect(read?.startedAt).toBeUndefined();
    expect(await batches.get(batch.id, "acme")).toBeDefined();
    expect(await batches.get(batch.id, "stranger")).toBeUndefined();
    expect(await batches.get(newId("bat"))).toBeUndefined();
    expect(await batches.owner(batch.id)).toBe("acme");
    expect(await batches.owner(newId("bat"))).toBeUndefined();
  });

  it("keeps the hash layout the job scripts count in", async () => {
    const batch = fields({ tenant: "layout" });
    await batches.create(batch);
    expect(await redis.hgetall(keys.batch(batch.id))).toMatchObject({
      id: batch.id,
      tenant: "layout",
      params: JSON.stringify(batch.params),
      webhookUrl: "",
      preflight: "",
      total: "0",
      queued: "0",
    });
    await records.create(item(batch.id, "layout"));
    expect((await batches.get(batch.id))?.counts).toMatchObject({ total: 1, queued: 1 });
  });

  it("lists a tenant's batches newest first, page by page", async () => {
    const base = Date.now() - 10_000;
    const made = [];
    for (let i = 0; i < 5; i++) {
      const batch = fields({ tenant: "lister" }, base + i * 1000);
      await batches.create(batch);
      made.push(batch.id);
    }
    const first = await batches.listIds("lister", { limit: 3 });
    expect(first).toEqual([made[4], made[3], made[2]]);
    expect(await batches.listIds("lister", { limit: 3, cursor: first[2] })).toEqual([made[1], made[0]]);
    expect(await batches.listIds("nobody", { limit: 3 })).toEqual([]);
  });

  it("marks the start and the cancel once, keeping the first time", async () => {
    const batch = fields();
    await batches.create(batch);
    expect(await batches.isCanceled(batch.id)).toBe(false);
    await batches.markStarted(batch.id, 1000);
    await batches.markStarted(batch.id, 2000);
    await batches.markCanceled(batch.id, 3000);
    await batches.markCanceled(batch.id, 4000);
    expect(await batches.isCanceled(batch.id)).toBe(true);
    expect(await batches.get(batch.id)).toMatchObject({ startedAt: 1000, canceledAt: 3000 });
  });

  it("hands back prepared items in order across pages, and drops them when sealed", async () => {
    const batch = fields({ expected: 1203 });
    const prepared: PreparedItem[] = Array.from({ length: 1203 }, (_, index) => ({
      index,
      name: `${index}.jpg`,
      ...(index % 2
        ? { error: { code: "invalid_image" as const, message: "unusable file", retryable: false } }
        : { input: stored(`inputs/acme/${index}`) }),
    }));
    await batches.create(batch, prepared);
    const read: PreparedItem[] = [];
    for await (const p of batches.preparedItems(batch.id)) read.push(p);
    expect(read).toEqual(prepared);

    expect(await batches.seal(batch.id)).toBe(true);
    expect(await redis.exists(keys.batchItems(batch.id))).toBe(0);
    const empty: PreparedItem[] = [];
    for await (const p of batches.preparedItems(batch.id)) empty.push(p);
    expect(empty).toEqual([]);
  });

  it("completes on sealing once every item is final, exactly once, into the outbox", async () => {
    const batch = fields({ tenant: "sealer" });
    await batches.create(batch);
    const job = item(batch.id, "sealer");
    await records.create(job);
    expect(await batches.seal(batch.id)).toBe(false);
    expect((await batches.get(batch.id))?.sealed).toBe(true);
    expect((await records.update(job.id, (c) => ({ ...c, status: "succeeded" })))?.batchCompleted).toBe(true);
    expect((await batches.get(batch.id))?.completedAt).toBeGreaterThan(0);
    expect(await redis.zscore(keys.outbox, batch.id)).not.toBeNull();

    const idle = fields({ tenant: "sealer" });
    await batches.create(idle);
    expect(await batches.seal(idle.id)).toBe(true);
    expect(await batches.seal(idle.id)).toBe(false);
  });

  it("expires a completed batch's record and job index with retention", async () => {
    const batch = fields({ tenant: "expiring" });
    await batches.create(batch);
    await records.create(item(batch.id, "expiring"));
    await batches.expireWithRetention(batch.id);
    for (const key of [keys.batch(batch.id), keys.batchJobs(batch.id)]) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
  });
});
