import {
  CATALOG,
  type Checkpoint,
  FAILOVER_KINDS,
  failureLogLevel,
  isFinal,
  type JobError,
  JobFailure,
  type JobRecord,
  VendorError,
  type VendorId,
  vendorQueueName,
} from "@facegate/core";
import { announce, dispatchJob, dropCheckpoint, finishJob, type Services } from "@facegate/jobs";
import type { Pacer } from "@facegate/queue";
import type { VersionedRecord } from "@facegate/records";
import { paramsForVendor, type VendorAdapter, type VendorResult } from "@facegate/vendors";
import { DelayedError, type Job, RateLimitError, UnrecoverableError } from "bullmq";
import type { WorkerMetrics } from "../metrics";
import { storeOutput } from "../output";
import { enqueueStore } from "../store-queue";
import { prepareVendorImages } from "../vendor-inputs";

/** Longest wait for a rate-limit slot spent inside a processor; longer waits pause the queue. */
const MAX_PACING_SLEEP_MS = 2_000;
/** A spilled vendor answer (S3 down) is kept this long in Redis. */
const SPILL_TTL_S = 7 * 86_400;

export interface CallVendorDeps {
  services: Services;
  adapters: ReadonlyMap<VendorId, VendorAdapter>;
  pacers: ReadonlyMap<VendorId, Pacer>;
  metrics: WorkerMetrics;
}

/**
 * The vendor step of a job: normalise the inputs, wait for a rate-limit slot, make the call,
 * and record the answer (checkpoint) before handing over to the store step. Failures are
 * sorted here, once: rate limits wait without spending an attempt, transient failures retry
 * with backoff, vendor-level failures fail over under `auto`, input failures end the job.
 */
export function callVendorHandler(deps: CallVendorDeps, vendor: VendorId) {
  const { services } = deps;
  const adapter = deps.adapters.get(vendor);
  const pacer = deps.pacers.get(vendor);

  return async (job: Job, token?: string, signal?: AbortSignal) => {
    const { jobId, requestId } = CATALOG["call-vendor"].payload.parse(job.data);
    const log = services.logger.child({ jobId, vendor, requestId, attempt: job.attemptsMade + 1 });
    const read = await services.records.getVersioned(jobId);
    const record = read?.record;
    if (!record || isFinal(record.status) || record.erasedAt) return { skipped: "finished" };
    if (record.vendor !== vendor) return { skipped: "moved to another vendor" };
    if (record.checkpoint) {
      await enqueueStore(services, jobId);
      return { resumed: "checkpoint" };
    }
    if (!adapter || !pacer) {
      await fail(record, {
        code: "vendor_config_error",
        message: `vendor ${vendor} is not configured`,
        retryable: false,
      });
      throw new UnrecoverableError(`vendor ${vendor} is not configured`);
    }
    if (Date.now() >= record.deadlineAt) {
      await fail(record, {
        code: "timeout",
        message: "the job's deadline passed before the vendor answered",
        retryable: false,
      });
      return { failed: "timeout" };
    }
    const running = await services.records.update(
      jobId,
      (r) =>
        r.status === "queued" ? { ...r, status: "running", startedAt: r.startedAt ?? Date.now() } : undefined,
      read,
    );

    let images: Awaited<ReturnType<typeof prepareVendorImages>>;
    try {
      images = await prepareVendorImages(record, adapter, services.store, services.config.api.maxImagePixels);
    } catch (error) {
      return handleFailure(job, token, record, asFailure(error, "storage_unavailable", log), undefined, log);
    }

    const slot = await pacer.waitForSlot(MAX_PACING_SLEEP_MS, signal);
    if (slot.waitMs > 0) deps.metrics.rateLimitWait(vendor, "paced", slot.waitMs);
    if (slot.missed) log.debug({ missed: slot.missed }, "rate-limit slots reached late were given up");
    if (slot.credential === undefined) {
      announce(services, {
        kind: "rate_limited",
        ...about(record),
        waitMs: slot.waitMs,
        by: "pacer",
        at: Date.now(),
      });
      await services.queues.get(vendorQueueName(vendor)).rateLimit(slot.waitMs);
      throw new RateLimitError();
    }

    announce(services, { kind: "attempt", ...about(record), attempt: record.attempts + 1, at: Date.now() });
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
        credential: slot.credential,
        signal,
      });
      const ms = performance.now() - started;
      deps.metrics.vendorCall(vendor, record.operation, "success", ms);
      log.debug({ ms: Math.round(ms) }, "vendor answered");
    } catch (error) {
      const failure = asFailure(error, "vendor_unavailable", log);
      deps.metrics.vendorCall(vendor, record.operation, failureLabel(failure), performance.now() - started);
      if (signal?.aborted) {
        // The call went out all the same: it counts (a canceled record is left alone).
        await countAttempt(record);
        return { canceled: true };
      }
      return handleFailure(job, token, record, failure, slot.credential, log);
    }
    await services.circuit.recordSuccess(vendor);
    return saveAnswer(record, result, log, running);
  };

  /** Who a job hint is about. */
  function about(record: JobRecord) {
    return { id: record.id, tenant: record.tenant, vendor };
  }

  async function fail(record: JobRecord, error: JobError) {
    await finishJob(services, record.id, { status: "failed", error });
  }

  /** Try the next vendor under `auto`; false when there is none left. */
  async function failover(record: JobRecord, reason: string): Promise<boolean> {
    if (record.vendorRequested !== "auto") return false;
    const updated = await services.records.update(record.id, (r) => {
      if (isFinal(r.status)) return undefined;
      r.routing.push({ vendor, outcome: "failed_over", reason, at: Date.now() });
      return r;
    });
    if (!updated || isFinal(updated.record.status)) return false;
    const outcome = await dispatchJob(services, updated.record);
    return "vendor" in outcome;
  }

  async function countAttempt(record: JobRecord, error?: JobError) {
    await services.records.update(record.id, (r) => {
      if (isFinal(r.status)) return undefined;
      r.attempts += 1;
      if (error) r.error = error;
      return r;
    });
  }

  async function handleFailure(
    job: Job,
    token: string | undefined,
    record: JobRecord,
    failure: VendorError | JobFailure,
    /** The credential the call used; undefined when no call was made (inputs could not be read). */
    credential: number | undefined,
    log: Services["logger"],
  ) {
    const error: JobError = {
      code: failure.code,
      message: failure.message,
      vendor: failure instanceof VendorError ? vendor : undefined,
      vendorCode: failure instanceof VendorError ? failure.vendorCode : undefined,
      retryable: failure.retryable,
    };
    const reason = `${failure.code}${error.vendorCode ? ` (${error.vendorCode})` : ""}`;

    if (failure instanceof VendorError && failure.kind === "rate_limited") {
      const waitMs = failure.retryAfterMs ?? services.config.jobs.backoffMs;
      deps.metrics.rateLimitWait(vendor, "vendor_said", waitMs);
      if (Date.now() + waitMs > record.deadlineAt) {
        if (await failover(record, "rate limit not clearing before the job's deadline"))
          return { failedOver: true };
        await fail(record, error);
        throw new UnrecoverableError(failure.message);
      }
      log.warn({ code: failure.vendorCode, waitMs, scope: failure.scope }, "vendor rate limit, waiting");
      announce(services, { kind: "rate_limited", ...about(record), waitMs, by: "vendor", at: Date.now() });
      await services.records.update(record.id, (r) => (isFinal(r.status) ? undefined : { ...r, error }));
      if (failure.scope === "credential" && credential !== undefined) {
        // Only this credential is throttled: park it, and put the job back at once for another one.
        // (Delayed, not RateLimitError: a prioritized job moved back to wait would sit unnoticed.)
        await pacer!.hold(credential, waitMs);
        await job.moveToDelayed(Date.now() + 1, token);
        throw new DelayedError();
      }
      await services.queues.get(vendorQueueName(vendor)).rateLimit(waitMs);
      throw new RateLimitError();
    }

    const vendorLevel = failure instanceof VendorError && FAILOVER_KINDS.has(failure.kind);
    if (vendorLevel) await services.circuit.recordFailure(vendor, reason);
    // Every call made spends an attempt, whatever failed (a rate-limit answer has returned above).
    if (credential !== undefined) await countAttempt(record, error);

    const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (failure.retryable && !lastAttempt) {
      deps.metrics.retry(vendor, failure.code);
      log.warn({ code: failure.code, vendorCode: error.vendorCode }, "vendor call failed, will retry");
      throw failure;
    }
    if (vendorLevel && (await failover(record, reason))) {
      log.warn({ code: failure.code }, "failing over to the next vendor");
      return { failedOver: true };
    }
    // A photo with no face is the caller's business; a vendor refusing our key is the operator's.
    log[failureLogLevel(failure.code)]({ code: failure.code, vendorCode: error.vendorCode }, "job failed");
    await fail(record, error);
    throw new UnrecoverableError(failure.message);
  }

  /**
   * The vendor has answered (and billed). An image goes straight to the job's output; a URL, or
   * an image S3 would not take right now, is recorded as a checkpoint for the store step, so a
   * crash or an outage from here on never calls the vendor again.
   */
  async function saveAnswer(
    record: JobRecord,
    result: VendorResult,
    log: Services["logger"],
    known: VersionedRecord | undefined,
  ) {
    const at = Date.now();
    let checkpoint: Checkpoint;
    if (result.kind === "url") {
      checkpoint = { kind: "url", url: result.url, expiresAt: result.expiresAt, vendor, at };
    } else {
      try {
        return { output: await storeOutput(services, record, result.bytes, { countCall: true, known }) };
      } catch (error) {
        if (error instanceof JobFailure) {
          // Not an image we can use: the vendor answered nonsense.
          await fail(record, {
            code: "vendor_unavailable",
            message: `the vendor's result was unusable: ${error.message}`,
            vendor,
            retryable: false,
          });
          throw new UnrecoverableError(error.message);
        }
        // Storage is down. Keep the bytes in Redis (bounded TTL) until S3 is back.
        log.warn({ err: error }, "storage unavailable, vendor answer kept in Redis");
        const spill = services.keys.spill(record.id);
        await services.redis.set(spill, result.bytes, "EX", SPILL_TTL_S);
        checkpoint = { kind: "spill", key: spill, vendor, at };
      }
    }
    const saved = await services.records.update(record.id, (r) => {
      // Finished (canceled) meanwhile, or another run of this job already has an answer.
      if (isFinal(r.status) || r.checkpoint) return undefined;
      r.checkpoint = checkpoint;
      r.attempts += 1;
      r.error = undefined;
      return r;
    });
    if (!sameCheckpoint(saved?.record.checkpoint, checkpoint)) {
      await dropCheckpoint(services, checkpoint);
      return {
        discarded:
          saved?.record.status === "canceled" ? "canceled while the vendor worked" : "already answered",
      };
    }
    await enqueueStore(services, record.id);
    return { checkpoint: checkpoint.kind };
  }
}

/**
 * An error the adapters did not classify, as a failure. Its own text (a library's, an address,
 * JavaScript's) is logged, never written into the job a client reads.
 */
function asFailure(
  error: unknown,
  fallback: "storage_unavailable" | "vendor_unavailable",
  log: Services["logger"],
): VendorError | JobFailure {
  if (error instanceof VendorError || error instanceof JobFailure) return error;
  log.warn({ err: error }, "unclassified error");
  return fallback === "storage_unavailable"
    ? new JobFailure("storage_unavailable", "facegate's storage could not be reached")
    : new JobFailure("internal_error", "the vendor call failed in an unexpected way");
}

function sameCheckpoint(a: Checkpoint | undefined, b: Checkpoint): boolean {
  return (
    a !== undefined &&
    a.kind === b.kind &&
    a.at === b.at &&
    ("key" in a ? a.key : a.url) === ("key" in b ? b.key : b.url)
  );
}

function failureLabel(failure: VendorError | JobFailure): string {
  return failure instanceof VendorError ? failure.kind : "error";
}
