import type { JobStatus, Operation, VendorChoice } from "@facegate/client";

/**
 * The values commander offers for --operation, --vendor and --status. Spelled out here rather
 * than imported from @facegate/core, whose schemas (zod) would add a third of a second to every
 * start of the command; the checks below make the compiler refuse a list that drifts from the
 * API's types, in either direction.
 */
export const OPERATION_CHOICES = [
  "face_fusion",
  "expression",
  "face_slimming",
] as const satisfies readonly Operation[];
export const VENDOR_CHOICES = [
  "auto",
  "ailab",
  "aigs",
  "tencent",
  "local",
] as const satisfies readonly VendorChoice[];
export const STATUS_CHOICES = [
  "queued",
  "running",
  "succeeded",
  "failed",
  "canceled",
] as const satisfies readonly JobStatus[];

type Complete<All, Listed> = [Exclude<All, Listed>] extends [never] ? true : false;
const complete: [
  Complete<Operation, (typeof OPERATION_CHOICES)[number]>,
  Complete<VendorChoice, (typeof VENDOR_CHOICES)[number]>,
  Complete<JobStatus, (typeof STATUS_CHOICES)[number]>,
] = [true, true, true];
void complete;
