import {
  type JobError,
  type JobInputs,
  type JobRecord,
  newId,
  type Operation,
  type VendorId,
} from "@facegate/core";
import type { ClaimHold, HeldInputs } from "@facegate/records";
import {
  awaitsFaceCheck,
  chooseVendor,
  type DispatchDeps,
  enqueueFaceCheck,
  enqueueVendorCall,
  vendorCandidates,
} from "./dispatch";
import { finishJob } from "./lifecycle";
import { inputsRefusal } from "./vendor-fit";

export interface NewJob {
  id?: string;
  tenant: string;
  operation: Operation;
  vendor: VendorId | "auto";
  params: Record<string, unknown>;
  inputs: JobInputs;
  metadata: Record<string, string>;
  webhookUrl?: string | undefined;
  batchId?: string | undefined;
  item?: { index: number; name: string } | undefined;
  requestId?: string | undefined;
  /** Check the faces before any vendor call (also on for every job with PREFLIGHT=faces). */
  preflight?: boolean | undefined;
  /** The Idempotency-Key claim the job is created under (`IdempotencyKeys`). */
  claim?: ClaimHold | undefined;
  /** A batch item that cannot run (bad file, unreachable URL): recorded as failed at once. */
  failure?: JobError | undefined;
  /** Inputs the record holds for the worker until the job is final (`inputHolder`). */
  held?: HeldInputs | undefined;
}

/**
 * Record a job (its inputs already in S3) and queue it with its vendor. A crash between the two
 * writes leaves an unfinished record without a queue entry, which the reconciler re-dispatches.
 */
export async function createJob(services: DispatchDeps, spec: NewJob): Promise<JobRecord> {
  const now = Date.now();
  const record: JobRecord = {
    id: spec.id ?? newId("job", now),
    tenant: spec.tenant,
    status: "queued",
    operation: spec.operation,
    vendorRequested: spec.vendor,
    params: spec.params,
    inputs: spec.inputs,
    metadata: spec.metadata,
    webhookUrl: spec.webhookUrl,
    batchId: spec.batchId,
    item: spec.item,
    createdAt: now,
    updatedAt: now,
    deadlineAt: now + services.config.jobs.deadlineMs,
    attempts: 0,
    routing: [],
    requestId: spec.requestId,
    preflight: spec.preflight || services.config.jobs.preflight || undefined,
  };
  if (spec.failure) {
    await services.records.create(record);
    return (await finishJob(services, record.id, { status: "failed", error: spec.failure })) ?? record;
  }
  // Routed before it is written, so the record is created complete in one step. Vendors whose
  // limits an input misses are passed over, and the job says why.
  if (spec.vendor === "auto") {
    for (const vendor of vendorCandidates(services.config, spec.operation, "auto")) {
      const reason = inputsRefusal(vendor, spec.operation, spec.inputs);
      if (reason) record.routing.push({ vendor, outcome: "skipped", reason, at: now });
    }
  }
  const choice = await chooseVendor(services, record);
  // No faces are known yet, so the pre-flight cannot refuse here.
  if ("vendor" in choice) {
    record.vendor = choice.vendor;
    record.routing.push(...choice.notes);
  }
  const open = await services.records.create(record, spec.claim, spec.held);
  services.metrics.jobsCreated.inc({ operation: record.operation, vendor: record.vendorRequested });
  if ("exhausted" in choice) {
    return (
      (await finishJob(services, record.id, {
        status: "failed",
        error: {
          code: "vendor_config_error",
          message: "no configured vendor can run this operation",
          retryable: false,
        },
      })) ?? record
    );
  }
  if ("refused" in choice) {
    return (await finishJob(services, record.id, { status: "failed", error: choice.refused })) ?? record;
  }
  if (awaitsFaceCheck(record)) await enqueueFaceCheck(services, record);
  else await enqueueVendorCall(services, record, choice.vendor, open, [...(spec.held?.keys() ?? [])]);
  return record;
}
