import { createHash } from "node:crypto";
import type { LedgerEntry } from "@facegate/records";
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

async function submit(sys: TestSystem, hue: number): Promise<{ id: string; sha: string }> {
  const target = await face(hue);
  const res = await sys.api("/v1/jobs", {
    method: "POST",
    body: form({ operation: "face_fusion", vendor: "ailab" }, { target, template: await face(200) }),
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  return { id, sha: createHash("sha256").update(target).digest("hex") };
}

/** What a worker writes before sending a call: the ledger entry, then the job's attempt. */
async function writeAhead(sys: TestSystem, jobId: string, countAttempt = true): Promise<LedgerEntry> {
  const { ledger, records } = sys.system.ctx;
  const entry = ledger.entry({
    tenant: "acme",
    jobId,
    vendor: "ailab",
    operation: "face_fusion",
    credential: 0,
    priceMicros: 0,
  });
  if (!("written" in (await ledger.begin(entry)))) throw new Error("no budget is set here");
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
    t = await startTestSystem({ worker: false });
    const sim = t.sim;
    const answered = await submit(t, 11);
    const interrupted = await submit(t, 22);
    const unsent = await submit(t, 33);

    // Died after the answer arrived and was kept (a 123×77 image the simulator never made).
    const kept = await face(44, { width: 123, height: 77 });
    await t.system.ctx.ledger.end(await writeAhead(t, answered.id), { outcome: "result" }, { bytes: kept });
    // Died during the call: sent, no answer seen.
    const cut = await writeAhead(t, interrupted.id);
    // Died between writing the call down and counting the attempt: never sent.
    await writeAhead(t, unsent.id, false);

    const worker = spawnWorker(t.env);
    workers.push(worker);
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
    t = await startTestSystem({ worker: false, env: { INTERRUPTED_CALLS: "fail" } });
    const job = await submit(t, 55);
    await writeAhead(t, job.id);
    const worker = spawnWorker(t.env);
    workers.push(worker);
    await worker.started;
    const done = await waitForFinal((p) => t!.api(p), job.id);
    expect(done.status).toBe("failed");
    expect(done.attempts).toBe(1);
    expect((done.error as { code: string; message: string }).message).toMatch(/INTERRUPTED_CALLS=fail/);
    expect(t.sim.calls({ vendor: "ailab" }).filter((c) => c.targetSha256 === job.sha)).toHaveLength(0);
    expect((await entriesOf(t, job.id)).map((e) => e.outcome)).toEqual(["interrupted"]);
  });
});

describe("a worker stopped with SIGTERM mid-call", () => {
  it("finishes the calls it sent: none is left interrupted, and each was made once", async () => {
    t = await startTestSystem({ worker: false, sim: { ailab: { latencyMs: 1_500 } } });
    const first = spawnWorker(t.env);
    workers.push(first);
    await first.started;
    const jobs = [];
    for (let i = 0; i < 4; i++) jobs.push(await submit(t, 60 + i * 9));
    await until(async () => (await t!.system.ctx.ledger.list("acme")).some((e) => e.outcome === "pending"));
    await first.kill("SIGTERM");
    expect(first.child.exitCode).toBe(0);

    const second = spawnWorker(t.env);
    workers.push(second);
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
