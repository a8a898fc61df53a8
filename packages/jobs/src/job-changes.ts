import { isFinal, type JobRecord, type JobStatus, type VendorId } from "@facegate/core";
import type { Services } from "./services";

/**
 * What the job-changes channel carries. Every record write is announced by the write itself
 * (`status`, in the same Redis step); the worker adds hints no record write marks: an attempt
 * starting, and a wait for a rate limit. Hints are for live progress only: one that is lost
 * (Redis away for a moment) costs a line on a timeline, never a job.
 */
export type JobChange =
  | {
      kind: "status";
      id: string;
      tenant: string;
      status: JobStatus;
      batch?: string | undefined;
      /** The record as the write left it, on a final write's notice (it changes no more). */
      record?: JobRecord | undefined;
    }
  | { kind: "attempt"; id: string; tenant: string; vendor: VendorId; attempt: number; at: number }
  | {
      kind: "rate_limited";
      id: string;
      tenant: string;
      vendor: VendorId;
      waitMs: number;
      /** Who said to wait: the vendor's answer, or facegate's own pacing of the vendor's limit. */
      by: "vendor" | "pacer";
      at: number;
    };

export type JobHint = Exclude<JobChange, { kind: "status" }>;

/** Publish a hint; failures are logged, not thrown (the job goes on without it). */
export function announce(services: Pick<Services, "records" | "logger">, hint: JobHint): void {
  services.records.announceChange(hint).catch((error: unknown) => {
    services.logger.debug({ jobId: hint.id, err: error }, "job hint not published");
  });
}

/** A message from the channel; undefined when it is not one (never thrown). */
export function parseJobChange(message: string): JobChange | undefined {
  try {
    const m = JSON.parse(message) as Record<string, unknown>;
    if (typeof m.id !== "string" || typeof m.tenant !== "string") return undefined;
    if (m.kind === "attempt" || m.kind === "rate_limited") return m as JobChange;
    if (typeof m.status !== "string") return undefined;
    const status = m.status as JobStatus;
    const record =
      isFinal(status) && typeof m.doc === "string" ? (JSON.parse(m.doc) as JobRecord) : undefined;
    // The record scripts send an empty batch id for a job outside a batch.
    return {
      kind: "status",
      id: m.id,
      tenant: m.tenant,
      status,
      batch: typeof m.batch === "string" && m.batch ? m.batch : undefined,
      record: record?.id === m.id && record.status === status ? record : undefined,
    };
  } catch {
    return undefined;
  }
}
