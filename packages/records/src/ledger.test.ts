import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Budgets } from "./budgets";
import { Ledger, type LedgerEntry } from "./ledger";
import { redisKeys } from "./redis-keys";
import { readUsage } from "./usage";
import { dayOf } from "./usage-time";

let redis: Redis;
const keys = redisKeys(`led${randomBytes(4).toString("hex")}`);
let ledger: Ledger;
let budgets: Budgets;

beforeAll(() => {
  redis = new Redis(inject("redisUrl"));
  ledger = new Ledger(redis, keys, { retentionDays: 30, rawCap: 5 });
  budgets = new Budgets(redis, keys);
});
afterAll(() => redis.disconnect());

const call = (tenant: string, jobId = `job_${randomBytes(4).toString("hex")}`, priceMicros = 20_000) =>
  ledger.entry({ tenant, jobId, vendor: "ailab", operation: "face_fusion", credential: 0, priceMicros });

async function begin(entry: LedgerEntry): Promise<boolean> {
  return "written" in (await ledger.begin(entry, 0));
}

describe("Ledger", () => {
  it("reserves against a budget atomically: 40 concurrent calls, room for 7, exactly 7 written", async () => {
    await budgets.set("t-race", { period: "day", maxBillableCalls: 7 });
    const entries = Array.from({ length: 40 }, () => call("t-race"));
    const written = await Promise.all(entries.map(begin));
    expect(written.filter(Boolean)).toHaveLength(7);
    expect((await budgets.status("t-race"))?.usedCalls).toBe(7);
    expect(await ledger.list("t-race", { limit: 100 })).toHaveLength(7);
  });

  it("gives a reservation back for a call that is not billable or never sent, keeps it for an interrupted one", async () => {
    await budgets.set("t-settle", { period: "month", maxSpendMicros: 100_000 });
    const [failed, unsent, cut, billed] = [
      call("t-settle"),
      call("t-settle"),
      call("t-settle"),
      call("t-settle"),
    ];
    for (const e of [failed, unsent, cut, billed]) expect(await begin(e)).toBe(true);
    expect((await budgets.status("t-settle"))?.usedSpendMicros).toBe(80_000);
    await ledger.end(failed, { outcome: "timeout", vendorCode: "headers_timeout" });
    await ledger.void(unsent);
    await ledger.end(cut, { outcome: "interrupted" });
    await ledger.end(
      billed,
      { outcome: "result" },
      { url: "https://vendor.example/r.jpg", expiresAt: Date.now() + 60_000 },
    );
    expect((await budgets.status("t-settle"))?.usedSpendMicros).toBe(40_000);
    const outcomes = (await ledger.list("t-settle")).map((e) => `${e.outcome}:${e.billable}`);
    expect(outcomes.sort()).toEqual(["interrupted:false", "result:true", "timeout:false"]);
    // An outcome is recorded once, however many runs report it.
    expect((await ledger.end(billed, { outcome: "result" })).recorded).toBe(false);
    const { total } = await readUsage(redis, keys, ["t-settle"], [dayOf(Date.now())], []);
    expect(total).toMatchObject({ calls: 3, billableCalls: 1, spendMicros: 20_000 });
  });

  it("keeps a result's answer with the job's open call until released", async () => {
    const entry = call("t-open", "job_answered");
    await begin(entry);
    expect(await ledger.open("t-open", "job_answered")).toMatchObject({ pending: true, answer: undefined });
    await ledger.end(entry, { outcome: "result" }, { bytes: Buffer.from("image") });
    const open = await ledger.open("t-open", "job_answered");
    expect(open).toMatchObject({ pending: false, answer: { kind: "bytes" } });
    expect(await redis.get(keys.vendorAnswer("t-open", "job_answered"))).toBe("image");
    await ledger.release("t-open", "job_answered");
    expect(await ledger.open("t-open", "job_answered")).toBeUndefined();
  });

  it("reads and drops a kept image answer by its key or by its job", async () => {
    const first = call("t-kept", "job_kept1");
    const second = call("t-kept", "job_kept2");
    for (const entry of [first, second]) {
      await begin(entry);
      await ledger.end(entry, { outcome: "result" }, { bytes: Buffer.from(entry.jobId) });
    }
    const open = await ledger.open("t-kept", "job_kept1");
    const key = open?.answer?.kind === "bytes" ? open.answer.key : "";
    expect(await ledger.answerBytes(key)).toEqual(Buffer.from("job_kept1"));
    await ledger.dropAnswer(key);
    expect(await ledger.answerBytes(key)).toBeUndefined();

    expect(await redis.exists(keys.vendorAnswer("t-kept", "job_kept2"))).toBe(1);
    await ledger.dropJobAnswer("t-kept", "job_kept2");
    expect(await redis.exists(keys.vendorAnswer("t-kept", "job_kept2"))).toBe(0);
  });

  it("signals the threshold and the exhaustion once per period", async () => {
    await budgets.set("t-alert", { period: "day", maxBillableCalls: 4, alertAt: 0.5 });
    const signals = [];
    for (let i = 0; i < 4; i++) {
      const e = call("t-alert");
      await begin(e);
      signals.push(await ledger.end(e, { outcome: "result" }));
    }
    expect(signals.map((s) => [s.thresholdCrossed, s.exhausted])).toEqual([
      [false, false],
      [true, false],
      [false, false],
      [false, true],
    ]);
    expect(await ledger.begin(call("t-alert"), 0)).toEqual({ exhausted: true, first: false });
  });

  it("trims raw entries to the cap, oldest first, keeping the roll-ups", async () => {
    for (let i = 0; i < 8; i++) {
      const e = call("t-trim");
      await begin(e);
      await ledger.end(e, { outcome: "result" });
    }
    expect((await ledger.list("t-trim")).length).toBeLessThanOrEqual(5);
    const { total } = await readUsage(redis, keys, ["t-trim"], [dayOf(Date.now())], []);
    expect(total.calls).toBe(8);
  });

  it("lets a job have one open call at a time, whose lease only its own renewals extend", async () => {
    const first = call("t-open", "job_one_open");
    expect(await ledger.begin(first, 5_000)).toEqual({ written: true });
    // Another run of the same job may not write a second call while the first is open.
    const second = call("t-open", "job_one_open");
    expect(await ledger.begin(second, 5_000)).toEqual({ busy: true });
    expect(await ledger.renew(second, 60_000)).toBe(false);
    const open = (await ledger.open("t-open", "job_one_open"))!;
    expect(open.entry.id).toBe(first.id);
    expect(open.leaseLeftMs).toBeGreaterThan(4_000);
    expect(open.leaseLeftMs).toBeLessThanOrEqual(5_000);
    expect(await ledger.renew(first, 60_000)).toBe(true);
    expect((await ledger.open("t-open", "job_one_open"))!.leaseLeftMs).toBeGreaterThan(59_000);
    // Answered, the call is still the job's open one (its answer is kept) and leases nothing.
    await ledger.end(first, { outcome: "result" }, { url: "https://vendor.example/r.jpg", expiresAt: 1 });
    expect(await ledger.renew(first, 60_000)).toBe(false);
    expect(await ledger.begin(second, 5_000)).toEqual({ busy: true });
    expect((await ledger.open("t-open", "job_one_open"))!.leaseLeftMs).toBe(0);
    // Handed to the record: the next call may be written.
    await ledger.release("t-open", "job_one_open");
    expect(await ledger.begin(second, 5_000)).toEqual({ written: true });
    // Voiding a call that is no longer pending leaves the job's open call alone.
    await ledger.void(first);
    expect((await ledger.open("t-open", "job_one_open"))!.entry.id).toBe(second.id);
  });
});
