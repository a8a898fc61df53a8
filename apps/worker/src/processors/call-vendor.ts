import {
  CATALOG,
  isFinal,
  type JobRecord,
  VendorError,
  type VendorId,
  vendorQueueName,
} from "@facegate/core";
import { announce, finishJob, type Services } from "@facegate/jobs";
import type { PacerSlot } from "@facegate/queue";
import type { LedgerEntry, OpenCall, VersionedRecord } from "@facegate/records";
import { paramsForVendor, type VendorResult } from "@facegate/vendors";
import { DelayedError, type Job, RateLimitError, UnrecoverableError } from "bullmq";
import { stallTiming } from "../stall-timing";
import { enqueueStore } from "../store-queue";
import { prepareVendorImages, readAhead, withHeld } from "../vendor-inputs";
import { emitBudgetSignal } from "./budget-signals";
import { callOutcome } from "./call-outcome";
import { saveAnswer } from "./vendor-answer";
import { asFailure, handleFailure } from "./vendor-failure";
import { type CallVendorDeps, failJob, type VendorStep } from "./vendor-step";

export type { CallVendorDeps } from "./vendor-step";

/** Longest wait for a rate-limit slot spent inside a processor; longer waits pause the queue. */
const MAX_PACING_SLEEP_MS = 2_000;

/**
 * The vendor step of a job: normalise the inputs, wait for a rate-limit slot, write the call
 * down (ledger entry, budget reservation, the job's attempt) before it is sent, make it, and
 * record its outcome, keeping the vendor's answer the moment it arrives. A run that finds a
 * previous run's call open resumes from its answer, or books it `interrupted` (see
 * docs/usage-and-budgets.md).
 */
export function callVendorHandler(deps: CallVendorDeps, vendor: VendorId) {
  const step: VendorStep = { ...deps, vendor };
  const { services } = deps;
  const adapter = deps.adapters.get(vendor);
  const pacer = deps.pacers.get(vendor);
  // A call in flight holds a lease as long as a job's lock: a run that finds it lapsed knows the
  // call's process died, as BullMQ knows a job's worker died.
  const leaseMs = stallTiming(services.config.jobs.lockMs).lockDuration;

  const prepare = (record: JobRecord, store: Pick<Services["store"], "get"> = services.store) =>
    prepareVendorImages(record, adapter!, store, services.config.api.maxImagePixels);
  /** Whether this run may call the vendor for the job, as its record reads. */
  const mayCall = (record: JobRecord) =>
    !isFinal(record.status) &&
    !record.erasedAt &&
    record.vendor === vendor &&
    !record.checkpoint &&
    Date.now() < record.deadlineAt;

  return async (job: Job, token?: string, signal?: AbortSignal) => {
    const { jobId, requestId, inputs = [], held = [] } = CATALOG["call-vendor"].payload.parse(job.data);
    const log = services.logger.child({ jobId, vendor, requestId, attempt: job.attemptsMade + 1 });
    log.debug({ hop: "worker picked up" }, "call-vendor started");
    // The inputs the queue entry names are read from S3 while the record is read from Redis, but
    // for those the record holds, read with it.
    const fromS3 = adapter
      ? readAhead(
          services.store,
          inputs.filter((key) => !held.includes(key)),
        )
      : undefined;
    const withInputs = await services.records.getWithInputs(jobId);
    const stored = withHeld(fromS3 ?? services.store, withInputs?.held);
    let read: VersionedRecord | undefined = withInputs;
    // The inputs are read and fitted while the ledger is asked for an open call, which there
    // almost never is: the work is only wasted when a previous run's call must be dealt with.
    const preparing = read && adapter && mayCall(read.record) ? prepare(read.record, stored) : undefined;
    preparing?.catch(() => undefined); // awaited below, or dropped with the run
    if (read) {
      const open = await services.ledger.open(read.record.tenant, jobId);
      if (open?.pending && open.leaseLeftMs > 0) return waitForOpenCall(job, token, open.leaseLeftMs, log);
      if (open) {
        const recovered = await recover(read.record, open, log);
        if (recovered) return recovered;
        read = await services.records.getVersioned(jobId);
      }
    }
    const record = read?.record;
    if (!record || isFinal(record.status) || record.erasedAt) return { skipped: "finished" };
    if (record.vendor !== vendor) return { skipped: "moved to another vendor" };
    if (record.checkpoint) {
      await enqueueStore(services, jobId);
      return { resumed: "checkpoint" };
    }
    if (!adapter || !pacer) {
      await failJob(step, record, {
        code: "vendor_config_error",
        message: `vendor ${vendor} is not configured`,
        retryable: false,
      });
      throw new UnrecoverableError(`vendor ${vendor} is not configured`);
    }
    if (Date.now() >= record.deadlineAt) {
      await failJob(step, record, {
        code: "timeout",
        message: "the job's deadline passed before the vendor answered",
        retryable: false,
      });
      return { failed: "timeout" };
    }
    let images: Awaited<ReturnType<typeof prepareVendorImages>>;
    try {
      images = await (preparing ?? prepare(record, stored));
    } catch (error) {
      return handleFailure(step, job, token, record, asFailure(error, "reading inputs", log), undefined, log);
    }

    log.debug({ hop: "inputs prepared" }, "inputs fitted to the vendor");
    const slot = await pacer.waitForSlot(MAX_PACING_SLEEP_MS, signal);
    log.debug({ hop: "rate slot" }, "rate-limit slot");
    if (slot.waitMs > 0) deps.metrics.rateLimitWait(vendor, "paced", slot.waitMs);
    if (slot.missed) log.debug({ missed: slot.missed }, "rate-limit slots reached late were given up");
    if (slot.credential === undefined) {
      announce(services, {
        kind: "rate_limited",
        id: record.id,
        tenant: record.tenant,
        vendor,
        waitMs: slot.waitMs,
        by: "pacer",
        at: Date.now(),
      });
      await services.queues.get(vendorQueueName(vendor)).rateLimit(slot.waitMs);
      throw new RateLimitError();
    }
    if (deps.calls.stopping) {
      // Stopping: hand the job back before its call is written down; another worker makes it.
      await job.moveToDelayed(Date.now(), token);
      throw new DelayedError();
    }
    const credential = slot.credential;

    // The call itself, written down already: make it and record its outcome, keeping the answer.
    const callAndKeep = async (entry: LedgerEntry, counted: VersionedRecord) => {
      const attempt = counted.record.attempts;
      announce(services, {
        kind: "attempt",
        id: record.id,
        tenant: record.tenant,
        vendor,
        attempt,
        at: Date.now(),
      });
      log.debug({ hop: "vendor call" }, "calling the vendor");
      const started = performance.now();
      let result: VendorResult;
      try {
        result = await adapter.call({
          operation: record.operation,
          ...images,
          // An `auto` job's params may hold keys for other candidate vendors; hand over this vendor's.
          params:
            record.vendorRequested === "auto"
              ? paramsForVendor(record.operation, vendor, record.params)
              : record.params,
          credential,
          signal,
        });
      } catch (error) {
        const failure = asFailure(error, "vendor call", log);
        if (!(failure instanceof VendorError && failure.kind === "rate_limited")) answered(slot, log);
        const outcome = callOutcome(failure, signal?.aborted ?? false);
        await services.ledger.end(entry, outcome);
        deps.metrics.vendorCall(vendor, record.operation, failureLabel(failure), performance.now() - started);
        // The call went out all the same: it stays counted (a canceled record is left alone).
        if (signal?.aborted) return { canceled: true };
        return handleFailure(
          step,
          job,
          token,
          record,
          failure,
          { id: entry.id, credential, sentIn: slot },
          log,
        );
      }
      const ms = performance.now() - started;
      answered(slot, log);
      const ended = await services.ledger.end(
        entry,
        { outcome: "result" },
        result.kind === "url" ? { url: result.url, expiresAt: result.expiresAt } : { bytes: result.bytes },
      );
      deps.metrics.vendorCall(vendor, record.operation, "success", ms);
      log.debug({ ms: Math.round(ms), hop: "vendor answered" }, "vendor answered");
      if (ended.thresholdCrossed) await emitBudgetSignal(services, record.tenant, "budget.threshold");
      if (ended.exhausted) await emitBudgetSignal(services, record.tenant, "budget.exhausted");
      await services.circuit.recordSuccess(vendor);
      const kept =
        result.kind === "url"
          ? ({ kind: "url", url: result.url, expiresAt: result.expiresAt } as const)
          : ({ kind: "bytes", key: services.keys.vendorAnswer(record.tenant, jobId) } as const);
      return saveAnswer(step, record, kept, result.kind === "bytes" ? result.bytes : undefined, log, counted);
    };

    return deps.calls.track(async () => {
      const entry = services.ledger.entry({
        tenant: record.tenant,
        jobId,
        vendor,
        operation: record.operation,
        credential,
        priceMicros: services.config.usage.pricesMicros[`${vendor}.${record.operation}`] ?? 0,
      });
      // Written down before it is sent: the entry (with its budget reservation and the job's one
      // open call), then the job's attempt, so a crash mid-call still shows in both.
      const begun = await services.ledger.begin(entry, leaseMs);
      if ("busy" in begun) {
        // Another run of the job (whose worker lost its lock, but lives) has its call open.
        const open = await services.ledger.open(record.tenant, jobId);
        return waitForOpenCall(job, token, open?.leaseLeftMs ?? 0, log);
      }
      if ("exhausted" in begun) {
        if (begun.first) await emitBudgetSignal(services, record.tenant, "budget.exhausted");
        log.warn("the tenant's budget is spent: job failed without a vendor call");
        await finishJob(services, jobId, {
          status: "failed",
          error: {
            code: "budget_exhausted",
            message: "the tenant's budget for this period is spent",
            retryable: false,
          },
        });
        throw new UnrecoverableError("budget exhausted");
      }
      const counted = await services.records.update(
        jobId,
        (r) => {
          if (isFinal(r.status) || r.checkpoint) return undefined;
          // Running from its first call on: waiting for inputs or a slot, it is still queued.
          if (r.status === "queued") {
            r.status = "running";
            r.startedAt ??= Date.now();
          }
          r.attempts += 1;
          r.lastCallId = entry.id;
          return r;
        },
        read,
      );
      if (counted?.record.lastCallId !== entry.id) {
        await services.ledger.void(entry);
        return { skipped: "finished before the call" };
      }

      // The call's lease, renewed while it is in flight: a run of the job that finds it open
      // waits for it instead of booking it interrupted and calling again.
      const renewal = setInterval(() => {
        services.ledger
          .renew(entry, leaseMs)
          .catch((error) => log.debug({ err: error }, "lease renewal lost"));
      }, leaseMs / 3);
      try {
        return await callAndKeep(entry, counted);
      } finally {
        clearInterval(renewal);
      }
    });
  };

  /**
   * Another run's call is open and its process alive (it lost its lock for a while, to a Redis
   * outage or a pause): this run comes back when that call's lease would have lapsed, by which
   * time it has its outcome (resume from it) or its process is gone (book it interrupted).
   */
  async function waitForOpenCall(
    job: Job,
    token: string | undefined,
    leaseLeftMs: number,
    log: Services["logger"],
  ) {
    log.info({ waitMs: leaseLeftMs }, "another run of the job has its vendor call in flight: waiting for it");
    await job.moveToDelayed(Date.now() + leaseLeftMs + 100, token);
    throw new DelayedError();
  }

  /**
   * Tell the pacer the vendor took a call at the rate it was sent (anything but "too fast"), so an
   * adaptive rate can be judged. Off the job's path: a lost report only delays the judgement.
   */
  function answered(slot: PacerSlot, log: Services["logger"]) {
    pacer?.answered(slot.credential!, slot).catch((error) => log.debug({ err: error }, "pacer report lost"));
  }

  /**
   * A previous run of this job left its call open: it answered (resume from the kept answer),
   * or it was written down and the process died. Sent (counted in the job's attempts) it is
   * `interrupted`, perhaps billed, and INTERRUPTED_CALLS says whether the job tries again;
   * never sent, it is taken back. Returns the step's result when this run ends here.
   */
  async function recover(record: JobRecord, open: OpenCall, log: Services["logger"]) {
    const { entry } = open;
    if (open.answer) {
      if (isFinal(record.status) || record.erasedAt) {
        // Finished meanwhile (canceled, erased): the kept answer goes with it.
        if (open.answer.kind === "bytes") await services.ledger.dropAnswer(open.answer.key);
        await services.ledger.release(record.tenant, record.id);
        return { skipped: "finished" };
      }
      log.info({ callId: entry.id }, "resuming from the vendor's kept answer");
      return { resumed: await saveAnswer(step, record, open.answer, undefined, log) };
    }
    if (!open.pending) {
      await services.ledger.release(record.tenant, record.id);
      return undefined;
    }
    if (record.lastCallId !== entry.id) {
      await services.ledger.void(entry);
      return undefined;
    }
    await services.ledger.end(entry, { outcome: "interrupted" });
    log.warn({ callId: entry.id }, "the previous vendor call was cut off: booked as interrupted");
    if (services.config.usage.interruptedCalls === "fail" && !isFinal(record.status)) {
      await failJob(step, record, interruptedError(entry));
      return { failed: "interrupted" };
    }
    return undefined;
  }
}

function interruptedError(entry: LedgerEntry) {
  return {
    code: "vendor_unavailable" as const,
    message:
      "the vendor call was cut off by a crash and may have been billed; not retried (INTERRUPTED_CALLS=fail)",
    vendor: entry.vendor,
    retryable: false,
  };
}

function failureLabel(failure: Error): string {
  return failure instanceof VendorError ? failure.kind : "error";
}
