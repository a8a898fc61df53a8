import type { JobErrorCode } from "./errors";
import type { FaceFindings } from "./faces";
import type { ImageFormat } from "./image-limits";
import type { Operation, VendorId } from "./operations";

export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "canceled"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set(["succeeded", "failed", "canceled"]);
export const isFinal = (status: JobStatus) => FINAL_STATUSES.has(status);

/** An input image as stored in S3: the key and what its header says. */
export interface StoredInput {
  key: string;
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  /** The file name the user gave (batches name outputs after it). */
  name?: string | undefined;
  /** Shared by a batch's jobs (its template): deleted with the batch, not with each job. */
  shared?: boolean | undefined;
  /** Whether the photo shows colour, when the API looked at ingest (a vendor of the job needs colour). */
  colour?: boolean | undefined;
}

export interface StoredMerge {
  image: StoredInput;
  templateFaceId?: string | undefined;
  inputFaceRect?: { x: number; y: number; width: number; height: number } | undefined;
}

export interface JobInputs {
  target?: StoredInput | undefined;
  template?: StoredInput | undefined;
  merges?: StoredMerge[] | undefined;
}

export interface JobError {
  code: JobErrorCode;
  message: string;
  vendor?: VendorId | undefined;
  vendorCode?: string | undefined;
  retryable: boolean;
  /** The attempt (the job's vendor call) that failed this way, when it was one. */
  attempt?: number | undefined;
}

export interface JobOutput {
  key: string;
  contentType: string;
  bytes: number;
  width: number;
  height: number;
  sha256: string;
  /** When retention deletes it. */
  expiresAt: number;
}

/** The vendor's answer, recorded before the store step so it is never asked twice. */
export type Checkpoint =
  /** S3 was down when the vendor answered: the bytes wait in Redis (bounded TTL) instead. */
  | { kind: "spill"; key: string; vendor: VendorId; at: number }
  | { kind: "url"; url: string; expiresAt: number; vendor: VendorId; at: number };

/** Why `auto` routing skipped or left a vendor. */
export interface RoutingNote {
  vendor: VendorId;
  outcome: "skipped" | "failed_over";
  reason: string;
  at: number;
}

export interface JobRecord {
  id: string;
  tenant: string;
  status: JobStatus;
  operation: Operation;
  vendorRequested: VendorId | "auto";
  /** The vendor serving the job now (or that served it). */
  vendor?: VendorId | undefined;
  params: Record<string, unknown>;
  inputs: JobInputs;
  metadata: Record<string, string>;
  webhookUrl?: string | undefined;
  batchId?: string | undefined;
  /** Its place in its batch: the item's position and the name its output takes. */
  item?: { index: number; name: string } | undefined;
  createdAt: number;
  updatedAt: number;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  /** A job still unfinished at this time fails (`timeout`, or `vendor_rate_limited` when throttled). */
  deadlineAt: number;
  /** Vendor calls that spent an attempt (rate-limited answers do not), counted before each call is sent. */
  attempts: number;
  /** The ledger entry of the last vendor call counted in `attempts`: a crash recovery tells a sent call from one never sent. */
  lastCallId?: string | undefined;
  error?: JobError | undefined;
  output?: JobOutput | undefined;
  checkpoint?: Checkpoint | undefined;
  routing: RoutingNote[];
  /** Faces are looked for before any vendor call (PREFLIGHT=faces or `preflight: true`). */
  preflight?: boolean | undefined;
  /** What the pre-flight found, once it ran; routing and input preparation read it. */
  faces?: FaceFindings | undefined;
  requestId?: string | undefined;
  /** Set by DELETE: inputs, outputs and payload erased; the id stays as a tombstone. */
  erasedAt?: number | undefined;
}
