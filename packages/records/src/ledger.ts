import { newId, type Operation, type VendorId } from "@facegate/core";
import { BEGIN_CALL, END_CALL, LEASE_LEFT, RENEW_CALL, VOID_CALL } from "./ledger-scripts";
import { LuaScript } from "./lua-script";
import type { RedisClient } from "./redis-client";
import type { RedisKeys } from "./redis-keys";
import { dayOf, latencyBucket, monthOf } from "./usage-time";

const BEGIN = new LuaScript(BEGIN_CALL);
const END = new LuaScript(END_CALL);
const VOID = new LuaScript(VOID_CALL);
const RENEW = new LuaScript(RENEW_CALL);
const LEASE = new LuaScript(LEASE_LEFT);

/** How a call ended. `vendor_error` carries the vendor's own code; `interrupted`: sent, then the process died. */
export type CallOutcome =
  | "pending"
  | "result"
  | "vendor_error"
  | "timeout"
  | "network_error"
  | "canceled"
  | "error"
  | "interrupted";

/** One vendor call facegate made (or was about to make, while `pending`). */
export interface LedgerEntry {
  id: string;
  tenant: string;
  jobId: string;
  vendor: VendorId;
  operation: Operation;
  /** Index of the credential (key, token) the call presented. */
  credential: number;
  startedAt: number;
  endedAt?: number | undefined;
  outcome: CallOutcome;
  vendorCode?: string | undefined;
  rateLimited?: boolean | undefined;
  /** The vendor answered with a result (what vendors bill). */
  billable: boolean;
  /** Price of a billable call, micro-units (see VENDOR_PRICES). */
  priceMicros: number;
}

/** The vendor's answer as kept until the job's record holds it. */
export type KeptAnswer = { kind: "bytes"; key: string } | { kind: "url"; url: string; expiresAt: number };

/** A job's call in progress, as a later run of the job finds it. */
export interface OpenCall {
  entry: LedgerEntry;
  /** No outcome recorded: in flight, or sent (or about to be) when its process died. */
  pending: boolean;
  /** While pending: how long its process's lease has left (ms); 0 when it lapsed (the process is gone). */
  leaseLeftMs: number;
  answer?: KeptAnswer | undefined;
}

/** A budget crossing that the caller turns into a webhook event. */
export interface BudgetSignal {
  thresholdCrossed: boolean;
  exhausted: boolean;
}

export interface LedgerOptions {
  /** Roll-ups are kept this many days. */
  retentionDays: number;
  /** Raw entries older than this go (they are for audits and reconciliation, the roll-ups stay). */
  rawRetentionMs?: number;
  /** At most this many raw entries per tenant. */
  rawCap?: number;
  /** A kept image answer outlives a store step that waits out an S3 outage this long. */
  answerTtlS?: number;
}

const DEFAULT_RAW_MS = 7 * 86_400_000;
const DEFAULT_RAW_CAP = 200_000;
const DEFAULT_ANSWER_TTL_S = 7 * 86_400;
/** Budget counters outlive the longest period (a month). */
const USE_TTL_S = 40 * 86_400;

/**
 * The ledger of vendor calls: written before each call is sent (reserving it against the tenant's
 * budget) and completed with its outcome, with per-day roll-ups for usage questions. Bounded:
 * roll-ups expire after `retentionDays`, raw entries are trimmed by age and count.
 */
export class Ledger {
  private readonly rawMs: number;
  private readonly rawCap: number;
  private readonly answerTtlS: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly options: LedgerOptions,
  ) {
    this.rawMs = options.rawRetentionMs ?? DEFAULT_RAW_MS;
    this.rawCap = options.rawCap ?? DEFAULT_RAW_CAP;
    this.answerTtlS = options.answerTtlS ?? DEFAULT_ANSWER_TTL_S;
  }

  private callKeys(tenant: string): string[] {
    const k = this.keys;
    return [k.ledgerEntries(tenant), k.ledgerIndex(tenant), k.ledgerPending(tenant), k.ledgerOpen(tenant)];
  }

  private useKeys(tenant: string, at: number): [string, string] {
    return [this.keys.budgetUse(tenant, dayOf(at)), this.keys.budgetUse(tenant, monthOf(at))];
  }

  /** A new entry for a call about to be made (written by `begin`). */
  entry(
    call: Pick<LedgerEntry, "tenant" | "jobId" | "vendor" | "operation" | "credential" | "priceMicros">,
  ): LedgerEntry {
    const now = Date.now();
    return { id: newId("call", now), ...call, startedAt: now, outcome: "pending", billable: false };
  }

  /**
   * Write a call down as `pending`, reserving it against the tenant's budget, before it is sent,
   * with a lease of `leaseMs` its process renews while the call is in flight (`renew`).
   * `exhausted` (nothing written) when the budget has no room for it, `first` the first refusal
   * of the period; `busy` (nothing written) when the job has another call open: a job makes one
   * call at a time, whichever runs of it are alive.
   */
  async begin(
    entry: LedgerEntry,
    leaseMs: number,
  ): Promise<{ written: true } | { exhausted: true; first: boolean } | { busy: true }> {
    const { tenant } = entry;
    const [[written, first]] = (await Promise.all([
      BEGIN.run(
        this.redis,
        [
          ...this.callKeys(tenant),
          this.keys.ledgerReserved(tenant),
          this.keys.budget(tenant),
          ...this.useKeys(tenant, entry.startedAt),
        ],
        [
          entry.id,
          JSON.stringify(entry),
          entry.startedAt,
          entry.jobId,
          entry.priceMicros,
          USE_TTL_S,
          leaseMs,
        ],
      ),
      this.redis.sadd(this.keys.usageTenants, tenant),
    ])) as [[number, number], number];
    if (written === 2) return { busy: true };
    return written === 1 ? { written: true } : { exhausted: true, first: first === 1 };
  }

  /** The call is still in flight and its process alive: its lease runs `leaseMs` from now. */
  async renew(entry: LedgerEntry, leaseMs: number): Promise<boolean> {
    const renewed = await RENEW.run(
      this.redis,
      [this.keys.ledgerPending(entry.tenant), this.keys.ledgerOpen(entry.tenant)],
      [entry.id, entry.jobId, leaseMs],
    );
    return renewed === 1;
  }

  /**
   * Record how the call ended. A result's answer is kept with it in the same step (image bytes,
   * or the vendor's URL) until `release`, so a crash from here on never calls the vendor again.
   * Not billable releases the budget reservation, except an `interrupted` call (perhaps billed).
   * Returns false when the outcome was recorded already (by another run of the job).
   */
  async end(
    entry: LedgerEntry,
    outcome: {
      outcome: Exclude<CallOutcome, "pending">;
      vendorCode?: string | undefined;
      rateLimited?: boolean;
    },
    answer?: { bytes: Buffer } | { url: string; expiresAt: number },
  ): Promise<{ recorded: boolean } & BudgetSignal> {
    const now = Date.now();
    const billable = outcome.outcome === "result";
    const ended: LedgerEntry = {
      ...entry,
      outcome: outcome.outcome,
      vendorCode: outcome.vendorCode,
      rateLimited: outcome.rateLimited || undefined,
      billable,
      endedAt: now,
    };
    const answerKey = this.keys.vendorAnswer(entry.tenant, entry.jobId);
    const kept: KeptAnswer | undefined = !answer
      ? undefined
      : "bytes" in answer
        ? { kind: "bytes", key: answerKey }
        : { kind: "url", url: answer.url, expiresAt: answer.expiresAt };
    const label = rollupLabel(entry.vendor, entry.operation, outcome.outcome, outcome.vendorCode);
    const expiresAt = Math.ceil(now / 1000) + (this.options.retentionDays + 1) * 86_400;
    const [recorded, alerted, exhausted] = (await END.run(
      this.redis,
      [
        ...this.callKeys(entry.tenant),
        this.keys.ledgerReserved(entry.tenant),
        this.keys.budget(entry.tenant),
        ...this.useKeys(entry.tenant, entry.startedAt),
        this.keys.usageDay(entry.tenant, dayOf(entry.startedAt)),
        answerKey,
      ],
      [
        entry.id,
        JSON.stringify(ended),
        entry.jobId,
        kept ? JSON.stringify({ entryId: entry.id, answer: kept }) : "",
        answer && "bytes" in answer ? answer.bytes : "",
        this.answerTtlS,
        billable ? 1 : 0,
        outcome.outcome === "interrupted" ? 1 : 0,
        entry.priceMicros,
        label,
        outcome.rateLimited ? 1 : 0,
        outcome.outcome === "interrupted" ? "" : String(latencyBucket(now - entry.startedAt)),
        expiresAt,
        now,
        now - this.rawMs,
        this.rawCap,
      ],
    )) as [number, number, number];
    return { recorded: recorded === 1, thresholdCrossed: alerted === 1, exhausted: exhausted === 1 };
  }

  /** Take back a call written down but never sent; its budget reservation is released. */
  async void(entry: LedgerEntry): Promise<void> {
    await VOID.run(
      this.redis,
      [
        ...this.callKeys(entry.tenant),
        this.keys.ledgerReserved(entry.tenant),
        ...this.useKeys(entry.tenant, entry.startedAt),
      ],
      [entry.id, entry.jobId, entry.priceMicros],
    );
  }

  /** The job's call in progress or answered but not yet handed to its record, if any. */
  async open(tenant: string, jobId: string): Promise<OpenCall | undefined> {
    const value = await this.redis.hget(this.keys.ledgerOpen(tenant), jobId);
    if (!value) return undefined;
    const { entryId, answer } = JSON.parse(value) as { entryId: string; answer?: KeptAnswer };
    const [doc, pending, leaseLeftMs] = await Promise.all([
      this.redis.hget(this.keys.ledgerEntries(tenant), entryId),
      this.redis.sismember(this.keys.ledgerPending(tenant), entryId),
      LEASE.run(this.redis, [this.keys.ledgerOpen(tenant)], [jobId]) as Promise<number>,
    ]);
    if (!doc) {
      await this.release(tenant, jobId);
      return undefined;
    }
    return {
      entry: JSON.parse(doc) as LedgerEntry,
      pending: pending === 1,
      leaseLeftMs: pending === 1 ? leaseLeftMs : 0,
      answer,
    };
  }

  /** The job's record now holds the call's answer (or its failure is handled): forget it here. */
  async release(tenant: string, jobId: string): Promise<void> {
    await this.redis.hdel(this.keys.ledgerOpen(tenant), jobId);
  }

  /** A kept image answer's bytes (`KeptAnswer.key`); undefined once it has expired or been dropped. */
  async answerBytes(key: string): Promise<Buffer | undefined> {
    return (await this.redis.getBuffer(key)) ?? undefined;
  }

  /** Drop a kept image answer (`KeptAnswer.key`): stored, or no longer wanted. */
  async dropAnswer(key: string): Promise<void> {
    await this.redis.del(key);
  }

  /** Drop whatever image answer is kept for a job (the job is erased). */
  async dropJobAnswer(tenant: string, jobId: string): Promise<void> {
    await this.redis.del(this.keys.vendorAnswer(tenant, jobId));
  }

  /** A tenant's raw entries started within [from, to] (ms), oldest first. */
  async list(
    tenant: string,
    range: { from?: number; to?: number; limit?: number } = {},
  ): Promise<LedgerEntry[]> {
    const ids = await this.redis.zrangebyscore(
      this.keys.ledgerIndex(tenant),
      range.from ?? "-inf",
      range.to ?? "+inf",
      "LIMIT",
      0,
      range.limit ?? this.rawCap,
    );
    if (ids.length === 0) return [];
    const docs = await this.redis.hmget(this.keys.ledgerEntries(tenant), ...ids);
    return docs.flatMap((d) => (d ? [JSON.parse(d) as LedgerEntry] : []));
  }

  /** Every tenant that has made vendor calls or has a budget. */
  async tenants(): Promise<string[]> {
    return (await this.redis.smembers(this.keys.usageTenants)).sort();
  }
}

/** Roll-up field prefix: the dimensions a usage query groups by (the day is the key itself). */
export function rollupLabel(vendor: string, operation: string, outcome: string, vendorCode?: string): string {
  const shown = outcome === "vendor_error" && vendorCode ? vendorCode : outcome;
  return [vendor, operation, shown.replace(/\|/g, "_")].join("|");
}
