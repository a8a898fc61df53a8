import type { LedgerEntry } from "@facegate/records";
import type { SimCall } from "@facegate/vendor-sim";
import type { Submitted } from "./client";

/** A job as the run saw it at the end: from the API, the simulator's log and the webhook receiver. */
export interface JobSeen {
  id: string;
  tenant: string;
  sha: string;
  /** False for a batch item (batches get one webhook for the batch). */
  standalone: boolean;
  status: string;
  attempts: number;
  /** Its error's code and message, when it failed. */
  errorCode?: string;
  webhooks: number;
  /** When its first webhook arrived (single jobs). */
  hookAt?: number;
  /** When facegate finished it (its record's `finished_at`). */
  finishedAt?: number;
}

/** Single jobs finished (first webhook in) per second, over a stretch of the run. */
export interface Throughput {
  jobs: number;
  seconds: number;
  perSecond: number;
}

export interface Figures {
  submitted: number;
  /** Submissions that never got an id (every try failed). */
  unanswered: number;
  /** Accepted jobs not final at the end (or gone). */
  lost: string[];
  billedTwiceAfterAnswer: string[];
  billedTwiceInterrupted: string[];
  attemptMismatches: string[];
  missingWebhooks: string[];
  /** Per tenant/vendor: calls the simulator saw vs ledger entries (interrupted ones apart). */
  ledger: { tenant: string; vendor: string; simCalls: number; entries: number; interrupted: number }[];
  /** Simulator calls with no ledger entry for their job, and entries beyond the calls (not interrupted). */
  ledgerMissing: number;
  ledgerExtra: number;
  calls: number;
  billable: number;
  budgetOvershoot: number;
  drainMs: number;
  /**
   * What the drain was spent on: single jobs still without a webhook at the last kill, and how long
   * the run's usual finishing rate takes for that many (the rest is recovery).
   */
  drainBacklog: { jobs: number; atUsualRateMs: number };
  /** The last single jobs to finish after the last kill: when their webhook came, and their calls. */
  lastToFinish: { id: string; finishedAt?: number; hookAt: number; calls: SimCall[] }[];
  statuses: Record<string, number>;
  /** Jobs that did not succeed: id, status and error code. */
  unsuccessful: string[];
  /**
   * How long Redis was away, and single jobs finished per second: while it was away, in the
   * 10 s after it was back, and over the rest of the run (first to last finished job).
   */
  redisAwayMs?: number;
  throughput: { away: Throughput; after: Throughput; rest: Throughput };
  /** The simulator's calls of each job named above (to tell the causes apart). */
  callsOf: Record<string, SimCall[]>;
}

/**
 * AILab's answers that mean "too busy, come back later" (docs/vendors.md): a wait, not an
 * attempt, so they are left out when attempts are compared with calls.
 */
const RATE_LIMITED = new Set([
  "EXCEEDING_LIMITS",
  "AI_SERVICE_FLOW_RESTRICTION",
  "ERROR_INSUFFICIENT_RESOURCES",
  "ERROR_RESOURCE_UNAVAILABLE",
  "ERROR_RESOURCE_IN_TRANSIT",
]);
const billable = (c: SimCall) => c.status === 200 && c.code === null;

export function measure(input: {
  submitted: Submitted[];
  jobs: JobSeen[];
  calls: SimCall[];
  ledger: LedgerEntry[];
  budget: { tenant: string; max: number } | undefined;
  drainMs: number;
  /** When a facegate process was sent its signal. */
  kills: number[];
  /** From Redis's kill until it served again (restarted, or a replica promoted). */
  redisAway?: { from: number; to: number };
}): Figures {
  const bySha = new Map<string, SimCall[]>();
  for (const call of input.calls) {
    if (!call.targetSha256) continue;
    bySha.set(call.targetSha256, [...(bySha.get(call.targetSha256) ?? []), call]);
  }
  const entriesByJob = new Map<string, LedgerEntry[]>();
  for (const e of input.ledger) entriesByJob.set(e.jobId, [...(entriesByJob.get(e.jobId) ?? []), e]);

  const f: Figures = {
    submitted: input.submitted.length,
    unanswered: input.submitted.filter((s) => !s.id).length,
    lost: [],
    billedTwiceAfterAnswer: [],
    billedTwiceInterrupted: [],
    attemptMismatches: [],
    missingWebhooks: [],
    ledger: [],
    ledgerMissing: 0,
    ledgerExtra: 0,
    calls: input.calls.length,
    billable: input.calls.filter(billable).length,
    budgetOvershoot: 0,
    drainMs: input.drainMs,
    drainBacklog: { jobs: 0, atUsualRateMs: 0 },
    lastToFinish: [],
    statuses: {},
    unsuccessful: [],
    callsOf: {},
    redisAwayMs: input.redisAway && input.redisAway.to - input.redisAway.from,
    throughput: throughput(input.jobs, input.redisAway),
  };
  const perTenant = new Map<string, { simCalls: number; entries: number; interrupted: number }>();
  for (const job of input.jobs) {
    f.statuses[job.status] = (f.statuses[job.status] ?? 0) + 1;
    if (job.status !== "succeeded") {
      f.unsuccessful.push(`${job.id} ${job.status}${job.errorCode ? ` ${job.errorCode}` : ""}`);
      f.callsOf[job.id] = bySha.get(job.sha) ?? [];
    }
    if (!["succeeded", "failed", "canceled"].includes(job.status)) f.lost.push(job.id);
    const calls = [...(bySha.get(job.sha) ?? [])].sort((a, b) => a.at - b.at);
    const entries = entriesByJob.get(job.id) ?? [];
    const paid = calls.filter(billable);
    if (paid.length > 1) {
      // Whether facegate had an answer and called again: the ledger holds more than one result for
      // the job (a result is written the moment its answer arrives). A call whose process died
      // before that write is "interrupted", whatever the simulator sent.
      const knew = entries.filter((e) => e.outcome === "result").length > 1;
      (knew ? f.billedTwiceAfterAnswer : f.billedTwiceInterrupted).push(job.id);
    }
    // A call is counted before it is sent; one whose process died before it left is in the ledger
    // as interrupted (entries beyond the vendor's calls, which must all be interrupted: see
    // ledgerExtra) and in the job's attempts, but never reached the vendor.
    const unsent = Math.max(0, entries.length - calls.length);
    // A "too busy" answer is a wait only when facegate read it (its ledger entry says rate-limited);
    // one that reached a process already dying was an attempt cut off by the crash like any other.
    const busy = calls.filter((c) => c.code !== null && RATE_LIMITED.has(c.code)).length;
    const waited = Math.min(busy, entries.filter((e) => e.rateLimited).length);
    const spent = calls.length - waited + unsent;
    if (job.attempts !== spent)
      f.attemptMismatches.push(`${job.id} (attempts ${job.attempts}, calls ${spent})`);
    if (paid.length > 1 || job.attempts !== spent) f.callsOf[job.id] = calls;
    if (job.standalone && ["succeeded", "failed", "canceled"].includes(job.status) && job.webhooks === 0)
      f.missingWebhooks.push(job.id);
    const settled = entries.filter((e) => e.outcome !== "interrupted");
    const interrupted = entries.length - settled.length;
    f.ledgerMissing += Math.max(0, calls.length - entries.length);
    f.ledgerExtra += Math.max(0, settled.length - calls.length);
    const row = perTenant.get(job.tenant) ?? { simCalls: 0, entries: 0, interrupted: 0 };
    row.simCalls += calls.length;
    row.entries += entries.length;
    row.interrupted += interrupted;
    perTenant.set(job.tenant, row);
  }
  const lastKill = Math.max(...input.kills);
  const backlog = input.jobs.filter((j) => j.standalone && !(j.hookAt !== undefined && j.hookAt <= lastKill));
  const usual = f.throughput.rest.perSecond;
  f.drainBacklog = { jobs: backlog.length, atUsualRateMs: usual > 0 ? (backlog.length / usual) * 1000 : 0 };
  f.lastToFinish = backlog
    .flatMap((j) =>
      j.hookAt === undefined
        ? []
        : [{ id: j.id, finishedAt: j.finishedAt, hookAt: j.hookAt, calls: bySha.get(j.sha) ?? [] }],
    )
    .sort((a, b) => b.hookAt - a.hookAt)
    .slice(0, 4);
  f.ledger = [...perTenant].map(([tenant, row]) => ({ tenant, vendor: "ailab", ...row }));
  if (input.budget) {
    const shas = new Set(input.jobs.filter((j) => j.tenant === input.budget!.tenant).map((j) => j.sha));
    const paid = input.calls.filter((c) => billable(c) && c.targetSha256 && shas.has(c.targetSha256)).length;
    f.budgetOvershoot = Math.max(0, paid - input.budget.max);
  }
  return f;
}

const AFTER_MS = 10_000;

/**
 * Jobs finished per second while Redis was away and just after, against the rest of the run: a
 * job's latency would mostly say how long it queued behind the others, its finishing rate does not.
 */
function throughput(
  jobs: JobSeen[],
  away: { from: number; to: number } | undefined,
): { away: Throughput; after: Throughput; rest: Throughput } {
  const done = jobs.flatMap((j) => (j.hookAt === undefined ? [] : [j.hookAt]));
  const rate = (from: number, to: number, exclude?: [number, number]): Throughput => {
    const inside = (t: number) => t >= from && t < to && !(exclude && t >= exclude[0] && t < exclude[1]);
    const ms = to - from - (exclude ? Math.max(0, Math.min(to, exclude[1]) - Math.max(from, exclude[0])) : 0);
    const n = done.filter(inside).length;
    const seconds = ms / 1000;
    return { jobs: n, seconds, perSecond: seconds > 0 ? n / seconds : 0 };
  };
  const first = Math.min(...done);
  const last = Math.max(...done) + 1;
  if (!away || done.length === 0) {
    const none = { jobs: 0, seconds: 0, perSecond: 0 };
    return { away: none, after: none, rest: done.length ? rate(first, last) : none };
  }
  return {
    away: rate(away.from, away.to),
    after: rate(away.to, away.to + AFTER_MS),
    rest: rate(first, last, [away.from, away.to + AFTER_MS]),
  };
}

/** The invariants the short run asserts (and a full run is judged by). */
export function violations(f: Figures): string[] {
  const out: string[] = [];
  if (f.unanswered > 0) out.push(`${f.unanswered} submissions never answered`);
  if (f.lost.length > 0) out.push(`${f.lost.length} jobs lost: ${f.lost.slice(0, 5).join(", ")}`);
  if (f.billedTwiceAfterAnswer.length > 0)
    out.push(
      `${f.billedTwiceAfterAnswer.length} jobs billed twice after an answer: ${f.billedTwiceAfterAnswer.slice(0, 5).join(", ")}`,
    );
  if (f.attemptMismatches.length > 0)
    out.push(
      `${f.attemptMismatches.length} attempt mismatches: ${f.attemptMismatches.slice(0, 5).join("; ")}`,
    );
  if (f.missingWebhooks.length > 0)
    out.push(
      `${f.missingWebhooks.length} final jobs without a webhook: ${f.missingWebhooks.slice(0, 5).join(", ")}`,
    );
  return out;
}
