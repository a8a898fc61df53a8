import { z } from "zod";
import { JOB_STATUSES } from "../job-record";
import { OPERATIONS } from "../operations";
import { imageInput, metadataSchema, preflightField, preflightFlag, vendorChoice } from "./jobs";
import { pageCursor, pageLimit } from "./paging";

/** Response schemas of the batches API (`GET /v1/batches/{id}`). */

export const BATCH_STATUSES = ["accepting", "running", "canceling", "completed"] as const;
export const BATCH_SOURCES = ["targets", "archive", "manifest", "items"] as const;

export const batchCountsSchema = z.object({
  total: z.int(),
  queued: z.int(),
  running: z.int(),
  succeeded: z.int(),
  failed: z.int(),
  canceled: z.int(),
});

export const batchSchema = z
  .object({
    id: z.string(),
    object: z.literal("batch"),
    status: z.enum(BATCH_STATUSES),
    operation: z.enum(OPERATIONS),
    vendor: vendorChoice,
    source: z.enum(BATCH_SOURCES),
    metadata: z.record(z.string(), z.string()),
    counts: batchCountsSchema,
    progress: z.number().min(0).max(1).describe("Share of items finished, 0 to 1."),
    created_at: z.string(),
    started_at: z.string().nullable(),
    completed_at: z.string().nullable(),
    canceled_at: z.string().nullable(),
    estimated_seconds_left: z.int().nullable(),
    error: z.string().nullable(),
  })
  .describe("A batch: many jobs sharing a template, operation and vendor.");

/** One item of a batch: JSON `items[]` entries and NDJSON manifest lines. */
export const batchItemSpec = z.strictObject({
  inputs: z.strictObject({ target: imageInput, template: imageInput.optional() }),
  params: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("Overrides the batch's params for this item."),
  metadata: metadataSchema.optional(),
  name: z.string().max(200).optional().describe("The item's name; outputs and manifest.csv use it."),
});

export type BatchItemSpec = z.infer<typeof batchItemSpec>;

const shared = {
  operation: z.enum(OPERATIONS),
  vendor: vendorChoice.default("auto"),
  params: z.record(z.string(), z.unknown()).default({}),
  webhook_url: z.string().max(2048).optional().describe("Receives `batch.completed`."),
  metadata: metadataSchema.default({}),
  preflight: preflightFlag,
};

/** JSON form of POST /v1/batches. */
export const createBatchBody = z.strictObject({
  ...shared,
  template: imageInput.optional().describe("The template every item shares (face fusion)."),
  items: z.array(batchItemSpec).min(1),
});

/** Multipart form fields of POST /v1/batches (files: `targets`…, or `archive`, or `manifest`; `template`). */
export const createBatchFields = z.strictObject({
  operation: z.enum(OPERATIONS),
  vendor: vendorChoice.default("auto"),
  params: z.string().max(10_000).optional().describe("JSON object"),
  metadata: z.string().max(20_000).optional().describe("JSON object"),
  webhook_url: z.string().max(2048).optional(),
  template_url: z
    .string()
    .max(2048)
    .optional()
    .describe("The shared template by URL, instead of a `template` file."),
  preflight: preflightField,
});

export const batchIdParam = z.string().regex(/^bat_[0-9a-z]{29}$/);

export const listBatchJobsQuery = z.strictObject({
  limit: pageLimit(200, 50),
  cursor: pageCursor("job"),
  status: z.enum(JOB_STATUSES).optional(),
});

export const listBatchesQuery = z.strictObject({
  limit: pageLimit(100, 20),
  cursor: pageCursor("bat"),
});

export const batchListSchema = z.object({
  data: z.array(batchSchema),
  next_cursor: z.string().nullable(),
});
