import { z } from "zod";
import { OPERATIONS } from "../operations";
import { vendorChoice } from "./jobs";

/** Response schemas of the batches API (`GET /v1/batches/{id}`), as DESIGN.md describes them. */

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
    completed_at: z.string().nullable(),
    estimated_seconds_left: z.int().nullable(),
    error: z.string().nullable(),
  })
  .describe("A batch: many jobs sharing a template, operation and vendor.");
