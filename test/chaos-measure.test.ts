import type { LedgerEntry } from "@facegate/records";
import type { SimCall } from "@facegate/vendor-sim";
import { describe, expect, it } from "vitest";
import { type JobSeen, measure } from "../chaos/measure";

/* The chaos harness's failover figure: jobs finished per second while Redis was away, and after. */

const job = (id: string, hookAt: number | undefined): JobSeen => ({
  id,
  tenant: "acme",
  sha: id,
  standalone: true,
  status: "succeeded",
  attempts: 0,
  webhooks: 1,
  hookAt,
});

const figures = (jobs: JobSeen[], redisAway?: { from: number; to: number }) =>
  measure({
    submitted: [],
    jobs,
    calls: [],
    ledger: [],
    budget: undefined,
    drainMs: 0,
    kills: [],
    redisAway,
  });

describe("chaos throughput figures", () => {
  it("counts jobs finished while Redis was away, in the 10 s after, and over the rest", () => {
    // Redis away from 10 s to 12 s; one job finishes then, two in the 10 s after, four elsewhere.
    const at = [0, 5_000, 11_000, 13_000, 20_000, 25_000, 29_999];
    const f = figures(
      at.map((t, i) => job(`j${i}`, t)),
      { from: 10_000, to: 12_000 },
    );
    expect(f.redisAwayMs).toBe(2_000);
    expect(f.throughput.away).toEqual({ jobs: 1, seconds: 2, perSecond: 0.5 });
    expect(f.throughput.after).toEqual({ jobs: 2, seconds: 10, perSecond: 0.2 });
    // 0 to 30 s less the 12 s of absence and after: 4 jobs in 18 s.
    expect(f.throughput.rest.jobs).toBe(4);
    expect(f.throughput.rest.seconds).toBeCloseTo(18.0, 2);
  });

  it("puts every finished job in the rest when Redis was not disrupted", () => {
    const f = figures([job("a", 0), job("b", 999), job("c", undefined)]);
    expect(f.redisAwayMs).toBeUndefined();
    expect(f.throughput.away.jobs).toBe(0);
    expect(f.throughput.rest).toEqual({ jobs: 2, seconds: 1, perSecond: 2 });
  });
});

describe("chaos double-bill figures", () => {
  const call = (at: number) =>
    ({
      vendor: "ailab",
      operation: "face_fusion",
      credential: "key#1",
      at,
      status: 200,
      code: null,
      latencyMs: 100,
      targetSha256: "j",
    }) as SimCall;
  const entry = (startedAt: number, outcome: string) =>
    ({
      id: `c${startedAt}`,
      tenant: "acme",
      jobId: "j",
      vendor: "ailab",
      operation: "face_fusion",
      credential: 0,
      startedAt,
      outcome,
      billable: outcome === "result",
      priceMicros: 0,
    }) as LedgerEntry;
  const run = (outcomes: string[]) =>
    measure({
      submitted: [],
      jobs: [{ ...job("j", 1_000), attempts: 2 }],
      calls: [call(10), call(500)],
      ledger: outcomes.map((o, i) => entry(i * 490, o)),
      budget: undefined,
      drainMs: 0,
      kills: [],
    });

  it("counts a second paid call after a result the ledger held as billed twice after an answer", () => {
    const f = run(["result", "result"]);
    expect(f.billedTwiceAfterAnswer).toEqual(["j"]);
    expect(f.billedTwiceInterrupted).toEqual([]);
  });

  it("counts one after a call the ledger marks interrupted as interrupted mid-call", () => {
    const f = run(["interrupted", "result"]);
    expect(f.billedTwiceAfterAnswer).toEqual([]);
    expect(f.billedTwiceInterrupted).toEqual(["j"]);
  });

  it("takes a call counted but cut off before it left (interrupted, unseen by the vendor) as an attempt", () => {
    const f = measure({
      submitted: [],
      jobs: [{ ...job("j", 1_000), attempts: 2 }],
      calls: [call(500)],
      ledger: [entry(0, "interrupted"), entry(490, "result")],
      budget: undefined,
      drainMs: 0,
      kills: [],
    });
    expect(f.attemptMismatches).toEqual([]);
    expect(f.billedTwiceAfterAnswer).toEqual([]);
  });

  it("leaves out a busy answer facegate read (rate-limited in the ledger), but not one its crash cut off", () => {
    const busy = (clientGone: boolean) =>
      ({
        ...call(10),
        status: 503,
        code: "ERROR_INSUFFICIENT_RESOURCES",
        ...(clientGone ? { clientGone: true } : {}),
      }) as SimCall;
    const attemptsWith = (first: SimCall, attempts: number) =>
      measure({
        submitted: [],
        jobs: [{ ...job("j", 1_000), attempts }],
        calls: [first, call(500)],
        ledger: [
          first.clientGone ? entry(0, "interrupted") : { ...entry(0, "vendor_error"), rateLimited: true },
          entry(490, "result"),
        ],
        budget: undefined,
        drainMs: 0,
        kills: [],
      }).attemptMismatches;
    expect(attemptsWith(busy(false), 1)).toEqual([]);
    expect(attemptsWith(busy(true), 2)).toEqual([]);
    expect(attemptsWith(busy(true), 1)).toEqual(["j (attempts 1, calls 2)"]);
  });
});
