import {
  apiKeySchema,
  batchListSchema,
  batchSchema,
  budgetSchema,
  imageInput,
  jobListSchema,
  jobSchema,
  mergeInput,
  metadataSchema,
  problemSchema,
  usageRowSchema,
} from "@facegate/core/api-schemas";
import type { z } from "zod";
import { ADMIN_ROUTES } from "./paths/admin";
import { BATCH_ROUTES } from "./paths/batches";
import { EVENT_ROUTES } from "./paths/events";
import { JOB_ROUTES } from "./paths/jobs";
import { SYSTEM_ROUTES } from "./paths/system";
import { USAGE_ROUTES } from "./paths/usage";
import { WEBHOOK_ROUTES } from "./paths/webhooks";
import type { HttpMethod, RouteSpec } from "./route";
import { deliverySchema, webhookEndpointSchema } from "./schemas";

/**
 * Every HTTP route facegate serves, described once: the source of `/openapi.json`. Request and
 * response schemas are the zod schemas the routes validate with, imported, never copied.
 *
 * Adding a route? Add its entry to the matching file in `./paths/` (or a new file listed here).
 * `test/openapi/document.test.ts` walks the express app and fails on any served route missing from this list.
 */
export const ROUTES: readonly RouteSpec[] = [
  ...SYSTEM_ROUTES,
  ...JOB_ROUTES,
  ...BATCH_ROUTES,
  ...EVENT_ROUTES,
  ...WEBHOOK_ROUTES,
  ...ADMIN_ROUTES,
  ...USAGE_ROUTES,
];

/**
 * Shared schemas, shown once under `components.schemas` and referenced from the operations.
 * Request-side schemas are rendered as clients send them (defaults optional), response-side
 * ones as the API answers. Request bodies stay inline in their operations: generators such as
 * openapi-typescript make a field with a `default` required when it sits in a shared schema,
 * but not inside a request body.
 */
export const COMPONENTS: Record<"input" | "output", Record<string, z.ZodType>> = {
  input: {
    ImageInput: imageInput,
    MergeInput: mergeInput,
    Metadata: metadataSchema,
  },
  output: {
    Job: jobSchema,
    JobList: jobListSchema,
    Batch: batchSchema,
    BatchList: batchListSchema,
    Problem: problemSchema,
    WebhookEndpoint: webhookEndpointSchema,
    Delivery: deliverySchema,
    ApiKey: apiKeySchema,
    UsageRow: usageRowSchema,
    Budget: budgetSchema,
  },
};

/** Served routes deliberately left out of the document, each with its reason. Keep this short. */
export const UNDOCUMENTED: readonly { method: HttpMethod; path: string; reason: string }[] = [
  { method: "get", path: "/docs/init.js", reason: "the reference page's start-up script" },
  {
    method: "get",
    path: "/console/assets/*name",
    reason: "the web console's script, stylesheet and examples",
  },
];

/** Tags in the order the reference shows them. */
export const TAGS = [
  { name: "jobs", description: "One photo in, one AI-edited photo out: create, poll, wait, cancel, erase." },
  {
    name: "batches",
    description: "Thousands of photos in one request: progress, cancel, one zip of results.",
  },
  {
    name: "webhooks",
    description: "Signed event delivery (Standard Webhooks): secrets, endpoints, delivery log.",
  },
  { name: "operations", description: "Health, metrics, this reference and the queue dashboard." },
  { name: "admin", description: "Operator routes, with ADMIN_API_KEY: tenants' API keys." },
];
