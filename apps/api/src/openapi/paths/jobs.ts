import {
  createJobBody,
  createJobFields,
  jobIdParam,
  jobListSchema,
  jobSchema,
  listJobsQuery,
} from "@facegate/core/api-schemas";
import { z } from "zod";
import { thumbnailRole } from "../../routes/thumbnails";
import { route } from "../route";
import { outputLinkSchema } from "../schemas";

const TAGS = ["jobs"] as const;
const idParams = z.object({ id: jobIdParam.describe("The job's id (`job_…`).") });
const WAIT_APPLIED = {
  description: "`wait=N`: sent whenever the request's `Prefer: wait=N` was honoured, whatever the status.",
  optional: true,
} as const;

/** The jobs API (`apps/api/src/routes/jobs.ts`). */
export const JOB_ROUTES = [
  route({
    method: "post",
    path: "/v1/jobs",
    operationId: "createJob",
    summary: "Create a job",
    description:
      "JSON with inputs by URL or base64, or multipart with files `target` and `template`. The inputs are " +
      "stored, the job is queued with a vendor, and the answer comes at once (202) — or, with " +
      "`Prefer: wait=N`, when the job finishes within N seconds (200). Images are checked as they arrive: " +
      "422 `invalid_image` for what is not an image, `image_too_large` over the server's limits, " +
      "`image_too_small` when no vendor able to do the request takes its pixel size.",
    tags: TAGS,
    access: "api_key",
    headers: z.object({
      "idempotency-key": z
        .string()
        .min(1)
        .max(255)
        .optional()
        .describe("Replays the first answer for 24 h; the same key with another body is refused."),
      prefer: z
        .string()
        .optional()
        .describe("`wait=N` (1–60): hold the answer until the job is finished or N seconds passed."),
    }),
    body: {
      json: createJobBody,
      multipart: {
        fields: createJobFields,
        files: {
          target: { description: "The photo with the face to use." },
          template: { description: "The picture to put the face into (face fusion)." },
        },
      },
    },
    responses: {
      200: {
        description:
          "The job in the answer is finished (`succeeded`, `failed` or `canceled`): it finished within the " +
          "`Prefer: wait` time, or this is an `Idempotency-Key` replay of a job that has finished since.",
        json: jobSchema,
        headers: { location: "The job's URL.", "preference-applied": WAIT_APPLIED },
      },
      202: {
        description:
          "The job is not finished yet (`queued` or `running`): poll its `Location`, or wait for its webhook. " +
          "With `Prefer: wait`, the wait passed first.",
        json: jobSchema,
        headers: { location: "The job's URL.", "preference-applied": WAIT_APPLIED },
      },
    },
    problems: [400, 402, 409, 415, 422, 429],
  }),
  route({
    method: "get",
    path: "/v1/jobs",
    operationId: "listJobs",
    summary: "List jobs",
    description: "Newest first, a page at a time: pass `next_cursor` back as `cursor`.",
    tags: TAGS,
    access: "api_key",
    query: listJobsQuery,
    responses: { 200: { description: "A page of jobs.", json: jobListSchema } },
    problems: [404, 422],
  }),
  route({
    method: "get",
    path: "/v1/jobs/:id",
    operationId: "getJob",
    summary: "Get a job",
    tags: TAGS,
    access: "api_key",
    params: idParams,
    responses: { 200: { description: "The job.", json: jobSchema } },
    problems: [404],
  }),
  route({
    method: "post",
    path: "/v1/jobs/:id/cancel",
    operationId: "cancelJob",
    summary: "Cancel a job",
    description: "Cancels a queued or running job; a running vendor call is aborted.",
    tags: TAGS,
    access: "api_key",
    params: idParams,
    responses: { 200: { description: "The job, canceled.", json: jobSchema } },
    problems: [404, 409],
  }),
  route({
    method: "delete",
    path: "/v1/jobs/:id",
    operationId: "deleteJob",
    summary: "Erase a job",
    description:
      "Deletes the job's inputs, output and payload (faces are personal data). The id stays as a tombstone.",
    tags: TAGS,
    access: "api_key",
    params: idParams,
    responses: { 200: { description: "The job's tombstone.", json: jobSchema } },
    problems: [404],
  }),
  route({
    method: "get",
    path: "/v1/jobs/:id/output",
    operationId: "getJobOutput",
    summary: "Download a job's output",
    description:
      "Redirects (302, no body) to a short-lived presigned URL of the stored result; the link needs no API " +
      "key. Send `Accept: application/json` to get the link itself instead (200), e.g. from a generated " +
      "client that cannot follow a redirect to bytes.",
    tags: TAGS,
    access: "api_key",
    params: idParams,
    responses: {
      200: { description: "With `Accept: application/json`: the link.", json: outputLinkSchema },
      302: { description: "Redirect to the output.", headers: { location: "The presigned URL." } },
    },
    problems: [404, 409, 410],
  }),
  route({
    method: "get",
    path: "/v1/jobs/:id/thumbnails/:role",
    operationId: "getJobThumbnail",
    summary: "A small preview of a job's target, template or result",
    description:
      "A JPEG at most 360 px on its longest side, made from facegate's own copy. The result while it is " +
      "retained (409 `no_output` before, 410 `output_expired` after); the inputs only while the job is " +
      "unfinished (410 `input_deleted` after: inputs are personal data and deleted once the job is final).",
    tags: TAGS,
    access: "api_key",
    params: idParams.extend({ role: thumbnailRole.describe("Which picture.") }),
    responses: { 200: { description: "The preview.", content: { type: "image/jpeg" } } },
    problems: [404, 409, 410, 422],
  }),
];
