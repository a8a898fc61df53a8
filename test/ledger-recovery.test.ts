import type { LedgerEntry } from "@facegate/records";
import { describe, expect, it } from "vitest";
import { endedAfterEach } from "./support/ended-after-each";
import { face, waitForFinal } from "./support/images";
import { submitFusion } from "./support/jobs";
import { spawnWorker } from "./support/processes";
import { startTestSystem, type TestSystem } from "./support/system";
import { until } from "./support/until";

let t: TestSystem | undefined;

const ended = endedAfterEach();

/**
 * What a worker writes before sending a call: the ledger entry, then the job's attempt. Its lease
 * (0: lapsed, the worker is dead) is what it would renew while alive.
 */
async function writeAhead(
  sys: TestSystem,
  jobId: string,
  countAttempt = true,
  leaseMs = 0,
): Promise<LedgerEntry> {
  const { ledger, records } = sys.system.ctx;
  const entry = ledger.entry({
    tenant: "acme",
    jobId,
    vendor: "ailab",
    operation: "face_fusion",
    credential: 0,
    priceMicros: 0,
  });
  if (!("written" in (await ledger.begin(entry, leaseMs)))) throw new Error("no budget is set here");
  if (countAttempt) {
    await records.update(jobId, (r) => ({
      ...r,
      status: "running",
      attempts: r.attempts + 1,
      lastCallId: entry.id,
    }));
  }
  return entry;
}

const entriesOf = async (sys: TestSystem, jobId: string) =>
  (await sys.system.ctx.ledger.list("acme")).filter((e) => e.jobId === jobId);

describe("a worker that died around a vendor call (write-ahead ledger)", () => {
  it("resumes from a kept answer, books a sent call interrupted and retries, takes back a call never sent", async () => {
    t = ended(await startTestSystem({ worker: false }));
    const sim = t.sim;
    const answered = await submitFusion(t, 11);
    const interrupted = await submitFusion(t, 22);
    const unsent = await submitFusion(t, 33);

    // Died after the answer arrived and was kept (a 123×77 image the simulator never made).
    const kept = await face(44, { width: 123, height: 77 });
    await t.system.ctx.ledger.end(await writeAhead(t, answered.id), { outcome: "result" }, { bytes: kept });
    // Died during the call: sent, no answer seen.
    const cut = await writeAhead(t, interrupted.id);
    // Died between writing the call down and counting the attempt: never sent.
    await writeAhead(t, unsent.id, false);

    const worker = ended(spawnWorker(t.env));
    await worker.started;
    const callsFor = (sha: string) => sim.calls({ vendor: "ailab" }).filter((c) => c.targetSha256 === sha);

    const a = await waitForFinal((p) => t!.api(p), answered.id);
    expect(a.status).toBe("succeeded");
    expect(a.attempts).toBe(1);
    expect(a.output).toMatchObject({ width: 123, height: 77 });
    expect(callsFor(answered.sha)).toHaveLength(0);
    expect((await entriesOf(t, answered.id)).map((e) => e.outcome)).toEqual(["result"]);

    const i = await waitForFinal((p) => t!.api(p), interrupted.id);
    expect(i.status).toBe("succeeded");
    expect(i.attempts).toBe(2);
    expect(callsFor(interrupted.sha)).toHaveLength(1);
    const iEntries = await entriesOf(t, interrupted.id);
    expect(iEntries.map((e) => [e.id === cut.id, e.outcome, e.billable])).toEqual([
      [true, "interrupted", false],
      [false, "result", true],
    ]);

    const u = await waitForFinal((p) => t!.api(p), unsent.id);
    expect(u.status).toBe("succeeded");
    expect(u.attempts).toBe(1);
    expect(callsFor(unsent.sha)).toHaveLength(1);
    expect((await entriesOf(t, unsent.id)).map((e) => e.outcome)).toEqual(["result"]);
  });

  it("with INTERRUPTED_CALLS=fail, a job whose call was cut off fails without calling again", async () => {
    t = ended(await startTestSystem({ worker: false, env: { INTERRUPTED_CALLS: "fail" } }));
    const job = await submitFusion(t, 55);
    await writeAhead(t, job.id);
    const worker = ended(spawnWorker(t.env));
    await worker.started;
    const done = await waitForFinal((p) => t!.api(p), job.id);
    expect(done.status).toBe("failed");
    expect(done.attempts).toBe(1);
    expect((done.error as { code: string; message: string }).message).toMatch(/INTERRUPTED_CALLS=fail/);
    expect(t.sim.calls({ vendor: "ailab" }).filter((c) => c.targetSha256 === job.sha)).toHaveLength(0);
    expect((await entriesOf(t, job.id)).map((e) => e.outcome)).toEqual(["interrupted"]);
  });
});

describe("a worker that lost its job's lock but lives (a Redis outage, a pause)", () => {
  it("its call in flight is waited for, not booked interrupted and made again", async () => {
    t = ended(await startTestSystem({ worker: false }));
    const job = await submitFusion(t, 66);
    // The first run's call is in flight on a live process, which renews its lease.
    const { ledger } = t.system.ctx;
    const inFlight = await writeAhead(t, job.id, true, 3_000);
    const alive = setInterval(() => void ledger.renew(inFlight, 3_000), 500);
    try {
      const worker = ended(spawnWorker(t.env));
      await worker.started;
      // The job's second run takes it up, finds the call open and alive, and waits for it.
      const vendorQueue = t.system.ctx.queues.get("vendor-ailab");
      await until(async () => (await vendorQueue.getDelayedCount()) === 1);
    } finally {
      clearInterval(alive);
    }
    // The first run's answer arrives.
    const answer = await face(77, { width: 131, height: 71 });
    await ledger.end(inFlight, { outcome: "result" }, { bytes: answer });

    const done = await waitForFinal((p) => t!.api(p), job.id);
    expect(done.status).toBe("succeeded");
    expect(done.attempts).toBe(1);
    expect(done.output).toMatchObject({ width: 131, height: 71 });
    expect(t.sim.calls({ vendor: "ailab" }).filter((c) => c.targetSha256 === job.sha)).toHaveLength(0);
    expect((await entriesOf(t, job.id)).map((e) => e.outcome)).toEqual(["result"]);
  });
});

describe("a worker stopped with SIGTERM mid-call", () => {
  it("finishes the calls it sent: none is left interrupted, and each was made once", async () => {
    t = ended(await startTestSystem({ worker: false, sim: { ailab: { latencyMs: 1_500 } } }));
    const first = ended(spawnWorker(t.env));
    await first.started;
    const jobs = [];
    for (let i = 0; i < 4; i++) jobs.push(await submitFusion(t, 60 + i * 9));
    await until(async () => (await t!.system.ctx.ledger.list("acme")).some((e) => e.outcome === "pending"));
    await first.kill("SIGTERM");
    expect(first.child.exitCode).toBe(0);

    const second = ended(spawnWorker(t.env));
    await second.started;
    for (const job of jobs) {
      expect((await waitForFinal((p) => t!.api(p), job.id, 30_000)).status).toBe("succeeded");
    }
    const entries = await t.system.ctx.ledger.list("acme");
    expect(entries.filter((e) => e.outcome !== "result")).toEqual([]);
    expect(entries).toHaveLength(jobs.length);
    expect(t.sim.calls({ vendor: "ailab" })).toHaveLength(jobs.length);
  });
});
