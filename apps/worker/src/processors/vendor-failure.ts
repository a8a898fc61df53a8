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
import { DelayedError, type Job, RateLimitError, UnrecoverableError } from "bullmq";
import { retryOrFinal } from "../attempts";
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
  call: { id: string; credential: number; sentAtRate?: number | undefined } | undefined,
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

  if (failure instanceof VendorError && failure.kind === "rate_limited") {
    // A paced vendor's credential is held back by the pacer (at least one interval at the rate it
    // learns from this refusal); an unpaced vendor's whole queue waits the backoff.
    const pacer = step.pacers.get(vendor);
    const waitMs = failure.retryAfterMs ?? (pacer?.paced ? 0 : services.config.jobs.backoffMs);
    step.metrics.rateLimitWait(vendor, "vendor_said", waitMs);
    await services.records.update(record.id, (r) => {
      if (isFinal(r.status)) return undefined;
      // A rate-limit answer does not spend an attempt: give back the one counted before the call.
      if (call && r.lastCallId === call.id) r.attempts -= 1;
      r.error = error;
      return r;
    });
    if (Date.now() + waitMs > record.deadlineAt) {
      if (await failover(step, record, "rate limit not clearing before the job's deadline"))
        return { failedOver: true };
      await failJob(step, record, error);
      throw new UnrecoverableError(failure.message);
    }
    log.info({ code: failure.vendorCode, waitMs, scope: failure.scope }, "vendor rate limit, waiting");
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
      // wait would sit unnoticed.)
      await pacer.refused(failure.scope === "credential" ? call.credential : "all", call.sentAtRate, waitMs);
      await job.moveToDelayed(Date.now() + 1, token);
      throw new DelayedError();
    }
    await services.queues.get(vendorQueueName(vendor)).rateLimit(waitMs);
    throw new RateLimitError();
  }

  const vendorLevel = failure instanceof VendorError && FAILOVER_KINDS.has(failure.kind);
  if (vendorLevel) await services.circuit.recordFailure(vendor, reason);
  if (call) {
    // The attempt was counted before the call; the record keeps what went wrong with it.
    await services.records.update(record.id, (r) =>
      isFinal(r.status) ? undefined : { ...r, error: { ...error, attempt: r.attempts } },
    );
  }

  // A good image this vendor does not take (found before the call, or said by the vendor):
  // under `auto`, the next vendor may take it.
  if (
    failure.code === "image_not_accepted" &&
    (await failover(step, record, `${vendor}: ${failure.message}`))
  ) {
    log.info({ code: failure.code }, "the vendor does not take the image, routed to the next one");
    return { failedOver: true };
  }

  if (retryOrFinal(job, failure.retryable) === "retry") {
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
