import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  expectHandled,
  expectNormalJobSucceeds,
  expectStillUp,
  type ImageServer,
  type Json,
  rawRequest,
  startImageServer,
  waitCompleted,
} from "../hostile/support";
import { face } from "../support/images";
import { startTestSystem, type TestSystem } from "../support/system";
import { TEST_KEYS } from "../support/test-env";
import { makeZip } from "../support/zips";
import {
  formFields,
  idempotencyKey,
  jsonText,
  manifest,
  metadata,
  multipartBody,
  mutation,
  type Part,
  params,
  prefer,
  text,
  url,
} from "./generators";
import { FUZZ_TIMEOUT_MS, fuzzParams } from "./settings";

/*
 * The HTTP API under generated and mutated requests: whatever arrives, the answer is a 2xx or a
 * clean 4xx problem with a code — never a 5xx — the process keeps serving, an accepted batch
 * completes and its results download, and a normal job still succeeds afterwards.
 */

let t: TestSystem;
let server: ImageServer;
let target: Buffer;
let template: Buffer;

beforeAll(async () => {
  server = await startImageServer();
  t = await startTestSystem({ env: { EGRESS_ALLOWLIST: server.hostPort, BATCH_MAX_ITEMS: "20" } });
  target = await face(40);
  template = await face(220);
  server.serve("/a.jpg", target);
  server.serve("/t.jpg", template);
});
afterAll(async () => {
  await t?.close();
  await server?.close();
});

const auth = { authorization: `Bearer ${TEST_KEYS.acme}` };

/** Send raw bytes (what fetch would refuse to send as is) and check the answer. */
async function send(method: string, path: string, headers: Record<string, string>, body?: Buffer) {
  const res = await rawRequest(t.url, {
    method,
    path,
    headers: { ...auth, ...headers, ...(body ? { "content-length": String(body.length) } : {}) },
    body,
  });
  return expectHandled(res);
}

/** An accepted batch completes, and its results download as a zip. */
async function expectBatchCompletes(body: Json | undefined) {
  const batch = await waitCompleted(t, body!.id);
  const res = await t.api(`/v1/batches/${batch.id}/output`);
  expect(res.status).toBe(200);
  expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
}

const fileContent = fc.oneof(
  fc.constant("target" as const),
  fc.constant("template" as const),
  fc.uint8Array({ maxLength: 2_000 }).map((b) => Buffer.from(b)),
);

describe("the HTTP API, for any request", { timeout: FUZZ_TIMEOUT_MS }, () => {
  it("multipart jobs and batches: generated, cut short, mutated", async () => {
    const file = fc.record({
      name: fc.constantFrom("target", "template", "targets", "archive", "manifest", "other"),
      content: fileContent,
      filename: text(30).map((s) => s.replace(/["\r\n]/g, "")),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/v1/jobs", "/v1/batches"),
        formFields,
        fc.array(file, { maxLength: 3 }),
        mutation,
        fc.constantFrom("xyz", "----fuzz0123", "a'b(c)"),
        async (path, fields, files, mutate, boundary) => {
          const parts: Part[] = [
            ...fields,
            ...files.map((f) => ({
              name: f.name,
              filename: f.filename,
              value: f.content === "target" ? target : f.content === "template" ? template : f.content,
            })),
          ];
          const body = mutate(multipartBody(parts, boundary));
          const { status, body: answer } = await send(
            "POST",
            path,
            { "content-type": `multipart/form-data; boundary="${boundary}"` },
            body,
          );
          if (status === 202 && path === "/v1/batches") await expectBatchCompletes(answer);
        },
      ),
      fuzzParams(40),
    );
    await expectStillUp(t);
  });

  it("JSON jobs: any fields, params, metadata, URLs, Prefer and Idempotency-Key", async () => {
    const input = fc.oneof(
      url(server.url).map((u) => JSON.stringify({ url: u })),
      fc.constantFrom(
        JSON.stringify({ url: `${server.url}/a.jpg` }),
        JSON.stringify({ base64: "%%%" }),
        JSON.stringify({ base64: "" }),
      ),
      jsonText,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            operation: fc.constantFrom('"face_fusion"', '"expression"', '"x"', "5"),
            vendor: fc.constantFrom('"ailab"', '"auto"', '"tencent"', "null"),
            inputs: fc
              .tuple(input, fc.option(input))
              .map(([a, b]) => `{"target":${a}${b === null ? "" : `,"template":${b}`}}`),
            params: fc.oneof(
              params.map((p) => JSON.stringify(p)),
              jsonText,
            ),
            metadata: fc.oneof(
              metadata.map((m) => JSON.stringify(m)),
              jsonText,
            ),
            webhook_url: url(server.url).map((u) => JSON.stringify(u)),
          },
          { requiredKeys: ["operation", "inputs"] },
        ),
        mutation,
        fc.option(prefer),
        fc.option(idempotencyKey),
        async (fields, mutate, wait, key) => {
          const json = `{${Object.entries(fields)
            .map(([k, v]) => `"${k}":${v}`)
            .join(",")}}`;
          const headers: Record<string, string> = { "content-type": "application/json" };
          if (wait !== null) headers.prefer = wait;
          if (key !== null) headers["idempotency-key"] = key;
          await send("POST", "/v1/jobs", headers, mutate(Buffer.from(json)));
        },
      ),
      fuzzParams(60),
    );
    await expectStillUp(t);
  });

  it("JSON batches: items with any names, params, metadata and URLs", async () => {
    const item = fc.record(
      {
        inputs: fc.oneof(
          url(server.url).map((u) => JSON.stringify({ target: { url: u } })),
          fc.constant(JSON.stringify({ target: { url: `${server.url}/a.jpg` } })),
          jsonText,
        ),
        name: text(60).map((n) => JSON.stringify(n)),
        params: fc.oneof(
          params.map((p) => JSON.stringify(p)),
          jsonText,
        ),
        metadata: metadata.map((m) => JSON.stringify(m)),
      },
      { requiredKeys: ["inputs"] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(item, { minLength: 0, maxLength: 4 }),
        fc.oneof(
          fc.constant(`{"url":"${server.url}/t.jpg"}`),
          url(server.url).map((u) => JSON.stringify({ url: u })),
        ),
        mutation,
        async (items, tmpl, mutate) => {
          const list = items.map(
            (i) =>
              `{${Object.entries(i)
                .map(([k, v]) => `"${k}":${v}`)
                .join(",")}}`,
          );
          const json = `{"operation":"face_fusion","vendor":"ailab","template":${tmpl},"items":[${list.join(",")}]}`;
          const { status, body } = await send(
            "POST",
            "/v1/batches",
            { "content-type": "application/json" },
            mutate(Buffer.from(json)),
          );
          if (status === 202) await expectBatchCompletes(body);
        },
      ),
      fuzzParams(25),
    );
    await expectStillUp(t);
  });

  it("manifests (CSV and NDJSON) and archives with any entry names", async () => {
    const archive = fc
      .array(
        fc.record({
          length: fc.integer({ min: 1, max: 40 }),
          raw: fc.uint8Array({ minLength: 40, maxLength: 40 }),
          image: fc.boolean(),
        }),
        { minLength: 1, maxLength: 4 },
      )
      .map((entries) =>
        entries.map((e, i) => {
          // yazl writes a plain name; the hostile bytes (any, `/`, `..`, NUL) replace it after.
          const name = `${i}${"n".repeat(e.length)}`;
          const raw = Buffer.from(e.raw.subarray(0, name.length)).toString("latin1");
          return { name, raw: raw.length === name.length ? raw : undefined, image: e.image };
        }),
      );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          manifest(server.url).map((m) => ({ field: "manifest", bytes: async () => Buffer.from(m) })),
          archive.map((entries) => ({
            field: "archive",
            bytes: () =>
              makeZip(
                entries.map((e) => ({ name: e.name, raw: e.raw, data: e.image ? target : Buffer.from("x") })),
              ),
          })),
        ),
        async (source) => {
          const body = multipartBody(
            [
              { name: "operation", value: "face_fusion" },
              { name: "vendor", value: "ailab" },
              { name: "template", value: template, filename: "t.jpg" },
              { name: source.field, value: await source.bytes(), filename: "source" },
            ],
            "xyz",
          );
          const { status, body: answer } = await send(
            "POST",
            "/v1/batches",
            { "content-type": "multipart/form-data; boundary=xyz" },
            body,
          );
          if (status === 202) await expectBatchCompletes(answer);
        },
      ),
      fuzzParams(20),
    );
    await expectStillUp(t);
  });

  it("paths, ids and query strings", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/v1/jobs", "/v1/batches", "/v1/webhook-endpoints", "/v1/jobs/", "/v1/batches/"),
        fc.oneof(fc.constant(""), fc.webSegment(), text(40).map(encodeURIComponent)),
        fc.webQueryParameters(),
        fc.constantFrom("GET", "DELETE", "POST"),
        async (base, id, query, method) => {
          const path = `${base}${id}${query ? `?${query}` : ""}`;
          await send(
            method,
            path,
            method === "POST" ? { "content-type": "application/json" } : {},
            method === "POST" ? Buffer.from("{}") : undefined,
          );
        },
      ),
      fuzzParams(40),
    );
    await expectStillUp(t);
  });

  it("a normal job still succeeds afterwards", async () => {
    await expectNormalJobSucceeds(t, target, template);
  });
});
