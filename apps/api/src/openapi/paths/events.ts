import { batchIdParam, jobIdParam } from "@facegate/core/api-schemas";
import { z } from "zod";
import { route } from "../route";

const STREAM = "text/event-stream";
/** Sent with every stream, for the proxies in between. */
const STREAM_HEADERS = { "x-accel-buffering": "`no`: a proxy (nginx) must pass events on as they come." };

/** The event streams (`apps/api/src/routes/events.ts`). */
export const EVENT_ROUTES = [
  route({
    method: "get",
    path: "/v1/jobs/:id/events",
    operationId: "streamJobEvents",
    summary: "Follow a job (Server-Sent Events)",
    description:
      "A stream of the job's progress until it is final, then the stream ends. Events: `queued`, `running` " +
      "(with the vendor), `attempt` (a vendor call starts: `attempt`, `vendor`), `attempt_failed` (the vendor's " +
      "answer: `code`, `vendor_code`, `retryable`; another attempt follows), `rate_limited` (waiting: `vendor`, " +
      "`wait_ms`, `by` the vendor or facegate's pacing), `failover` (under `auto`: the next vendor takes over), " +
      "and last `succeeded`, `failed` or `canceled` with the whole job. Every event's data is JSON with " +
      "`job_id`; a comment line every 15 s keeps the connection open. It is what `Prefer: wait` does, " +
      "with progress. Send the API key as the bearer token (browsers: `fetch` with a streamed body, since " +
      "`EventSource` cannot set headers).",
    tags: ["jobs"],
    access: "api_key",
    params: z.object({ id: jobIdParam.describe("The job's id (`job_…`).") }),
    responses: {
      200: {
        description: "The event stream; a job already final gets its final event at once.",
        content: { type: STREAM },
        headers: STREAM_HEADERS,
      },
    },
    problems: [404],
  }),
  route({
    method: "get",
    path: "/v1/batches/:id/events",
    operationId: "streamBatchEvents",
    summary: "Follow a batch (Server-Sent Events)",
    description:
      "`progress` with the batch (counts, progress, estimate of the time left) whenever its counts or status " +
      "change (at most four a second), then `completed` with the final batch, and the stream ends. A comment " +
      "line every 15 s keeps the connection open.",
    tags: ["batches"],
    access: "api_key",
    params: z.object({ id: batchIdParam.describe("The batch's id (`bat_…`).") }),
    responses: {
      200: { description: "The event stream.", content: { type: STREAM }, headers: STREAM_HEADERS },
    },
    problems: [404],
  }),
];
