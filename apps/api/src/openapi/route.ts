import type { z } from "zod";

/** How one HTTP route is described for the OpenAPI document (see `registry.ts`). */
export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/**
 * Who may call a route: anyone, a tenant's API key, the ADMIN_API_KEY (bearer or basic-auth
 * password), or the admin key only once one is configured (`/metrics`).
 */
export type Access = "public" | "api_key" | "admin" | "admin_if_configured";

export interface ResponseSpec {
  description: string;
  /** An `application/json` body. */
  json?: z.ZodType;
  /** Any other body: its media type and, when it has a structure worth telling, a JSON Schema. */
  content?: { type: string; schema?: Record<string, unknown> };
  /**
   * The route's own response headers: name → description when every such answer carries it, or
   * `{ description, optional: true }`. Shared ones (request id, rate limit) are added for every route.
   */
  headers?: Record<string, string | { description: string; optional: true }>;
}

export interface MultipartSpec {
  /** The text fields, as the route validates them. */
  fields: z.ZodObject;
  /** The file parts. */
  files: Record<string, { description: string; required?: boolean; multiple?: boolean }>;
}

export interface RouteSpec {
  method: HttpMethod;
  /** The express path, e.g. `/v1/jobs/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: readonly string[];
  access: Access;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers the route reads (lower-case names). */
  headers?: z.ZodObject;
  body?: { json?: z.ZodType; multipart?: MultipartSpec };
  responses: Record<number, ResponseSpec>;
  /**
   * Problem-details statuses the route itself can answer; the ones every route of its access
   * answers (401, and 413, 429, 503 on API-key routes) are added by `automaticProblems`.
   */
  problems?: readonly number[];
}

/** Identity, for type checking and inference at each declaration. */
export function route(spec: RouteSpec): RouteSpec {
  return spec;
}
