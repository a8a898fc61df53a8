import { z } from "zod";
import { JOB_STATUSES } from "../job-record";
import { OPERATIONS, VENDORS } from "../operations";
import { pageCursor, pageLimit } from "./paging";

/**
 * Request and response schemas of the jobs API. They validate requests and are the source of
 * the OpenAPI document, so the two cannot drift.
 */

export const imageInput = z
  .union([
    z.strictObject({
      url: z.string().max(2048).describe("An http(s) URL facegate downloads (through its egress guard)."),
    }),
    z.strictObject({ base64: z.string().max(30_000_000).describe("The image bytes, base64-encoded.") }),
  ])
  .describe("An image, by URL or inline as base64.");

const faceRect = z.strictObject({
  x: z.int().min(0),
  y: z.int().min(0),
  width: z.int().min(30),
  height: z.int().min(30),
});

export const mergeInput = z.strictObject({
  image: imageInput,
  template_face_id: z.string().min(1).max(128).optional(),
  input_face_rect: faceRect.optional(),
});

export const metadataSchema = z
  .record(
    z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "keys are 1–64 letters, digits, '_', '.' or '-'"),
    z
      .string()
      .max(512)
      .refine((v) => !/\p{Cc}/u.test(v), "control characters (line breaks included) are not allowed"),
  )
  .refine((m) => Object.keys(m).length <= 32, "at most 32 metadata entries")
  .describe("Your own key-value pairs, echoed back on the job and its events.");

export const preflightFlag = z
  .boolean()
  .optional()
  .describe(
    "Look for faces before any vendor call and refuse what the vendor would refuse (`no_face_detected`, `face_too_small`, `too_many_faces`) with no call made; always on when the server sets PREFLIGHT=faces.",
  );

/** The same flag as a multipart form field. */
export const preflightField = z
  .enum(["true", "false"])
  .optional()
  .describe("`true` to ask for the face pre-flight.");

export const vendorChoice = z
  .enum([...VENDORS, "auto"])
  .describe("A vendor, or `auto` to route by preference and health.");

export const createJobBody = z.strictObject({
  operation: z.enum(OPERATIONS),
  vendor: vendorChoice.default("auto"),
  inputs: z.strictObject({
    target: imageInput.optional(),
    template: imageInput.optional(),
    merges: z
      .array(mergeInput)
      .min(1)
      .max(6)
      .optional()
      .describe("Tencent only: up to 6 faces, instead of `target`."),
  }),
  params: z
    .record(z.string(), z.unknown())
    .default({})
    .describe("Operation parameters; see docs/vendors.md."),
  webhook_url: z.string().max(2048).optional(),
  metadata: metadataSchema.default({}),
  preflight: preflightFlag,
});

export type CreateJobBody = z.infer<typeof createJobBody>;

/** Multipart form fields of POST /v1/jobs (files `target`, `template`). */
export const createJobFields = z.strictObject({
  operation: z.enum(OPERATIONS),
  vendor: vendorChoice.default("auto"),
  params: z.string().max(10_000).optional().describe("JSON object"),
  metadata: z.string().max(20_000).optional().describe("JSON object"),
  webhook_url: z.string().max(2048).optional(),
  preflight: preflightField,
});

const isoDate = z.iso.datetime({ offset: true });

export const listJobsQuery = z.strictObject({
  limit: pageLimit(200, 50),
  cursor: pageCursor("job"),
  status: z.enum(JOB_STATUSES).optional(),
  batch_id: z
    .string()
    .regex(/^bat_[0-9a-z]{29}$/)
    .optional(),
  created_after: isoDate.optional(),
  created_before: isoDate.optional(),
});

export const jobIdParam = z.string().regex(/^job_[0-9a-z]{29}$/);

const nullableIso = z.string().nullable();

export const jobSchema = z
  .object({
    id: z.string(),
    object: z.literal("job"),
    operation: z.enum(OPERATIONS),
    vendor: z.object({ requested: vendorChoice, used: z.enum(VENDORS).nullable() }),
    status: z.enum(JOB_STATUSES),
    attempts: z.int(),
    params: z.record(z.string(), z.unknown()),
    metadata: z.record(z.string(), z.string()),
    batch_id: z.string().nullable(),
    item: z
      .object({ index: z.int(), name: z.string() })
      .nullable()
      .describe("A batch item's position in its batch and the name its output takes."),
    created_at: nullableIso,
    started_at: nullableIso,
    finished_at: nullableIso,
    erased_at: nullableIso,
    output: z
      .object({
        url: z.string(),
        expires_at: nullableIso,
        retained_until: nullableIso,
        content_type: z.string(),
        bytes: z.int(),
        width: z.int(),
        height: z.int(),
        sha256: z.string(),
      })
      .nullable(),
    error: z
      .object({
        code: z.string(),
        message: z.string(),
        vendor: z.string().nullable(),
        vendor_code: z.string().nullable(),
        retryable: z.boolean(),
      })
      .nullable(),
    faces: z
      .array(z.object({ x: z.int(), y: z.int(), width: z.int(), height: z.int(), score: z.number() }))
      .nullable()
      .describe("Faces the pre-flight found in the target, largest first; null when it has not run."),
    routing: z.array(
      z.object({ vendor: z.string(), outcome: z.string(), reason: z.string(), at: nullableIso }),
    ),
  })
  .describe("A job");

export const jobListSchema = z.object({
  data: z.array(jobSchema),
  next_cursor: z.string().nullable(),
});
