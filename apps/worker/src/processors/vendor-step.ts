import { isFinal, type JobError, type JobRecord, type VendorId } from "@facegate/core";
import { dispatchJob, finishJob, type Services } from "@facegate/jobs";
import type { Pacer } from "@facegate/queue";
import type { VendorAdapter } from "@facegate/vendors";
import type { InFlightCalls } from "../in-flight";
import type { WorkerMetrics } from "../metrics";

export interface CallVendorDeps {
  services: Services;
  adapters: ReadonlyMap<VendorId, VendorAdapter>;
  pacers: ReadonlyMap<VendorId, Pacer>;
  metrics: WorkerMetrics;
  calls: InFlightCalls;
}

/** What the parts of one vendor's call step share. */
export interface VendorStep extends CallVendorDeps {
  vendor: VendorId;
}

export async function failJob(step: VendorStep, record: JobRecord, error: JobError): Promise<void> {
  await finishJob(step.services, record.id, { status: "failed", error });
}

/** Try the next vendor under `auto`; false when there is none left. */
export async function failover(step: VendorStep, record: JobRecord, reason: string): Promise<boolean> {
  if (record.vendorRequested !== "auto") return false;
  const updated = await step.services.records.update(record.id, (r) => {
    if (isFinal(r.status)) return undefined;
    r.routing.push({ vendor: step.vendor, outcome: "failed_over", reason, at: Date.now() });
    return r;
  });
  if (!updated || isFinal(updated.record.status)) return false;
  const outcome = await dispatchJob(step.services, updated.record);
  return "vendor" in outcome;
}
