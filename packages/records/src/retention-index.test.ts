import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { redisKeys } from "./redis-keys";
import { RetentionIndex } from "./retention-index";

let redis: Redis;
const keys = redisKeys(`ret${randomBytes(4).toString("hex")}`);
let retention: RetentionIndex;

beforeAll(() => {
  redis = new Redis(inject("redisUrl"));
  retention = new RetentionIndex(redis, keys);
});
afterAll(() => redis.disconnect());

describe("RetentionIndex", () => {
  it("hands back outputs once expired, earliest first, up to the limit, until removed", async () => {
    const out = (n: number) => ({ jobId: `job_${n}`, key: `outputs/acme/job_${n}/out:${n}.jpg` });
    await retention.addOutput(out(3), 3000);
    await retention.addOutput(out(1), 1000);
    await retention.addOutput(out(2), 2000);
    await retention.addOutput(out(9), 9000);
    expect(await retention.expiredOutputs(500, 10)).toEqual([]);
    expect(await retention.expiredOutputs(5000, 10)).toEqual([out(1), out(2), out(3)]);
    expect(await retention.expiredOutputs(5000, 2)).toEqual([out(1), out(2)]);
    // The member layout the sweep has always read: `<job id>:<object key>`.
    expect(await redis.zscore(keys.outputs, `job_1:${out(1).key}`)).toBe("1000");

    await retention.removeOutputs([out(1), out(3)]);
    await retention.removeOutputs([]);
    expect(await retention.expiredOutputs(10_000, 10)).toEqual([out(2), out(9)]);
  });

  it("keeps deferred deletions, the longest waiting first, until done", async () => {
    await retention.deferDeletion("inputs/acme/job_b", 2000);
    await retention.deferDeletion("batches/acme/bat_a", 1000);
    await retention.deferDeletion("inputs/acme/job_c", 3000);
    expect(await retention.deferredDeletions(2)).toEqual(["batches/acme/bat_a", "inputs/acme/job_b"]);
    await retention.deletionDone("batches/acme/bat_a");
    expect(await retention.deferredDeletions(10)).toEqual(["inputs/acme/job_b", "inputs/acme/job_c"]);
    expect(await redis.zscore(keys.pendingCleanup, "inputs/acme/job_c")).toBe("3000");
  });
});
