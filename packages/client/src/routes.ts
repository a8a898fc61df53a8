/**
 * Every API route the client calls, by method name. The client builds its requests from this
 * table, and a test checks each entry against the server's OpenAPI document.
 */
export const CLIENT_ROUTES = {
  createJob: { method: "POST", path: "/v1/jobs" },
  listJobs: { method: "GET", path: "/v1/jobs" },
  getJob: { method: "GET", path: "/v1/jobs/{id}" },
  cancelJob: { method: "POST", path: "/v1/jobs/{id}/cancel" },
  deleteJob: { method: "DELETE", path: "/v1/jobs/{id}" },
  getOutput: { method: "GET", path: "/v1/jobs/{id}/output" },
  createBatch: { method: "POST", path: "/v1/batches" },
  getBatch: { method: "GET", path: "/v1/batches/{id}" },
  listBatchJobs: { method: "GET", path: "/v1/batches/{id}/jobs" },
  cancelBatch: { method: "POST", path: "/v1/batches/{id}/cancel" },
  downloadBatchOutput: { method: "GET", path: "/v1/batches/{id}/output" },
  getWebhookSecret: { method: "GET", path: "/v1/webhook-secret" },
  createApiKey: { method: "POST", path: "/v1/admin/keys" },
  listApiKeys: { method: "GET", path: "/v1/admin/keys" },
  revokeApiKey: { method: "DELETE", path: "/v1/admin/keys/{id}" },
} as const satisfies Record<string, { method: "GET" | "POST" | "DELETE"; path: `/${string}` }>;

export type RouteName = keyof typeof CLIENT_ROUTES;

/** `/v1/jobs/{id}` with `{ id }` → `/v1/jobs/job_…`, each value URL-encoded. */
export function routePath(name: RouteName, params: Record<string, string> = {}): string {
  return CLIENT_ROUTES[name].path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined || value === "") throw new TypeError(`${name}: '${key}' is required`);
    return encodeURIComponent(value);
  });
}
