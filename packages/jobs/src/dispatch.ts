import { autoVendors, type Config } from "@facegate/config";
import {
  type JobError,
  type JobRecord,
  jobOptions,
  type Operation,
  type RoutingNote,
  type VendorId,
  vendorQueueName,
  vendorsFor,
} from "@facegate/core";
import { queueJobId } from "@facegate/queue";
import { routeByFaces } from "./faces-route";
import { type FinishDeps, finishJob } from "./lifecycle";
import type { Services } from "./services";
import { vendorsAccepting } from "./vendor-fit";

/** BullMQ's largest priority; 1 is served first. */
const MAX_PRIORITY = 2_097_151;

/**
 * The vendors able to do a request, in order. `auto` follows VENDOR_PREFERENCE among the
 * configured vendors able to do the operation; a named vendor is the only candidate.
 */
export function vendorCandidates(
  config: Config,
  operation: Operation,
  vendor: VendorId | "auto",
): VendorId[] {
  if (vendor !== "auto") return [vendor];
  const capable = new Set(vendorsFor(operation));
  return autoVendors(config.vendors).filter((v) => capable.has(v));
}

/**
 * The vendors that may serve a job, in order: under `auto`, those of `vendorCandidates` that
 * take the job's images (a vendor whose pixel limits an input misses is never tried).
 */
export function candidateVendors(services: Pick<Services, "config">, record: JobRecord): VendorId[] {
  const all = vendorCandidates(services.config, record.operation, record.vendorRequested);
  if (record.vendorRequested !== "auto") return all;
  return vendorsAccepting(all, record.operation, record.inputs);
}

/** Vendors that already failed this job at vendor level (so failover moves on). */
export function failedVendors(record: JobRecord): Set<VendorId> {
  return new Set(record.routing.filter((n) => n.outcome === "failed_over").map((n) => n.vendor));
}

export type DispatchOutcome =
  | { vendor: VendorId }
  | { exhausted: true; tried: VendorId[] }
  | { checking: true }
  | { refused: JobError };

export type RoutingChoice =
  | { vendor: VendorId; notes: RoutingNote[] }
  | { exhausted: true; tried: VendorId[] }
  /** The pre-flight found faces no candidate would take. */
  | { refused: JobError };

/**
 * The vendor for a job's next try. Healthy vendors (circuit closed) come first; when every
 * candidate is unhealthy the first is used anyway, since its circuit half-opens after a while.
 * A named vendor is used as it is. Once the pre-flight has run, only vendors that would take the
 * faces it found are candidates.
 */
export async function chooseVendor(
  services: Pick<Services, "config" | "circuit">,
  record: JobRecord,
): Promise<RoutingChoice> {
  const failed = failedVendors(record);
  const open = candidateVendors(services, record).filter((v) => !failed.has(v));
  if (open.length === 0) return { exhausted: true, tried: [...failed] };
  const routed = routeByFaces(record, open);
  if ("refused" in routed) return routed;
  const candidates = routed.fit;
  if (candidates.length === 1) return { vendor: candidates[0]!, notes: routed.notes };
  const skipped: RoutingNote[] = [];
  for (const vendor of candidates) {
    if (!(await services.circuit.isOpen(vendor))) return { vendor, notes: [...routed.notes, ...skipped] };
    skipped.push({
      vendor,
      outcome: "skipped",
      reason: "circuit open after repeated vendor failures",
      at: Date.now(),
    });
  }
  // Every circuit is open: the first is used anyway, and only the others were skipped.
  return { vendor: candidates[0]!, notes: [...routed.notes, ...skipped.slice(1)] };
}

/**
 * Put a job on its vendor's queue. Fairness between tenants: a job's priority is its tenant's
 * count of unfinished jobs, so one tenant's 10 000 items interleave with another's one.
 */
export async function enqueueVendorCall(
  services: Pick<Services, "config" | "records" | "queues">,
  record: JobRecord,
  vendor: VendorId,
  /** The tenant's unfinished jobs, when the caller already knows. */
  knownOpen?: number,
  /** Input keys the record holds (`NewJob.held`): the worker need not read them from S3. */
  held: string[] = [],
): Promise<void> {
  const open = knownOpen ?? (await services.records.openCount(record.tenant));
  await services.queues.add(
    vendorQueueName(vendor),
    "call-vendor",
    {
      jobId: record.id,
      requestId: record.requestId,
      inputs: inputKeys(record),
      ...(held.length > 0 ? { held } : {}),
    },
    {
      jobId: queueJobId(record.id, vendor),
      priority: Math.min(Math.max(open, 1), MAX_PRIORITY),
      ...jobOptions("call-vendor", services.config),
    },
  );
}

/** The S3 keys of a job's inputs, in the order the worker reads them. */
function inputKeys(record: JobRecord): string[] {
  const { target, template, merges } = record.inputs;
  return [target, template, ...(merges ?? []).map((m) => m.image)].flatMap((input) =>
    input ? [input.key] : [],
  );
}

/** Whether a job still waits for its pre-flight (asked for, not yet run). */
export const awaitsFaceCheck = (record: JobRecord): boolean => Boolean(record.preflight && !record.faces);

/**
 * Put a job on the pre-flight's queue: its own workers, so a vendor's queue never waits on face
 * detection, and a faceless photo fails in seconds however long the vendor's queue is.
 */
export async function enqueueFaceCheck(
  services: Pick<Services, "config" | "queues">,
  record: JobRecord,
): Promise<void> {
  await services.queues.add(
    "faces",
    "check-faces",
    { jobId: record.id },
    {
      jobId: queueJobId(record.id, "faces"),
      ...jobOptions("check-faces", services.config),
    },
  );
}

/** What routing a job needs: choosing a vendor, enqueueing it, or failing the job. */
export type DispatchDeps = FinishDeps & Pick<Services, "config" | "circuit" | "queues">;

/**
 * Route an existing job (after its pre-flight, on failover, or after a lost queue entry): choose,
 * record, enqueue. A job whose faces no candidate would take fails here, with no vendor call.
 */
export async function dispatchJob(services: DispatchDeps, record: JobRecord): Promise<DispatchOutcome> {
  if (awaitsFaceCheck(record)) {
    await enqueueFaceCheck(services, record);
    return { checking: true };
  }
  const choice = await chooseVendor(services, record);
  if ("exhausted" in choice) return choice;
  if ("refused" in choice) {
    await finishJob(services, record.id, { status: "failed", error: choice.refused });
    return choice;
  }
  await services.records.update(record.id, (current) => {
    if (current.status !== "queued" && current.status !== "running") return undefined;
    current.vendor = choice.vendor;
    current.routing.push(...choice.notes);
    return current;
  });
  await enqueueVendorCall(services, record, choice.vendor);
  return { vendor: choice.vendor };
}
