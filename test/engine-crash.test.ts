import { afterEach, describe, expect, it } from "vitest";
import { face, form, waitForFinal } from "./support/images";
import { type ChildWorker, spawnWorker } from "./support/processes";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

let t: TestSystem | undefined;
const workers: ChildWorker[] = [];

afterEach(async () => {
  for (const w of workers.splice(0)) await w.kill("SIGKILL");
  await t?.close();
  t = undefined;
});

async function submit(
  t: TestSystem,
  count: number,
  hueBase: number,
  vendor = "ailab",
): Promise<{ id: string; sha: string }[]> {
  const jobs = [];
  for (let i = 0; i < count; i++) {
    const target = await face(hueBase + i * 7);
    const res = await t.api("/v1/jobs", {
      method: "POST",
      body: form({ operation: "face_fusion", vendor }, { target, template: await face(200) }),
    });
    expect(res.status).toBe(202);
    const { createHash } = await import("node:crypto");
    jobs.push({
      id: ((await res.json()) as { id: string }).id,
      sha: createHash("sha256").update(target).digest("hex"),
    });
  }
  return jobs;
}

describe("a worker killed with SIGKILL", () => {
  it("mid vendor call: every accepted job still reaches a final state on another worker", async () => {
    t = await startTestSystem({ worker: false, sim: { ailab: { latencyMs: 600 } } });
    const first = spawnWorker(t.env);
    workers.push(first);
    await first.started;
    const jobs = await submit(t, 6, 10);
    // Kill once the vendor calls are under way.
    await until(async () => (await t!.system.ctx.records.get(jobs[0]!.id))?.status === "running");
    await first.kill("SIGKILL");

    const second = spawnWorker(t.env);
    workers.push(second);
    await second.started;
    for (const job of jobs) {
      const done = await waitForFinal((p) => t!.api(p), job.id, 30_000);
      expect(done.status).toBe("succeeded");
    }
  });

  it("after the vendor answered, before the store step: the job completes without a second vendor call", async () => {
    t = await startTestSystem({ worker: false });
    // ai-gs answers with a URL to copy. This worker only calls vendors; the store step waits.
    const caller = spawnWorker({ ...t.env, WORKER_QUEUES: "vendor-aigs" });
    workers.push(caller);
    await caller.started;
    const jobs = await submit(t, 4, 90, "aigs");
    await until(async () => {
      const records = await Promise.all(jobs.map((j) => t!.system.ctx.records.get(j.id)));
      return records.every((r) => r?.checkpoint !== undefined);
    });
    await caller.kill("SIGKILL");

    const storer = spawnWorker(t.env);
    workers.push(storer);
    await storer.started;
    for (const job of jobs) {
      expect((await waitForFinal((p) => t!.api(p), job.id)).status).toBe("succeeded");
      const calls = t.sim.calls({ vendor: "aigs" }).filter((c) => c.targetSha256 === job.sha);
      expect(calls).toHaveLength(1);
    }
  });
});
