import { randomBytes } from "node:crypto";
import { type JobRecord, newId } from "@facegate/core";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { jobRecord } from "./job-fixture";
import { JobRecords } from "./job-records";
import { SEAL_BATCH } from "./job-scripts";
import { redisKeys } from "./redis-keys";

let redis: Redis;
const keys = redisKeys(`rec${randomBytes(4).toString("hex")}`);
let records: JobRecords;

beforeAll(() => {
  redis = new Redis(inject("redisUrl"));
  records = new JobRecords(redis, keys, 60_000);
});
afterAll(() => redis.disconnect());

const job = jobRecord;

describe("JobRecords", () => {
  it("creates once and keeps the tenant's open count", async () => {
    const r = job({ tenant: "t-open" });
    expect(await records.create(r)).toBe(1);
    expect(await records.create(r)).toBe(0);
    expect(await records.openCount("t-open")).toBe(1);
    await records.update(r.id, (c) => ({ ...c, status: "succeeded" }));
    expect(await records.openCount("t-open")).toBe(0);
    expect(await redis.pttl(keys.job(r.id))).toBeGreaterThan(50_000);
    expect(await redis.zscore(keys.outbox, r.id)).not.toBeNull();
  });

  it("announces each update, and a final one with the record it left", async () => {
    const subscriber = new Redis(inject("redisUrl"));
    try {
      await subscriber.subscribe(keys.jobChangedChannel);
      const r = job({ tenant: "t-notice" });
      const heard = new Promise<Record<string, unknown>[]>((resolve) => {
        const notices: Record<string, unknown>[] = [];
        subscriber.on("message", (_channel: string, message: string) => {
          const notice = JSON.parse(message) as Record<string, unknown>;
          if (notice.id !== r.id) return;
          notices.push(notice);
          if (notices.length === 2) resolve(notices);
        });
      });
      await records.create(r);
      await records.update(r.id, (c) => ({ ...c, status: "running" }));
      await records.update(r.id, (c) => ({ ...c, status: "failed" }));
      const [running, failed] = await heard;
      expect(running).toMatchObject({ status: "running" });
      expect(running?.doc).toBeUndefined();
      expect(failed).toMatchObject({ status: "failed" });
      expect(JSON.parse(failed?.doc as string)).toEqual(await records.get(r.id));
    } finally {
      subscriber.disconnect();
    }
  });

  it("holds the inputs it was created with until the job is final, byte for byte", async () => {
    const r = job({ tenant: "t-held" });
    const photo = randomBytes(3000); // every byte value, not only text
    await records.create(r, undefined, new Map([["inputs/t-held/x/target", photo]]));
    const created = await records.getWithInputs(r.id);
    expect(created?.record).toEqual(r);
    expect(created?.held.get("inputs/t-held/x/target")?.equals(photo)).toBe(true);
    await records.update(r.id, (c) => ({ ...c, status: "running" }));
    expect((await records.getWithInputs(r.id))?.held.size).toBe(1);
    await records.update(r.id, (c) => ({ ...c, status: "succeeded" }));
    expect((await records.getWithInputs(r.id))?.held.size).toBe(0);
    expect(await redis.hexists(keys.job(r.id), "inputs")).toBe(0);
    // A record created without any holds none.
    const plain = job({ tenant: "t-held" });
    await records.create(plain);
    expect((await records.getWithInputs(plain.id))?.held.size).toBe(0);
  });

  it("never loses a concurrent update (compare-and-set)", async () => {
    const r = job();
    await records.create(r);
    await Promise.all(
      Array.from({ length: 20 }, () => records.update(r.id, (c) => ({ ...c, attempts: c.attempts + 1 }))),
    );
    expect((await records.get(r.id))?.attempts).toBe(20);
  });

  it("hides other tenants' jobs", async () => {
    const r = job({ tenant: "owner" });
    await records.create(r);
    expect(await records.getForTenant("owner", r.id)).toBeDefined();
    expect(await records.getForTenant("stranger", r.id)).toBeUndefined();
  });

  it("lists newest first with a cursor and filters", async () => {
    const base = Date.now() - 10_000;
    const made = [];
    for (let i = 0; i < 7; i++) {
      const r = job({ tenant: "lister", status: i % 2 ? "failed" : "queued" }, base + i * 1000);
      await records.create(r);
      made.push(r);
    }
    const first = await records.list("lister", { limit: 3 });
    expect(first.records.map((r) => r.id)).toEqual([made[6]!.id, made[5]!.id, made[4]!.id]);
    const second = await records.list("lister", { limit: 3, cursor: first.nextCursor });
    expect(second.records.map((r) => r.id)).toEqual([made[3]!.id, made[2]!.id, made[1]!.id]);
    const last = await records.list("lister", { limit: 3, cursor: second.nextCursor });
    expect(last.records.map((r) => r.id)).toEqual([made[0]!.id]);
    expect(last.nextCursor).toBeUndefined();

    const failed = await records.list("lister", { limit: 10, status: "failed" });
    expect(failed.records.map((r) => r.id)).toEqual([made[5]!.id, made[3]!.id, made[1]!.id]);
    const window = await records.list("lister", {
      limit: 10,
      createdAfter: base + 2000,
      createdBefore: base + 4000,
    });
    expect(window.records.map((r) => r.id)).toEqual([made[4]!.id, made[3]!.id, made[2]!.id]);
  });

  it("prunes index entries older than retention, and only those", async () => {
    const old = job({ tenant: "pruned" }, Date.now() - 10 * 86_400_000);
    const fresh = job({ tenant: "pruned" });
    await records.create(old);
    await records.create(fresh);
    expect(await redis.sismember(keys.tenants, "pruned")).toBe(1);
    expect(await records.pruneIndexes(Date.now() - 86_400_000)).toBeGreaterThanOrEqual(1);
    expect(await redis.zrange(keys.tenantJobs("pruned"), 0, -1)).toEqual([fresh.id]);
  });

  it("walks the outbox and the open-jobs index for the reconciler", async () => {
    const r = job({ tenant: "t-reconcile" });
    await records.create(r);
    expect(await records.exists(r.id)).toBe(true);
    expect(await records.exists(newId("job"))).toBe(false);
    expect(await records.tenants()).toContain("t-reconcile");

    expect(await records.staleOpenJobs(Date.now() + 1000, 1000)).toContain(r.id);
    await records.touchOpenJob(r.id, Date.now() + 60_000);
    expect(await records.staleOpenJobs(Date.now() + 1000, 1000)).not.toContain(r.id);
    await records.forgetOpenJob(r.id);
    // Only an entry still there is touched: a forgotten job does not come back.
    await records.touchOpenJob(r.id, 1);
    expect(await redis.zscore(keys.openJobs, r.id)).toBeNull();

    await records.update(r.id, (c) => ({ ...c, status: "failed" }));
    expect(await records.outboxBefore(Date.now() + 1000, 1000)).toContain(r.id);
    expect(await records.outboxBefore(0, 1000)).not.toContain(r.id);
    await records.outboxDone([r.id]);
    expect(await records.outboxBefore(Date.now() + 1000, 1000)).not.toContain(r.id);
  });

  it("announces a finish, a change and a cancel request on their channels", async () => {
    const subscriber = new Redis(inject("redisUrl"));
    try {
      const channels = [keys.finishedChannel, keys.jobChangedChannel, keys.cancelChannel];
      await subscriber.subscribe(...channels);
      const heard = new Promise<[string, string][]>((resolve) => {
        const messages: [string, string][] = [];
        subscriber.on("message", (channel: string, message: string) => {
          messages.push([channel, message]);
          if (messages.length === 3) resolve(messages);
        });
      });
      await records.announceFinished("job_a", "acme");
      await records.announceChange({ kind: "attempt", id: "job_a", tenant: "acme" });
      await records.requestCancel("job_a.ailab");
      expect(await heard).toEqual([
        [keys.finishedChannel, JSON.stringify({ id: "job_a", tenant: "acme" })],
        [keys.jobChangedChannel, JSON.stringify({ kind: "attempt", id: "job_a", tenant: "acme" })],
        [keys.cancelChannel, "job_a.ailab"],
      ]);
    } finally {
      subscriber.disconnect();
    }
  });

  it("completes a batch exactly once, after it is sealed and every item is final", async () => {
    const batchId = newId("bat");
    await redis.hset(keys.batch(batchId), { id: batchId, tenant: "acme", total: 0 });
    const items = [job({ batchId }), job({ batchId }), job({ batchId })];
    for (const r of items) await records.create(r);
    expect(await redis.hget(keys.batch(batchId), "total")).toBe("3");

    const finish = (r: JobRecord, status: JobRecord["status"]) =>
      records.update(r.id, (c) => ({ ...c, status }));
    expect((await finish(items[0]!, "succeeded"))?.batchCompleted).toBe(false);
    expect((await finish(items[1]!, "failed"))?.batchCompleted).toBe(false);
    // All final but not sealed yet (more items could come): not complete.
    expect((await finish(items[2]!, "canceled"))?.batchCompleted).toBe(false);
    expect(await redis.eval(SEAL_BATCH, 2, keys.batch(batchId), keys.outbox, Date.now(), batchId)).toBe(1);
    expect(await redis.eval(SEAL_BATCH, 2, keys.batch(batchId), keys.outbox, Date.now(), batchId)).toBe(0);
    expect(await redis.hmget(keys.batch(batchId), "succeeded", "failed", "canceled", "queued")).toEqual([
      "1",
      "1",
      "1",
      "0",
    ]);
    // A second final write on an already final job does not count twice.
    await finish(items[0]!, "succeeded");
    expect(await redis.hget(keys.batch(batchId), "succeeded")).toBe("1");
  });
});
