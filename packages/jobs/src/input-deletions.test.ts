import { randomBytes } from "node:crypto";
import type { JobRecord, StoredInput } from "@facegate/core";
import { createLogger } from "@facegate/logger";
import { JobRecords, RetentionIndex, redisKeys } from "@facegate/records";
import { jobRecord } from "@facegate/records/job-fixture";
import { keys as objectKeys, S3Store } from "@facegate/storage";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { InputDeletions } from "./input-deletions";

let redis: Redis;
const keys = redisKeys(`del${randomBytes(4).toString("hex")}`);
let records: JobRecords;
let retention: RetentionIndex;
let store: S3Store;
/** Every S3 operation the store makes, by name. */
const operations: string[] = [];
const logger = createLogger({ level: "silent" });

beforeAll(async () => {
  redis = new Redis(inject("redisUrl"));
  records = new JobRecords(redis, keys, 60_000);
  retention = new RetentionIndex(redis, keys);
  store = new S3Store({
    ...inject("s3"),
    region: "us-east-1",
    bucket: `deletions-${randomBytes(4).toString("hex")}`,
    forcePathStyle: true,
    onOperation: (operation) => operations.push(operation),
  });
  await store.ensureBucket();
});
afterAll(() => {
  store.destroy();
  redis.disconnect();
});

/** A job with its inputs in S3, finished: its record final and in the outbox. */
async function finishedJob(roles: string[], shared: string[] = []): Promise<JobRecord> {
  const job = jobRecord();
  const input = async (role: string): Promise<StoredInput> => {
    const key = objectKeys.input(job.tenant, job.id, role);
    await store.put(key, Buffer.from(role), { contentType: "image/jpeg" });
    return {
      key,
      format: "jpeg",
      width: 1,
      height: 1,
      bytes: 1,
      sha256: "0".repeat(64),
      ...(shared.includes(role) ? { shared: true } : {}),
    };
  };
  for (const role of roles) {
    job.inputs[role as "target" | "template"] = await input(role);
  }
  await records.create(job);
  const finished = await records.update(job.id, (r) => ({ ...r, status: "succeeded" }));
  return finished!.record;
}

const inOutbox = async (id: string) => (await records.outboxBefore(Date.now() + 1000, 1000)).includes(id);
const stored = (job: JobRecord) => store.list(`inputs/${job.tenant}/${job.id}/`);

describe("InputDeletions", () => {
  it("deletes the inputs of every job finished within the delay in one request, then takes them out of the outbox", async () => {
    const deletions = new InputDeletions({ store, records, retention, logger }, 60_000);
    const jobs = [await finishedJob(["target", "template"]), await finishedJob(["target"])];
    for (const job of jobs) await deletions.add(job);
    // Not yet: the batch waits for the delay (or a flush).
    for (const job of jobs) {
      expect(await stored(job)).not.toEqual([]);
      expect(await inOutbox(job.id)).toBe(true);
    }
    operations.length = 0;
    await deletions.flush();
    expect(operations).toEqual(["delete"]);
    for (const job of jobs) {
      expect(await stored(job)).toEqual([]);
      expect(await inOutbox(job.id)).toBe(false);
    }
    await deletions.close();
  });

  it("deletes on its own once the delay has passed", async () => {
    const deletions = new InputDeletions({ store, records, retention, logger }, 20);
    const job = await finishedJob(["target"]);
    await deletions.add(job);
    await expect.poll(() => inOutbox(job.id), { timeout: 5_000 }).toBe(false);
    expect(await stored(job)).toEqual([]);
    await deletions.close();
  });

  it("leaves a batch's shared template, and takes a job with nothing of its own out at once", async () => {
    const deletions = new InputDeletions({ store, records, retention, logger }, 60_000);
    const job = await finishedJob(["template"], ["template"]);
    await deletions.add(job);
    expect(await inOutbox(job.id)).toBe(false);
    expect(await stored(job)).toEqual([job.inputs.template!.key]);
    await deletions.close();
  });

  it("defers to the retention sweep what storage refuses, and takes the jobs out of the outbox", async () => {
    const down = new S3Store({
      endpoint: "http://127.0.0.1:9",
      region: "us-east-1",
      bucket: store.bucket,
      accessKeyId: "id",
      secretAccessKey: "secret",
      forcePathStyle: true,
    });
    const deletions = new InputDeletions({ store: down, records, retention, logger }, 60_000);
    const job = await finishedJob(["target"]);
    await deletions.add(job);
    await deletions.close();
    down.destroy();
    expect(await inOutbox(job.id)).toBe(false);
    expect(await retention.deferredDeletions(1000)).toContain(`inputs/${job.tenant}/${job.id}`);
    expect(await stored(job)).not.toEqual([]);
  });

  it("once closed, leaves a finished job in the outbox for the next flush of it", async () => {
    const deletions = new InputDeletions({ store, records, retention, logger }, 60_000);
    await deletions.close();
    const job = await finishedJob(["target"]);
    await deletions.add(job);
    expect(await inOutbox(job.id)).toBe(true);
    expect(await stored(job)).not.toEqual([]);
  });
});
