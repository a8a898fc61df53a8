import { describe, expect, it } from "vitest";
import { endedAfterEach } from "./support/ended-after-each";
import { waitForFinal } from "./support/images";
import { type SubmittedJob, submitFusion } from "./support/jobs";
import { spawnWorker } from "./support/processes";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

let t: TestSystem | undefined;

const ended = endedAfterEach();

async function submit(
  t: TestSystem,
  count: number,
  hueBase: number,
  vendor = "ailab",
): Promise<SubmittedJob[]> {
  const jobs = [];
  for (let i = 0; i < count; i++) jobs.push(await submitFusion(t, hueBase + i * 7, { vendor }));
  return jobs;
}

describe("a worker killed with SIGKILL", () => {
  it("mid vendor call: every accepted job still reaches a final state on another worker", async () => {
    t = ended(await startTestSystem({ worker: false, sim: { ailab: { latencyMs: 600 } } }));
    const first = ended(spawnWorker(t.env));
    await first.started;
    const jobs = await submit(t, 6, 10);
    // Kill once the vendor calls are under way.
    await until(async () => (await t!.system.ctx.records.get(jobs[0]!.id))?.status === "running");
    await first.kill("SIGKILL");

    const second = ended(spawnWorker(t.env));
    await second.started;
    for (const job of jobs) {
      const done = await waitForFinal((p) => t!.api(p), job.id, 30_000);
      expect(done.status).toBe("succeeded");
    }
  });

  it("after the vendor answered, before the store step: the job completes without a second vendor call", async () => {
    t = ended(await startTestSystem({ worker: false }));
    // ai-gs answers with a URL to copy. This worker only calls vendors; the store step waits.
    const caller = ended(spawnWorker({ ...t.env, WORKER_QUEUES: "vendor-aigs" }));
    await caller.started;
    const jobs = await submit(t, 4, 90, "aigs");
    await until(async () => {
      const records = await Promise.all(jobs.map((j) => t!.system.ctx.records.get(j.id)));
      return records.every((r) => r?.checkpoint !== undefined);
    });
    await caller.kill("SIGKILL");

    const storer = ended(spawnWorker(t.env));
    await storer.started;
    for (const job of jobs) {
      expect((await waitForFinal((p) => t!.api(p), job.id)).status).toBe("succeeded");
      const calls = t.sim.calls({ vendor: "aigs" }).filter((c) => c.targetSha256 === job.sha);
      // One answer, and no call after it. (A "too fast" refusal before it is the pacer finding
      // ai-gs's rate, not a second call for an answer already given.)
      const answered = calls.filter((c) => c.status === 200);
      expect(answered).toHaveLength(1);
      expect(calls.filter((c) => c.at > answered[0]!.at)).toEqual([]);
      expect(calls.filter((c) => c.status !== 200).map((c) => c.code)).toEqual(
        calls.filter((c) => c.status !== 200).map(() => "request_rate_limit"),
      );
    }
  });
});
