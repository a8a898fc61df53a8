import { route } from "../route";
import { healthSchema, readinessSchema } from "../schemas";

const TAGS = ["operations"] as const;
const HTML = { type: "text/html" };

/** Liveness, readiness, metrics, this reference and the queue dashboard. */
export const SYSTEM_ROUTES = [
  route({
    method: "get",
    path: "/healthz",
    operationId: "liveness",
    summary: "Liveness",
    description: "Answers while the process runs; checks nothing else.",
    tags: TAGS,
    access: "public",
    responses: { 200: { description: "The process is up.", json: healthSchema } },
  }),
  route({
    method: "get",
    path: "/readyz",
    operationId: "readiness",
    summary: "Readiness",
    description: "Ready when Redis and S3 both answer within 2 s.",
    tags: TAGS,
    access: "public",
    responses: {
      200: { description: "Redis and S3 answer.", json: readinessSchema },
      503: { description: "Redis or S3 does not answer.", json: readinessSchema },
    },
  }),
  route({
    method: "get",
    path: "/metrics",
    operationId: "metrics",
    summary: "Prometheus metrics",
    description:
      "Prometheus text format: jobs created and finished, vendor call latency, rate-limit waits, retries, " +
      "queue depth and oldest waiting job per queue, webhook deliveries, storage latency, process metrics. " +
      "Open when no ADMIN_API_KEY is set; otherwise send the admin key (bearer or basic-auth password).",
    tags: TAGS,
    access: "admin_if_configured",
    responses: { 200: { description: "The metrics.", content: { type: "text/plain" } } },
  }),
  route({
    method: "get",
    path: "/openapi.json",
    operationId: "openapiDocument",
    summary: "This API's OpenAPI 3.1 document",
    tags: TAGS,
    access: "public",
    responses: {
      200: {
        description: "The OpenAPI document.",
        content: { type: "application/json", schema: { type: "object" } },
      },
    },
  }),
  route({
    method: "get",
    path: "/docs",
    operationId: "apiReference",
    summary: "Interactive API reference",
    tags: TAGS,
    access: "public",
    responses: { 200: { description: "The reference (Swagger UI).", content: HTML } },
  }),
  route({
    method: "get",
    path: "/console",
    operationId: "webConsole",
    summary: "Web console",
    description:
      "Jobs, batches, webhook deliveries, usage and a try-it form in the browser, over this public API: " +
      "sign in with an API key (kept in the tab, sent as the bearer token) or the admin key. See docs/console.md.",
    tags: TAGS,
    access: "public",
    responses: { 200: { description: "The console's page.", content: HTML } },
  }),
  route({
    method: "get",
    path: "/admin/queues",
    operationId: "queueDashboard",
    summary: "Queue dashboard",
    description:
      "bull-board over every facegate queue. Needs ADMIN_API_KEY (a browser is asked for it as the " +
      "basic-auth password); answers 403 `admin_not_configured` when the server has none.",
    tags: TAGS,
    access: "admin",
    responses: { 200: { description: "The dashboard.", content: HTML } },
    problems: [403],
  }),
];
