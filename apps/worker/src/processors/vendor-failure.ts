import {
  FAILOVER_KINDS,
  failureLogLevel,
  isFinal,
  type JobError,
  JobFailure,
  type JobRecord,
  VendorError,
  vendorQueueName,
} from "@facegate/core";
import { announce, type Services } from "@facegate/jobs";
import type { SentIn } from "@facegate/queue";
import { DelayedError, type Job, RateLimitError, UnrecoverableError } from "bullmq";
import { type AttemptState, retryOrFinal } from "../attempts";
import { failJob, failover, type VendorStep } from "./vendor-step";

/**
 * Sort a failed vendor step, once: rate limits wait without spending an attempt (the attempt
 * counted before the call is given back), transient failures retry with backoff, vendor-level
 * failures fail over under `auto`, input failures end the job.
 */
export async function handleFailure(
  step: VendorStep,
  job: Job,
  token: string | undefined,
  record: JobRecord,
  failure: VendorError | JobFailure,
  /**
   * The ledger entry and credential of the call made, and the pacer's rate when it was sent (a
   * refusal teaches the pacer); undefined when no call was made.
   */
  call: { id: string; credential: number; sentIn?: SentIn | undefined } | undefined,
  log: Services["logger"],
): Promise<unknown> {
  const { services, vendor } = step;
  const error: JobError = {
    code: failure.code,
    message: failure.message,
    vendor: failure instanceof VendorError ? vendor : undefined,
    vendorCode: failure instanceof VendorError ? failure.vendorCode : undefined,
    retryable: failure.retryable,
  };
  const reason = `${failure.code}${error.vendorCode ? ` (${error.vendorCode})` : ""}`;

  const pacer = step.pacers.get(vendor);
  const plan = planFailure(failure, job, {
    paced: pacer?.paced ?? false,
    backoffMs: services.config.jobs.backoffMs,
  });

  if (plan.action === "wait") {
    const { waitMs, limit } = plan;
    step.metrics.rateLimitWait(vendor, "vendor_said", waitMs);
    await services.records.update(record.id, (r) => {
      if (isFinal(r.status)) return undefined;
      giveBackAttempt(r, call?.id);
      r.error = error;
      return r;
    });
    if (waitOutlastsDeadline(waitMs, record.deadlineAt, Date.now())) {
      if (await failover(step, record, "rate limit not clearing before the job's deadline"))
        return { failedOver: true };
      await failJob(step, record, error);
      throw new UnrecoverableError(limit.message);
    }
    log.info({ code: limit.vendorCode, waitMs, scope: limit.scope }, "vendor rate limit, waiting");
    announce(services, {
      kind: "rate_limited",
      id: record.id,
      tenant: record.tenant,
      vendor,
      waitMs,
      by: "vendor",
      at: Date.now(),
    });
    if (call && pacer?.paced) {
      // Park the credential (all of them for a vendor-wide limit) and put the job back at once:
      // the pacer spaces the retry. (Delayed, not RateLimitError: a prioritized job moved back to
      // wait would sit unnoticed.) An overloaded vendor is waited for, but teaches no rate.
      const credential = limit.scope === "credential" ? call.credential : "all";
      await pacer.refused(credential, limit.overload ? undefined : call.sentIn, waitMs);
      await job.moveToDelayed(Date.now() + 1, token);
      throw new DelayedError();
    }
    await services.queues.get(vendorQueueName(vendor)).rateLimit(waitMs);
    throw new RateLimitError();
  }

  const { vendorLevel } = plan;
  if (vendorLevel) await services.circuit.recordFailure(vendor, reason);
  if (call) {
    // The attempt was counted before the call; the record keeps what went wrong with it.
    await services.records.update(record.id, (r) =>
      isFinal(r.status) ? undefined : { ...r, error: { ...error, attempt: r.attempts } },
    );
  }

  // A good image this vendor does not take (found before the call, or said by the vendor):
  // under `auto`, the next vendor may take it.
  if (plan.notAccepted && (await failover(step, record, `${vendor}: ${failure.message}`))) {
    log.info({ code: failure.code }, "the vendor does not take the image, routed to the next one");
    return { failedOver: true };
  }

  if (plan.next === "retry") {
    step.metrics.retry(vendor, failure.code);
    log.warn({ code: failure.code, vendorCode: error.vendorCode }, "vendor call failed, will retry");
    throw failure;
  }
  if (vendorLevel && (await failover(step, record, reason))) {
    log.warn({ code: failure.code }, "failing over to the next vendor");
    return { failedOver: true };
  }
  // A photo with no face is the caller's business; a vendor refusing our key is the operator's.
  log[failureLogLevel(failure.code)]({ code: failure.code, vendorCode: error.vendorCode }, "job failed");
  await failJob(step, record, error);
  throw new UnrecoverableError(failure.message);
}

/** What `handleFailure` does with a failure, decided before any I/O. */
export type FailurePlan =
  /**
   * A rate limit: wait without spending an attempt. `waitMs` is the vendor's hint; without one,
   * none for a paced vendor (its pacer spaces the retry) and the job backoff for an unpaced one.
   */
  | { action: "wait"; waitMs: number; limit: VendorError }
  /**
   * The attempt is spent. `vendorLevel`: the vendor itself failed (counted against its circuit;
   * under `auto`, fails over once retries are done). `notAccepted`: a good image this vendor does
   * not take, which the next vendor may. `next`: hand back to BullMQ for another try, or end.
   */
  | { action: "spend"; vendorLevel: boolean; notAccepted: boolean; next: "retry" | "final" };

/**
 * Sort a failure: rate limits wait, transient failures retry while attempts remain, vendor-level
 * failures may fail over, input failures end the job.
 */
export function planFailure(
  failure: VendorError | JobFailure,
  job: AttemptState,
  vendor: { paced: boolean; backoffMs: number },
): FailurePlan {
  if (failure instanceof VendorError && failure.kind === "rate_limited") {
    // A paced vendor's credential is held back by the pacer (at least one interval at the rate it
    // learns from this refusal); an unpaced vendor's whole queue waits the backoff.
    const waitMs = failure.retryAfterMs ?? (vendor.paced ? 0 : vendor.backoffMs);
    return { action: "wait", waitMs, limit: failure };
  }
  return {
    action: "spend",
    vendorLevel: failure instanceof VendorError && FAILOVER_KINDS.has(failure.kind),
    notAccepted: failure.code === "image_not_accepted",
    next: retryOrFinal(job, failure.retryable),
  };
}

/** A rate-limit answer does not spend an attempt: give back the one counted before this call, not a later call's. */
export function giveBackAttempt(record: JobRecord, callId: string | undefined): void {
  if (callId !== undefined && record.lastCallId === callId) record.attempts -= 1;
}

/** Whether waiting `waitMs` from `now` runs past the job's deadline (then it fails over or fails). */
export const waitOutlastsDeadline = (waitMs: number, deadlineAt: number, now: number): boolean =>
  now + waitMs > deadlineAt;

/**
 * An error the adapters did not classify, as a failure of the step it broke: reading the inputs
 * from storage (`storage_unavailable`) or the vendor call itself, where an unclassified error is
 * facegate's own (`internal_error`), not the vendor's. Its own text (a library's, an address,
 * JavaScript's) is logged, never written into the job a client reads.
 */
export function asFailure(
  error: unknown,
  during: "reading inputs" | "vendor call",
  log: Services["logger"],
): VendorError | JobFailure {
  if (error instanceof VendorError || error instanceof JobFailure) return error;
  log.warn({ err: error, during }, "unclassified error");
  return during === "reading inputs"
    ? new JobFailure("storage_unavailable", "facegate's storage could not be reached")
    : new JobFailure("internal_error", "the vendor call failed in an unexpected way");
}
