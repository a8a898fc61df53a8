import {
  buildOpenApiDocument,
  openapiPath,
  ROUTES,
  type RouteSpec,
  servedRoutes,
  UNDOCUMENTED,
} from "@facegate/api/openapi";
import { problemSchema } from "@facegate/core/api-schemas";
import { compileErrors, validate } from "@readme/openapi-parser";
import type { Express } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { face, form, waitForFinal } from "../support/images";
import { type Receiver, startReceiver } from "../support/receiver";
import { startTestSystem, type TestSystem } from "../support/system";

const ADMIN_KEY = "admin_test_key_0123456789";

let t: TestSystem;
let receiver: Receiver;
let app: Express;

beforeAll(async () => {
  receiver = await startReceiver();
  t = await startTestSystem({ env: { ADMIN_API_KEY: ADMIN_KEY, EGRESS_ALLOWLIST: receiver.hostPort } });
  // The very app the test system serves, not a second one built for the test.
  app = t.system.api.server.listeners("request")[0] as Express;
});
afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

const key = (method: string, path: string) => `${method.toUpperCase()} ${openapiPath(path)}`;

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const doc = buildOpenApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
  });

  it("is what /openapi.json serves, without authentication", async () => {
    const res = await fetch(`${t.url}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it("documents every route express serves", () => {
    const { routes } = servedRoutes(app);
    const documented = new Set([...ROUTES, ...UNDOCUMENTED].map((r) => key(r.method, r.path)));
    const missing = routes.map((r) => key(r.method, r.path)).filter((k) => !documented.has(k));
    expect(
      missing,
      "served but missing from the OpenAPI registry: add them to apps/api/src/openapi/paths/",
    ).toEqual([]);
    // The walk itself sees the app: the job routes are there.
    expect(routes.map((r) => key(r.method, r.path))).toEqual(
      expect.arrayContaining(["POST /v1/jobs", "GET /v1/jobs/{id}", "GET /metrics", "GET /docs"]),
    );
  });

  it("documents no route that is not served", () => {
    const { routes, mounts } = servedRoutes(app);
    const served = new Set(routes.map((r) => key(r.method, r.path)));
    const apps = mounts.filter((m) => m.kind === "app").map((m) => m.path);
    const phantom = ROUTES.filter((r) => !served.has(key(r.method, r.path)) && !apps.includes(r.path)).map(
      (r) => key(r.method, r.path),
    );
    expect(phantom, "documented but not served").toEqual([]);
    // Mounted applications (bull-board) are documented at their mount point.
    for (const mount of apps)
      expect(
        ROUTES.some((r) => r.path === mount),
        mount,
      ).toBe(true);
  });

  it("gives every operation a summary, a tag, an id and a success response", () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Record<string, any>> };
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(operations)) {
        expect(op.summary, `${method} ${path}`).toBeTruthy();
        expect(op.tags.length, `${method} ${path}`).toBeGreaterThan(0);
        expect(
          Object.keys(op.responses).some((s) => /^[23]/.test(s)),
          `${method} ${path}`,
        ).toBe(true);
      }
    }
  });
});

/** The registry entry serving a concrete method and URL path. */
function specFor(method: string, urlPath: string): RouteSpec {
  const found = ROUTES.find(
    (r) =>
      r.method === method.toLowerCase() &&
      new RegExp(`^${r.path.replace(/:\w+/g, "[^/]+")}$`).test(urlPath.split("?")[0]!),
  );
  if (!found) throw new Error(`no documented route for ${method} ${urlPath}`);
  return found;
}

/** Keys of the answer that its schema does not name (nested objects are checked by zod itself). */
function undocumentedKeys(schema: z.ZodType, body: unknown): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  if (!shape || typeof body !== "object" || body === null) return [];
  return Object.keys(body).filter((k) => !(k in shape));
}

/** Call the API and check the answer against the document: status listed, body matching its schema. */
async function call(method: string, path: string, init: RequestInit & { tenant?: "acme" | "beta" } = {}) {
  const res = await t.api(path, { ...init, method });
  const spec = specFor(method, path);
  const text = await res.text();
  const body = text && res.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
  if (res.status >= 400) {
    const documented = [...(spec.problems ?? []), ...(spec.access === "public" ? [] : [401])];
    expect(documented, `${method} ${path} answered ${res.status}: ${text}`).toContain(res.status);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    problemSchema.parse(body);
    return { status: res.status, body, headers: res.headers };
  }
  const response = spec.responses[res.status];
  expect(response, `${method} ${path} answered an undocumented ${res.status}`).toBeDefined();
  if (response?.json) {
    const parsed = response.json.safeParse(body);
    expect(parsed.error?.issues ?? [], `${method} ${path}: ${text.slice(0, 500)}`).toEqual([]);
    expect(
      undocumentedKeys(response.json, body),
      `${method} ${path} answers fields its documented schema lacks: add them (apps/api/src/openapi/schemas.ts or @facegate/core/api-schemas)`,
    ).toEqual([]);
  }
  return { status: res.status, body, headers: res.headers };
}

describe("the documented shapes match the real answers", () => {
  it("for the job routes", async () => {
    const created = await call("POST", "/v1/jobs", {
      body: form(
        { operation: "face_fusion", vendor: "ailab", webhook_url: receiver.url },
        { target: await face(40), template: await face(220) },
      ),
    });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    await waitForFinal((p) => t.api(p), id);
    expect((await call("GET", `/v1/jobs/${id}`)).body.status).toBe("succeeded");
    expect((await call("GET", "/v1/jobs?limit=5")).body.data.length).toBeGreaterThan(0);
    const redirect = await call("GET", `/v1/jobs/${id}/output`);
    expect([redirect.status, redirect.body]).toEqual([302, ""]);
    expect(redirect.headers.get("location")).toMatch(/^http/);
    const link = await call("GET", `/v1/jobs/${id}/output`, { headers: { accept: "application/json" } });
    expect(link.status).toBe(200);
    expect(link.body).toMatchObject({ url: expect.stringMatching(/^http/), content_type: "image/jpeg" });
    expect((await call("POST", `/v1/jobs/${id}/cancel`)).status).toBe(409);

    await receiver.waitFor(1);
    const deliveries = await call("GET", `/v1/jobs/${id}/deliveries`);
    const deliveryId = deliveries.body.data[0].id as string;
    await call("GET", `/v1/deliveries/${deliveryId}`);
    expect((await call("POST", `/v1/deliveries/${deliveryId}/retry`)).status).toBe(202);

    expect((await call("DELETE", `/v1/jobs/${id}`)).body.erased_at).toBeTruthy();
    expect((await call("GET", "/v1/jobs/job_0000000000000000000000000000x")).status).toBe(404);
    expect((await call("GET", "/v1/jobs?limit=0")).status).toBe(422);
    expect((await call("GET", "/v1/jobs", { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    const json = await call("POST", "/v1/jobs", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ operation: "face_fusion", inputs: {} }),
    });
    expect(json.status).toBe(422);
  });

  it("for the webhook routes", async () => {
    await call("GET", "/v1/webhook-secret");
    await call("POST", "/v1/webhook-secret/rotate");
    const created = await call("POST", "/v1/webhook-endpoints", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: receiver.url, events: ["job.failed"] }),
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await call("GET", "/v1/webhook-endpoints")).body.data.length).toBe(1);
    await call("GET", `/v1/webhook-endpoints/${id}`);
    await call("POST", `/v1/webhook-endpoints/${id}/rotate-secret`);
    await call("POST", `/v1/webhook-endpoints/${id}/enable`);
    expect((await call("DELETE", `/v1/webhook-endpoints/${id}`)).status).toBe(204);
    expect((await call("GET", `/v1/webhook-endpoints/${id}`)).status).toBe(404);
  });

  it("for the admin routes", async () => {
    const admin = { authorization: `Bearer ${ADMIN_KEY}` };
    const created = await call("POST", "/v1/admin/keys", {
      headers: { ...admin, "content-type": "application/json" },
      body: JSON.stringify({ tenant: "gamma", name: "docs" }),
    });
    expect(created.status).toBe(201);
    expect((await call("GET", "/v1/admin/keys?tenant=gamma", { headers: admin })).body.data).toHaveLength(1);
    expect((await call("GET", "/v1/admin/keys?tenant=%2F", { headers: admin })).status).toBe(422);
    expect((await call("DELETE", `/v1/admin/keys/${created.body.id}`, { headers: admin })).status).toBe(200);
    expect((await call("DELETE", `/v1/admin/keys/${created.body.id}`, { headers: admin })).status).toBe(404);
    expect((await call("GET", "/v1/admin/keys")).status).toBe(401);
  });

  it("for the operations routes", async () => {
    await call("GET", "/healthz");
    await call("GET", "/readyz");
  });
});
