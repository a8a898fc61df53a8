import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { face, form } from "./support/images";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

let t: TestSystem;

beforeAll(async () => {
  // The vendor takes a while, so the wait is under way when the notices below arrive.
  t = await startTestSystem({ sim: { ailab: { latencyMs: 3_000 } } });
});
afterAll(() => t?.close());

describe("Prefer: wait", () => {
  it("ends with the job final, not at a notice the record does not bear out", async () => {
    const answer = t.api("/v1/jobs", {
      method: "POST",
      headers: { prefer: "wait=30" },
      body: form(
        { operation: "face_fusion", vendor: "ailab" },
        { target: await face(20), template: await face(200) },
      ),
    });
    const { keys, records, redis } = t.system.ctx;
    let id: string | undefined;
    await until(async () => {
      const [latest] = (await records.list("acme", { limit: 1 })).records;
      id = latest?.status === "running" ? latest.id : undefined;
      return id !== undefined;
    });
    // What a finish Redis then lost (a restart keeps the AOF's last second only) looks like to
    // the API: the notices arrive, the record still says running.
    await redis.publish(keys.finishedChannel, JSON.stringify({ id, tenant: "acme" }));
    await redis.publish(keys.jobChangedChannel, JSON.stringify({ id, tenant: "acme", status: "succeeded" }));

    const res = await answer;
    const job = (await res.json()) as { id: string; status: string; attempts: number };
    expect(job.id).toBe(id);
    expect(res.status).toBe(200);
    expect(job.status).toBe("succeeded");
    expect(job.attempts).toBe(1);
  });
});
