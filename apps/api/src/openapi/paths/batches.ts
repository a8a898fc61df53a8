import {
  batchIdParam,
  batchListSchema,
  batchSchema,
  createBatchBody,
  createBatchFields,
  jobListSchema,
  listBatchesQuery,
  listBatchJobsQuery,
} from "@facegate/core/api-schemas";
import { z } from "zod";
import { route } from "../route";

const TAGS = ["batches"] as const;
const idParams = z.object({ id: batchIdParam.describe("The batch's id (`bat_…`).") });

/** The batches API (`apps/api/src/routes/batches.ts`). */
export const BATCH_ROUTES = [
  route({
    method: "post",
    path: "/v1/batches",
    operationId: "createBatch",
    summary: "Create a batch",
    description:
      "Many jobs sharing an operation, vendor, params and template. Multipart: many `targets` files, or one " +
      "`archive` (zip), or one `manifest` (CSV with a `target_url` column and optional `template_url`, `name`, " +
      "`metadata.<key>` columns, or NDJSON of item specs), plus a `template` file or `template_url`. JSON: " +
      "`items[]`. Every part is streamed to storage; unusable files or rows become failed items while the rest " +
      "run; a batch that cannot work at all is refused before anything is queued.",
    tags: TAGS,
    access: "api_key",
    body: {
      json: createBatchBody,
      multipart: {
        fields: createBatchFields,
        files: {
          targets: {
            description: "A photo to process; repeat the part for each.",
            multiple: true,
            required: false,
          },
          archive: { description: "A zip of photos.", required: false },
          manifest: { description: "CSV or NDJSON listing the items by URL.", required: false },
          template: { description: "The template every item shares (face fusion).", required: false },
        },
      },
    },
    responses: {
      202: {
        description: "The batch is accepted; its items are being created.",
        json: batchSchema,
        headers: { location: "The batch's URL." },
      },
    },
    problems: [400, 402, 415, 422, 429],
  }),
  route({
    method: "get",
    path: "/v1/batches/:id",
    operationId: "getBatch",
    summary: "Get a batch's progress",
    description: "Counts by status, progress, times and an estimate of the time left.",
    tags: TAGS,
    access: "api_key",
    params: idParams,
    responses: { 200: { description: "The batch.", json: batchSchema } },
    problems: [404],
  }),
  route({
    method: "get",
    path: "/v1/batches",
    operationId: "listBatches",
    summary: "List batches",
    description: "Newest first, a page at a time: pass `next_cursor` back as `cursor`.",
    tags: TAGS,
    access: "api_key",
    query: listBatchesQuery,
    responses: { 200: { description: "A page of batches.", json: batchListSchema } },
    problems: [422],
  }),
  route({
    method: "get",
    path: "/v1/batches/:id/jobs",
    operationId: "listBatchJobs",
    summary: "List a batch's jobs",
    tags: TAGS,
    access: "api_key",
    params: idParams,
    query: listBatchJobsQuery,
    responses: { 200: { description: "A page of the batch's jobs.", json: jobListSchema } },
    problems: [404, 422],
  }),
  route({
    method: "post",
    path: "/v1/batches/:id/cancel",
    operationId: "cancelBatch",
    summary: "Cancel a batch",
    description: "Cancels every item that has not finished; the batch then completes.",
    tags: TAGS,
    access: "api_key",
    params: idParams,
    responses: { 202: { description: "Canceling.", json: batchSchema } },
    problems: [404, 409],
  }),
  route({
    method: "delete",
    path: "/v1/batches/:id",
    operationId: "deleteBatch",
    summary: "Erase a batch",
    description: "Cancels what has not finished and erases every item's inputs, output and payload.",
    tags: TAGS,
    access: "api_key",
    params: idParams,
    responses: { 202: { description: "Erasing.", json: batchSchema } },
    problems: [404],
  }),
  route({
    method: "get",
    path: "/v1/batches/:id/output",
    operationId: "getBatchOutput",
    summary: "Download a batch's outputs",
    description:
      "A zip, streamed, of every stored output (named after its input) and `manifest.csv` (input name, job id, " +
      "status, error code, output name).",
    tags: TAGS,
    access: "api_key",
    params: idParams,
    responses: {
      200: {
        description: "The zip.",
        content: { type: "application/zip" },
        headers: { "content-disposition": '`attachment; filename="bat_….zip"`.' },
      },
    },
    problems: [404],
  }),
];
