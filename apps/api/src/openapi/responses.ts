import { problemTitle } from "../problem";
import type { Access } from "./route";

type Json = Record<string, unknown>;

/**
 * What the API's shared middleware adds to answers, described once here and applied to every
 * operation by `document.ts`: the headers every answer carries, and the problem statuses every
 * route of a kind can answer besides its own.
 */

/** Response headers set by shared middleware, by their canonical names. */
export const SHARED_HEADERS = {
  "X-Request-Id":
    "The request's id (the caller's `X-Request-Id` when it is 8–128 safe characters): quote it to support.",
  RateLimit:
    "The API key's remaining requests in the current window (IETF RateLimit header fields, draft 8): " +
    '`"<policy>";r=<remaining>;t=<seconds to reset>`.',
  "RateLimit-Policy": 'The API key\'s limit: `"<policy>";q=<API_RATE_LIMIT_PER_MINUTE>;w=60`.',
  "Retry-After": "Seconds to wait before trying again.",
  "WWW-Authenticate":
    "The credentials to send: `Bearer` (an API key) or `Basic` (the admin key as password).",
} as const;

export type SharedHeader = keyof typeof SHARED_HEADERS;

/** A response header object; `required` means every such answer carries it. */
export function header(description: string, required: boolean): Json {
  return { description, required, schema: { type: "string" } };
}

const shared = (name: SharedHeader, required: boolean): [string, Json] => [
  name,
  header(SHARED_HEADERS[name], required),
];

/**
 * Headers of an operation's own (non-problem) answers: every answer has its request id; the
 * per-key rate limiter runs before every API-key route, so their answers carry its state.
 */
export function operationHeaders(access: Access): Record<string, Json> {
  return Object.fromEntries([
    shared("X-Request-Id", true),
    ...(access === "api_key" ? [shared("RateLimit", true), shared("RateLimit-Policy", true)] : []),
  ]);
}

/**
 * Problem statuses a route answers whatever it does, by who may call it:
 * - 401 `unauthorized` on every authenticated route;
 * - 413 `payload_too_large` on every API-key route: each has a body limit, routes that take no
 *   body refuse more than 1 KB;
 * - 429 `rate_limited` (API_RATE_LIMIT_PER_MINUTE) on every API-key route;
 * - 503 `unavailable` on every API-key route: keys and rate limits live in Redis, so while it is
 *   away nothing can be served (with `Retry-After`).
 */
export function automaticProblems(access: Access): number[] {
  switch (access) {
    case "public":
      return [];
    case "api_key":
      return [401, 413, 429, 503];
    default:
      return [401];
  }
}

/** Headers a problem answer of this status carries (besides the optional rate-limit state). */
const PROBLEM_HEADERS: Record<number, [SharedHeader, boolean][]> = {
  401: [["WWW-Authenticate", true]],
  // `idempotency_key_in_use`: the first request with the key is still running.
  409: [["Retry-After", false]],
  429: [["Retry-After", true]],
  503: [["Retry-After", true]],
};

/** The shared response of one problem status: `#/components/responses/Problem<status>`. */
export function problemResponse(status: number): Json {
  return {
    description: problemTitle(status),
    headers: Object.fromEntries([
      shared("X-Request-Id", true),
      ...(PROBLEM_HEADERS[status] ?? []).map(([name, required]) => shared(name, required)),
      // Present on API-key routes once the key is known (not on a 401, nor outside /v1).
      shared("RateLimit", false),
      shared("RateLimit-Policy", false),
    ]),
    content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
  };
}
