import { gzipSync } from "node:zlib";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { face, form } from "../support/images";
import { startTestSystem, type TestSystem } from "../support/system";
import { TEST_KEYS } from "../support/test-env";
import { expectProblem, expectUnharmed, type Json, rawRequest, watchMemory } from "./support";

/*
 * Hostile requests at the HTTP and JSON level: malformed and mistyped bodies, oversized ones
 * (announced and not), unknown fields, deep nesting, header injection in metadata, malformed
 * multipart, bad headers and query strings, unknown routes and ids that try to climb. Each gets
 * its exact 4xx problem, and afterwards the server answers and nothing was stored.
 */

const ADMIN_KEY = "admin_hostile_key_0123456789";

let t: TestSystem;
let memory: ReturnType<typeof watchMemory>;
let target: Buffer;
let template: Buffer;
let jobId: string;
/** 100 kB of gzip that inflates to 100 MB, made before memory is watched (the client shares this process). */
let gzipBomb: Buffer;

beforeAll(async () => {
  t = await startTestSystem({ env: { ADMIN_API_KEY: ADMIN_KEY } });
  target = await face(40);
  template = await face(220);
  // One real job, so id-based routes have something to be refused around.
  const res = await t.api("/v1/jobs", {
    method: "POST",
    tenant: "beta",
    body: form({ operation: "face_fusion", vendor: "ailab" }, { target, template }),
  });
  jobId = ((await res.json()) as Json).id;
  gzipBomb = gzipSync(Buffer.alloc(100 * 1024 * 1024, 0x20));
  memory = watchMemory();
});
afterEach(() => expectUnharmed(t));
afterAll(async () => {
  memory?.stop();
  await t?.close();
});

const JSON_HEADERS = { "content-type": "application/json" };
const b64 = () => target.toString("base64");
const job = (extra: Json = {}) => ({
  operation: "face_fusion",
  vendor: "ailab",
  inputs: { target: { base64: b64() }, template: { base64: template.toString("base64") } },
  ...extra,
});
const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  t.api(path, {
    method: "POST",
    headers: { ...JSON_HEADERS, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

/** `[[[[…]]]]`, `depth` levels. */
const deep = (depth: number) => `${"[".repeat(depth)}${"]".repeat(depth)}`;

describe("JSON bodies", () => {
  const cases: [string, () => Promise<Response>, number, string][] = [
    ["malformed JSON", () => postJson("/v1/jobs", '{"operation": "face_fusion",'), 400, "malformed_json"],
    [
      "trailing garbage after JSON",
      () => postJson("/v1/jobs", '{"operation":"x"} tail'),
      400,
      "malformed_json",
    ],
    [
      "a bare JSON string (strict parsing)",
      () => postJson("/v1/jobs", '"face_fusion"'),
      400,
      "malformed_json",
    ],
    ["a JSON array instead of an object", () => postJson("/v1/jobs", "[]"), 422, "validation_failed"],
    ["an empty body", () => postJson("/v1/jobs", ""), 422, "validation_failed"],
    [
      "operation of the wrong type",
      () => postJson("/v1/jobs", job({ operation: 5 })),
      422,
      "validation_failed",
    ],
    [
      "inputs as a string",
      () => postJson("/v1/jobs", job({ inputs: "target.jpg" })),
      422,
      "validation_failed",
    ],
    ["params as an array", () => postJson("/v1/jobs", job({ params: [1, 2] })), 422, "validation_failed"],
    [
      "metadata values that are not strings",
      () => postJson("/v1/jobs", job({ metadata: { n: 1 } })),
      422,
      "validation_failed",
    ],
    [
      "an unknown top-level field",
      () => postJson("/v1/jobs", job({ is_admin: true })),
      422,
      "validation_failed",
    ],
    [
      "an unknown field inside an input",
      () =>
        postJson("/v1/jobs", job({ inputs: { target: { url: "https://example.com/a.jpg", headers: {} } } })),
      422,
      "validation_failed",
    ],
    [
      "__proto__ at the top level",
      () => postJson("/v1/jobs", `{"__proto__":{"polluted":true},${JSON.stringify(job()).slice(1)}`),
      422,
      "validation_failed",
    ],
    [
      "a 2 MB operation name",
      () => postJson("/v1/jobs", job({ operation: "x".repeat(2_000_000) })),
      422,
      "validation_failed",
    ],
    [
      "a 100 kB URL",
      () =>
        postJson(
          "/v1/jobs",
          job({ inputs: { target: { url: `https://example.com/${"a".repeat(100_000)}` } } }),
        ),
      422,
      "validation_failed",
    ],
    [
      "a 513-character metadata value",
      () => postJson("/v1/jobs", job({ metadata: { k: "v".repeat(513) } })),
      422,
      "validation_failed",
    ],
    [
      "33 metadata entries",
      () =>
        postJson(
          "/v1/jobs",
          job({ metadata: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, "v"])) }),
        ),
      422,
      "validation_failed",
    ],
    [
      "a metadata key with spaces and a colon",
      () => postJson("/v1/jobs", job({ metadata: { "X-Evil: 1": "v" } })),
      422,
      "validation_failed",
    ],
    [
      "header injection (CR LF) in a metadata value",
      () => postJson("/v1/jobs", job({ metadata: { ref: "a\r\nX-Injected: 1" } })),
      422,
      "validation_failed",
    ],
    [
      "a NUL byte in a metadata value",
      () => postJson("/v1/jobs", job({ metadata: { ref: "a\u0000b" } })),
      422,
      "validation_failed",
    ],
    [
      "params nested 100 000 levels deep",
      () => postJson("/v1/jobs", `{"operation":"face_fusion","inputs":{},"params":{"x":${deep(100_000)}}}`),
      422,
      "validation_failed",
    ],
    [
      "metadata nested 10 000 levels deep",
      () =>
        postJson(
          "/v1/jobs",
          `{"operation":"face_fusion","inputs":{},"metadata":${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}}`,
        ),
      422,
      "validation_failed",
    ],
    [
      "base64 that is not base64",
      () =>
        postJson(
          "/v1/jobs",
          job({ inputs: { target: { base64: "%%%not*base64%%%" }, template: { base64: b64() } } }),
        ),
      422,
      "validation_failed",
    ],
    [
      "header injection in a batch's metadata",
      () =>
        postJson("/v1/batches", {
          operation: "face_fusion",
          vendor: "ailab",
          metadata: { ref: "x\nSet-Cookie: a=b" },
          items: [{ inputs: { target: { url: "https://example.com/a.jpg" } } }],
        }),
      422,
      "validation_failed",
    ],
    [
      "header injection in a batch item's metadata",
      () =>
        postJson("/v1/batches", {
          operation: "face_fusion",
          vendor: "ailab",
          items: [{ inputs: { target: { url: "https://example.com/a.jpg" } }, metadata: { ref: "x\rY" } }],
        }),
      422,
      "validation_failed",
    ],
    [
      "a batch without items",
      () => postJson("/v1/batches", { operation: "face_fusion", items: [] }),
      422,
      "validation_failed",
    ],
    [
      "an endpoint with an unknown event type",
      () => postJson("/v1/webhook-endpoints", { url: "https://example.com/h", events: ["job.*"] }),
      422,
      "validation_failed",
    ],
    [
      "an endpoint with an unknown field",
      () => postJson("/v1/webhook-endpoints", { url: "https://example.com/h", secret: "whsec_mine" }),
      422,
      "validation_failed",
    ],
    [
      "a wrong content type for a job",
      () =>
        t.api("/v1/jobs", { method: "POST", headers: { "content-type": "text/plain" }, body: "operation=x" }),
      415,
      "unsupported_media_type",
    ],
    [
      "a wrong content type for an endpoint",
      () =>
        t.api("/v1/webhook-endpoints", {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: "url=x",
        }),
      415,
      "unsupported_media_type",
    ],
    [
      "a Latin-1 charset",
      () => postJson("/v1/jobs", "{}", { "content-type": "application/json; charset=iso-8859-1" }),
      415,
      "unsupported_media_type",
    ],
    [
      "an unknown content encoding",
      () => postJson("/v1/jobs", "{}", { "content-encoding": "compress" }),
      415,
      "unsupported_media_type",
    ],
  ];
  for (const [name, send, status, code] of cases) {
    it(name, async () => {
      await expectProblem(await send(), status, code);
    });
  }

  it("leaves Object.prototype alone", () => {
    expect(({} as Json).polluted).toBeUndefined();
  });
});

describe("body sizes", () => {
  const announced = (path: string, bytes: number, method = "POST", type = "application/json") =>
    rawRequest(t.url, {
      method,
      path,
      headers: {
        authorization: `Bearer ${TEST_KEYS.acme}`,
        "content-type": type,
        "content-length": String(bytes),
      },
      body: "{",
      sendOnly: 1,
    });
  /** A chunked body (no Content-Length) of `bytes` bytes, sent as it is made. */
  const chunked = (path: string, bytes: number, headers: Record<string, string> = JSON_HEADERS) =>
    t.api(path, {
      method: "POST",
      headers,
      duplex: "half",
      body: new ReadableStream({
        pull(controller) {
          const size = Math.min(64 * 1024, bytes);
          bytes -= size;
          controller.enqueue(new Uint8Array(size).fill(0x20));
          if (bytes <= 0) controller.close();
        },
      }),
    } as RequestInit);

  const cases: [string, () => Promise<Response>][] = [
    ["a job announcing 60 MB of JSON (past 2 inline images)", () => announced("/v1/jobs", 60_000_000)],
    ["a batch announcing 65 MB of JSON", () => announced("/v1/batches", 65 * 1024 * 1024)],
    ["an endpoint announcing 17 kB", () => announced("/v1/webhook-endpoints", 17 * 1024)],
    ["an endpoint sending 200 kB chunked", () => chunked("/v1/webhook-endpoints", 200 * 1024)],
    ["a job sending 60 MB chunked", () => chunked("/v1/jobs", 60_000_000)],
    [
      "a gzip bomb (100 kB that inflates to 100 MB)",
      () =>
        t.api("/v1/webhook-endpoints", {
          method: "POST",
          headers: { ...JSON_HEADERS, "content-encoding": "gzip" },
          body: gzipBomb,
        }),
    ],
    [
      "2 kB on a route that takes no body (cancel)",
      () => postJson(`/v1/jobs/${jobId}/cancel`, { pad: "x".repeat(2048) }),
    ],
    ["a body on a GET", () => announced("/v1/jobs", 5_000, "GET")],
    ["a body on a DELETE", () => announced(`/v1/jobs/${jobId}`, 5_000, "DELETE")],
  ];
  for (const [name, send] of cases) {
    it(name, async () => {
      await expectProblem(await send(), 413, "payload_too_large");
    });
  }

  it("a 1 GB upload without a valid key is refused at once, unread", async () => {
    const res = await rawRequest(t.url, {
      method: "POST",
      path: "/v1/batches",
      headers: {
        authorization: "Bearer fg_not_a_valid_key_000000000000",
        "content-type": "multipart/form-data; boundary=x",
        "content-length": String(1024 ** 3),
      },
      body: "--x\r\n",
      sendOnly: 5,
    });
    await expectProblem(res, 401, "unauthorized");
    expect(res.headers.get("connection")).toBe("close");
  });

  it("a stray {} on a body-less action is read and ignored", async () => {
    const res = await postJson("/v1/webhook-secret/rotate", {});
    expect(res.status).toBe(200);
  });
});

describe("multipart", () => {
  const multipart = (body: string, boundary = "b0undary") =>
    t.api("/v1/jobs", {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      body,
    });
  const part = (name: string, value: string, filename?: string) =>
    `--b0undary\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ""}\r\n\r\n${value}\r\n`;

  const cases: [string, () => Promise<Response>, number, string][] = [
    [
      "no boundary",
      () =>
        t.api("/v1/jobs", { method: "POST", headers: { "content-type": "multipart/form-data" }, body: "x" }),
      400,
      "malformed_multipart",
    ],
    [
      "a body cut off mid-part",
      () =>
        multipart(
          `${part("operation", "face_fusion")}--b0undary\r\nContent-Disposition: form-data; name="vendor"\r\n\r\nail`,
        ),
      400,
      "malformed_multipart",
    ],
    [
      "an unexpected file field",
      async () =>
        t.api("/v1/jobs", { method: "POST", body: form({ operation: "face_fusion" }, { passport: target }) }),
      422,
      "validation_failed",
    ],
    [
      "three files where two are allowed",
      async () => {
        const body = form({ operation: "face_fusion", vendor: "ailab" }, { target, template });
        body.append("target", new Blob([new Uint8Array(target)]), "again.jpg");
        return t.api("/v1/jobs", { method: "POST", body });
      },
      413,
      "too_many_files",
    ],
    [
      "a 30 kB params field",
      () =>
        multipart(
          `${part("operation", "face_fusion")}${part("params", `{"a":"${"x".repeat(30_000)}"}`)}--b0undary--\r\n`,
        ),
      413,
      "field_too_large",
    ],
    [
      "eleven fields",
      () => multipart(`${Array.from({ length: 11 }, (_, i) => part(`f${i}`, "x")).join("")}--b0undary--\r\n`),
      413,
      "too_many_fields",
    ],
    [
      "a field given twice",
      () =>
        multipart(`${part("operation", "face_fusion")}${part("operation", "expression")}--b0undary--\r\n`),
      422,
      "validation_failed",
    ],
    [
      "an unknown field",
      () =>
        t.api("/v1/jobs", {
          method: "POST",
          body: form({ operation: "face_fusion", vendor: "ailab", role: "admin" }, { target, template }),
        }),
      422,
      "validation_failed",
    ],
    [
      "params that are not JSON",
      () =>
        t.api("/v1/jobs", {
          method: "POST",
          body: form({ operation: "face_fusion", vendor: "ailab", params: "{nope" }, { target, template }),
        }),
      422,
      "validation_failed",
    ],
    [
      "header injection in multipart metadata",
      () =>
        t.api("/v1/jobs", {
          method: "POST",
          body: form(
            { operation: "face_fusion", vendor: "ailab", metadata: '{"ref":"a\\r\\nX-Injected: 1"}' },
            { target, template },
          ),
        }),
      422,
      "validation_failed",
    ],
    [
      "a file name that climbs",
      () =>
        t.api("/v1/jobs", {
          method: "POST",
          body: form(
            { operation: "face_fusion", vendor: "ailab", metadata: '{"a":"\\n"}' },
            { target: { bytes: target, name: "../../../../etc/passwd" }, template },
          ),
        }),
      422,
      "validation_failed",
    ],
  ];
  for (const [name, send, status, code] of cases) {
    it(name, async () => {
      await expectProblem(await send(), status, code);
    });
  }
});

describe("headers and query strings", () => {
  const cases: [string, () => Promise<Response>, number, string][] = [
    [
      "an Idempotency-Key of 256 characters",
      () => postJson("/v1/jobs", job(), { "idempotency-key": "k".repeat(256) }),
      400,
      "invalid_idempotency_key",
    ],
    [
      "an empty Idempotency-Key",
      () => postJson("/v1/jobs", job(), { "idempotency-key": "" }),
      400,
      "invalid_idempotency_key",
    ],
    ["Prefer: wait=0", () => postJson("/v1/jobs", job(), { prefer: "wait=0" }), 400, "invalid_prefer_wait"],
    ["Prefer: wait=61", () => postJson("/v1/jobs", job(), { prefer: "wait=61" }), 400, "invalid_prefer_wait"],
    [
      "Prefer: wait with 30 digits",
      () => postJson("/v1/jobs", job(), { prefer: `wait=${"9".repeat(30)}` }),
      400,
      "invalid_prefer_wait",
    ],
    [
      "a cursor that is a path",
      () => t.api("/v1/jobs?cursor=..%2F..%2Fetc%2Fpasswd"),
      422,
      "validation_failed",
    ],
    [
      "a cursor of another kind of id",
      () =>
        t.api("/v1/batches/bat_000000000000000000000000000zz/jobs?cursor=dlv_0000000000000000000000000000"),
      404,
      "not_found",
    ],
    ["a negative limit", () => t.api("/v1/jobs?limit=-1"), 422, "validation_failed"],
    ["a limit that is not a number", () => t.api("/v1/jobs?limit=1e999"), 422, "validation_failed"],
    ["a repeated query parameter", () => t.api("/v1/jobs?limit=1&limit=2"), 422, "validation_failed"],
    ["an unknown query parameter", () => t.api("/v1/jobs?tenant=beta"), 422, "validation_failed"],
    ["an unknown status filter", () => t.api("/v1/jobs?status=deleted"), 422, "validation_failed"],
    [
      "a created_after that is not a date",
      () => t.api("/v1/jobs?created_after=yesterday"),
      422,
      "validation_failed",
    ],
    [
      "a batch_id filter that is a path",
      () => t.api("/v1/jobs?batch_id=..%2F..%2Fjob"),
      422,
      "validation_failed",
    ],
    ["no API key", () => fetch(`${t.url}/v1/jobs`), 401, "unauthorized"],
    [
      "a wrong API key",
      () => t.api("/v1/jobs", { headers: { authorization: "Bearer fg_not_a_real_key_000000000000" } }),
      401,
      "unauthorized",
    ],
    [
      "a 10 kB bearer token",
      () => t.api("/v1/jobs", { headers: { authorization: `Bearer ${"k".repeat(10_000)}` } }),
      401,
      "unauthorized",
    ],
    [
      "basic auth with the API key as password",
      () =>
        t.api("/v1/jobs", {
          headers: { authorization: `Basic ${Buffer.from(`acme:${TEST_KEYS.acme}`).toString("base64")}` },
        }),
      401,
      "unauthorized",
    ],
    ["a tenant key on the admin dashboard", () => t.api("/admin/queues"), 401, "unauthorized"],
    ["a tenant key on /metrics when an admin key is set", () => t.api("/metrics"), 401, "unauthorized"],
  ];
  for (const [name, send, status, code] of cases) {
    it(name, async () => {
      await expectProblem(await send(), status, code);
    });
  }

  it("replaces a request id that is not sane with its own", async () => {
    const res = await t.api("/v1/jobs", { headers: { "x-request-id": "<script>alert(1)</script>" } });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sends helmet's headers and no X-Powered-By", async () => {
    const res = await t.api("/v1/jobs/job_000000000000000000000000000zz");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=/);
    expect(res.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });
});

describe("routes and ids", () => {
  const raw = (path: string, method = "GET") =>
    rawRequest(t.url, { method, path, headers: { authorization: `Bearer ${TEST_KEYS.acme}` } });
  const cases: [string, () => Promise<Response>, number, string][] = [
    ["an unknown route", () => t.api("/v1/nothing-here"), 404, "not_found"],
    ["an unknown version", () => t.api("/v2/jobs"), 404, "not_found"],
    ["a method the route does not have", () => t.api("/v1/jobs", { method: "PUT" }), 404, "not_found"],
    ["PATCH on a job", () => t.api(`/v1/jobs/${jobId}`, { method: "PATCH" }), 404, "not_found"],
    ["an id that climbs (encoded slashes)", () => t.api("/v1/jobs/..%2f..%2fetc%2fpasswd"), 404, "not_found"],
    ["an id that climbs (raw dots)", () => raw("/v1/jobs/../../../etc/passwd"), 404, "not_found"],
    ["an id with a NUL byte", () => t.api(`/v1/jobs/${jobId}%00`), 404, "not_found"],
    ["an id with a glob", () => t.api("/v1/jobs/job_*"), 404, "not_found"],
    ["a batch id that climbs", () => t.api("/v1/batches/..%2F..%2Fbatches"), 404, "not_found"],
    ["an endpoint id that is a Redis pattern", () => t.api("/v1/webhook-endpoints/whe_*"), 404, "not_found"],
    [
      "a delivery id that is too long",
      () => t.api(`/v1/deliveries/dlv_${"0".repeat(5000)}`),
      404,
      "not_found",
    ],
    [
      "a job id of the right shape that does not exist",
      () => t.api("/v1/jobs/job_000000000000000000000000000zz"),
      404,
      "not_found",
    ],
    ["a malformed percent-encoding", () => raw("/v1/jobs/%E0%A4%A"), 400, "bad_request"],
  ];
  for (const [name, send, status, code] of cases) {
    it(name, async () => {
      await expectProblem(await send(), status, code);
    });
  }
});

describe("afterwards", () => {
  it("memory stayed bounded through every case of this file", () => {
    // Bodies are refused from their announced length or cut at their limit; nothing here may
    // cost more than the largest limit (~56 MB) buffered once or twice.
    expect(memory.growthMb()).toBeLessThan(300);
  });
});
