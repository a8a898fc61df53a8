import { ClaimLost } from "@facegate/records";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { face, form } from "./support/images";
import { startTestSystem, type TestSystem } from "./support/system";

let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem();
});
afterAll(() => t?.close());

async function post(key: string, hue: number) {
  return t.api("/v1/jobs", {
    method: "POST",
    headers: { "idempotency-key": key },
    body: form(
      { operation: "face_fusion", vendor: "ailab" },
      { target: await face(hue), template: await face(200) },
    ),
  });
}

describe("Idempotency-Key claims", () => {
  it("the job is recorded in the claim in the step that creates it; an owner that lost the claim creates nothing", async () => {
    const { idempotency, records, redis } = t.system.ctx;
    const mine = idempotency.hold("acme", "order-90", "job_owner_a");
    expect(await idempotency.claim(mine, "fp-90")).toEqual({ status: "new" });
    // Still within its lease: a retry is told to wait.
    const retry = idempotency.hold("acme", "order-90", "job_owner_b");
    expect(await idempotency.claim(retry, "fp-90")).toEqual({ status: "in_progress" });
    // The first request stops renewing (its process died): the lease lapses and the retry takes over.
    await redis.set(mine.key, JSON.stringify({ fingerprint: "fp-90", owner: mine.owner, leaseUntil: 0 }));
    expect(await idempotency.claim(retry, "fp-90")).toEqual({ status: "new" });

    const record = (await records.get(((await (await post("order-91", 30)).json()) as { id: string }).id))!;
    // The first request was only paused, not dead: its creation is refused.
    await expect(records.create({ ...record, id: "job_owner_a" }, mine)).rejects.toBeInstanceOf(ClaimLost);
    expect(await records.get("job_owner_a")).toBeUndefined();
    // The retry's creation goes through and names its job in the claim, in the same step.
    await records.create({ ...record, id: "job_owner_b" }, retry);
    expect(JSON.parse((await redis.get(retry.key))!)).toEqual({ fingerprint: "fp-90", jobId: "job_owner_b" });
    expect(await idempotency.claim(retry, "fp-90")).toEqual({ status: "replay", jobId: "job_owner_b" });
  });
});
