import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { csvCell } from "../../apps/api/src/batches/output-zip";
import { face, waitForFinal } from "../support/images";
import { startTestSystem, type TestSystem } from "../support/system";
import { readZip } from "../support/zips";
import {
  expectProblem,
  expectStillUp,
  files,
  type ImageServer,
  type Json,
  startImageServer,
  waitCompleted,
} from "./support";

/*
 * What clients name and nest: image URLs with bad percent-escapes, item names that climb or start
 * a spreadsheet formula, JSON nested thousands deep, manifest lines that are not objects, map keys
 * a JavaScript object would not keep. Each is a 4xx with a code or an item failed alone with a
 * readable reason, and a batch's results can always be downloaded.
 */

let t: TestSystem;
let server: ImageServer;
let target: Buffer;
let template: Buffer;

beforeAll(async () => {
  server = await startImageServer();
  t = await startTestSystem({ env: { EGRESS_ALLOWLIST: server.hostPort } });
  target = await face(40);
  template = await face(220);
  server.serve("/img/%ff.jpg", target);
  server.serve("/img/%E0%A4%A.jpg", target);
  server.serve("/t/%ff.jpg", template);
  server.serve("/redirect", { redirect: `${server.url}/img/%ff.jpg` });
  server.serve("/ok/a.jpg", target);
});
afterEach(async () => {
  await expectStillUp(t);
});
afterAll(async () => {
  await t?.close();
  await server?.close();
});

const postJson = (path: string, body: unknown) =>
  t.api(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
const base = { operation: "face_fusion", vendor: "ailab" };
const tmpl = () => ({ base64: template.toString("base64") });
const url = (path: string) => ({ url: `${server.url}${path}` });

async function accepted(res: Response): Promise<Json> {
  const text = await res.text();
  expect(res.status, text.slice(0, 300)).toBe(202);
  return JSON.parse(text) as Json;
}
const batchJobs = async (id: string): Promise<Json[]> =>
  ((await (await t.api(`/v1/batches/${id}/jobs?limit=100`)).json()) as Json).data;

describe("image URLs with a bad percent-escape in their path", () => {
  it.each([
    ["%ff", "/img/%ff.jpg"],
    ["a cut-off UTF-8 escape", "/img/%E0%A4%A.jpg"],
    ["%ff reached through a redirect", "/redirect"],
  ])("a job's target (%s) is fetched and runs", async (_what, path) => {
    const job = await accepted(
      await postJson("/v1/jobs", { ...base, inputs: { target: url(path), template: tmpl() } }),
    );
    expect((await waitForFinal((p) => t.api(p), job.id)).status).toBe("succeeded");
  });

  it("a multipart batch's template_url", async () => {
    const res = await t.api("/v1/batches", {
      method: "POST",
      body: files({ ...base, template_url: `${server.url}/t/%ff.jpg` }, [["targets", target, "a.jpg"]]),
    });
    const batch = await waitCompleted(t, (await accepted(res)).id);
    expect(batch.counts).toMatchObject({ total: 1, succeeded: 1 });
  });

  it("a JSON batch's template.url", async () => {
    const res = await postJson("/v1/batches", {
      ...base,
      template: url("/t/%ff.jpg"),
      items: [{ inputs: { target: url("/ok/a.jpg") } }],
    });
    const batch = await waitCompleted(t, (await accepted(res)).id);
    expect(batch.counts).toMatchObject({ total: 1, succeeded: 1 });
  });
});

describe("item names", () => {
  const hostile = [
    "../../evil.jpg",
    "/etc/cron.d/x.jpg",
    "..\\..\\win.jpg",
    "\t=HYPERLINK(1).jpg",
    "\r=1+2.jpg",
    "+cmd.jpg",
    "@SUM(A1).jpg",
  ];

  /** Download a batch's results: every name in the zip and in manifest.csv is a plain base name. */
  async function expectSafeOutput(id: string, count: number) {
    const res = await t.api(`/v1/batches/${id}/output`);
    expect(res.status).toBe(200);
    const zip = await readZip(Buffer.from(await res.arrayBuffer()));
    const names = [...zip.keys()].filter((n) => n !== "manifest.csv");
    expect(names).toHaveLength(count);
    for (const name of names) expect(name).toMatch(/^[\w()][\w.() +-]*$/);
    const rows = zip.get("manifest.csv")!.toString().trim().split("\r\n").slice(1);
    expect(rows).toHaveLength(count);
    for (const row of rows) {
      expect(row).not.toMatch(/(^|,)"?[\t\r=+@-]/);
      expect(row).not.toMatch(/[/\\]|\.\./);
    }
  }

  it("JSON items[].name are reduced to safe base names; the results download", async () => {
    const res = await postJson("/v1/batches", {
      ...base,
      template: tmpl(),
      items: hostile.map((name) => ({ inputs: { target: url("/ok/a.jpg") }, name })),
    });
    const batch = await waitCompleted(t, (await accepted(res)).id);
    expect(batch.counts).toMatchObject({ total: hostile.length, succeeded: hostile.length });
    await expectSafeOutput(batch.id, hostile.length);
  });

  it("a CSV manifest's name column likewise", async () => {
    const csv = `target_url,name\r\n${hostile
      .map((name) => `${server.url}/ok/a.jpg,"${name.replace(/"/g, '""')}"`)
      .join("\r\n")}\r\n`;
    const res = await t.api("/v1/batches", {
      method: "POST",
      body: files(base, [
        ["template", template, "t.jpg"],
        ["manifest", Buffer.from(csv), "m.csv"],
      ]),
    });
    const batch = await waitCompleted(t, (await accepted(res)).id);
    expect(batch.counts).toMatchObject({ total: hostile.length, succeeded: hostile.length });
    await expectSafeOutput(batch.id, hostile.length);
  });

  it.each([
    ["=1+2", "'=1+2"],
    ["\t=1+2", "'\t=1+2"],
    ["\r=1+2", `"'\r=1+2"`],
    ["-3", "'-3"],
    ["@x", "'@x"],
    ["plain", "plain"],
  ])("manifest.csv neutralises the cell %j", (cell, expected) => {
    expect(csvCell(cell)).toBe(expected);
  });
});

describe("deep nesting", () => {
  const nested = (depth: number) => JSON.parse(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);
  it.each([5_000, 20_000])("a JSON batch item's params %i levels deep is a 422", async (depth) => {
    const body = `{"operation":"face_fusion","vendor":"ailab","items":[{"inputs":{"target":{"url":"${server.url}/ok/a.jpg"}},"params":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}]}`;
    const problem = await expectProblem(await postJson("/v1/batches", body), 422, "validation_failed");
    expect(problem.detail).toMatch(/nest/);
  });

  it("a multipart params field 5 000 levels deep is a 422", async () => {
    const res = await t.api("/v1/jobs", {
      method: "POST",
      body: files({ ...base, params: `${"[".repeat(5_000)}${"]".repeat(5_000)}` }, [
        ["target", target, "a.jpg"],
        ["template", template, "t.jpg"],
      ]),
    });
    await expectProblem(res, 422, "validation_failed");
  });

  it("JSON at the depth limit is still read", async () => {
    const res = await postJson("/v1/jobs", {
      ...base,
      inputs: { target: url("/ok/a.jpg"), template: tmpl() },
      params: nested(29),
    });
    // Read and checked: refused for what the params say, not for their depth.
    const problem = await expectProblem(res, 422, "validation_failed");
    expect(problem.detail).not.toMatch(/nest/);
  });

  it("an NDJSON manifest line 20 000 levels deep fails alone", async () => {
    const deep = `{"inputs":{"target":{"url":"${server.url}/ok/a.jpg"}},"params":${"[".repeat(20_000)}${"]".repeat(20_000)}}`;
    const good = JSON.stringify({ inputs: { target: url("/ok/a.jpg") } });
    const res = await t.api("/v1/batches", {
      method: "POST",
      body: files(base, [
        ["template", template, "t.jpg"],
        ["manifest", Buffer.from(`${good}\n${deep}\n`), "m.ndjson"],
      ]),
    });
    const batch = await waitCompleted(t, (await accepted(res)).id);
    expect(batch.counts).toMatchObject({ total: 2, succeeded: 1, failed: 1 });
  });
});

describe("NDJSON manifest lines that are not objects", () => {
  it("each fails alone with a readable reason; no internal text reaches the client", async () => {
    const good = JSON.stringify({ inputs: { target: url("/ok/a.jpg") }, name: "good.jpg" });
    const lines = [good, "null", "3", '"text"', "[]", "true", "{nope"];
    const res = await t.api("/v1/batches", {
      method: "POST",
      body: files(base, [
        ["template", template, "t.jpg"],
        ["manifest", Buffer.from(`${lines.join("\n")}\n`), "m.ndjson"],
      ]),
    });
    const batch = await waitCompleted(t, (await accepted(res)).id);
    expect(batch.counts).toMatchObject({ total: lines.length, succeeded: 1, failed: lines.length - 1 });
    for (const job of await batchJobs(batch.id)) {
      if (job.status === "succeeded") continue;
      expect(job.error.code).toBe("invalid_request");
      expect(job.error.message).not.toMatch(/Cannot read|properties of|undefined|TypeError/);
    }
  });
});

describe("map keys a JavaScript object would not keep", () => {
  const job = (extra: Json) => ({
    ...base,
    inputs: { target: url("/ok/a.jpg"), template: tmpl() },
    ...extra,
  });
  const cases: [string, () => Promise<Response>][] = [
    [
      "metadata.__proto__",
      () => postJson("/v1/jobs", `{"metadata":{"__proto__":"x"},${JSON.stringify(job({})).slice(1)}`),
    ],
    ["metadata.constructor", () => postJson("/v1/jobs", job({ metadata: { constructor: "y" } }))],
    ["metadata.prototype", () => postJson("/v1/jobs", job({ metadata: { prototype: "y" } }))],
    [
      "params.__proto__",
      () =>
        postJson(
          "/v1/jobs",
          `{"params":{"__proto__":{"source_similarity":1}},${JSON.stringify(job({})).slice(1)}`,
        ),
    ],
    [
      "multipart metadata.__proto__",
      () =>
        t.api("/v1/jobs", {
          method: "POST",
          body: files({ ...base, metadata: '{"__proto__":"x","constructor":"y"}' }, [
            ["target", target, "a.jpg"],
            ["template", template, "t.jpg"],
          ]),
        }),
    ],
    [
      "a JSON batch's metadata.__proto__",
      () =>
        postJson(
          "/v1/batches",
          `{"metadata":{"__proto__":"x"},${JSON.stringify({ ...base, template: tmpl(), items: [{ inputs: { target: url("/ok/a.jpg") } }] }).slice(1)}`,
        ),
    ],
    [
      "a JSON batch item's metadata.__proto__",
      () =>
        postJson(
          "/v1/batches",
          `{"items":[{"inputs":{"target":${JSON.stringify(url("/ok/a.jpg"))}},"metadata":{"__proto__":"x"}}],${JSON.stringify({ ...base, template: tmpl() }).slice(1)}`,
        ),
    ],
  ];
  it.each(cases)("%s is refused with 422, never dropped", async (_what, send) => {
    const problem = await expectProblem(await send(), 422, "validation_failed");
    expect(problem.detail).toMatch(/reserved/);
  });

  it("in a manifest (an NDJSON line, a CSV metadata column) the item fails alone", async () => {
    const target = `${server.url}/ok/a.jpg`;
    const lines = [
      JSON.stringify({ inputs: { target: { url: target } } }),
      `{"inputs":{"target":{"url":"${target}"}},"metadata":{"__proto__":"x"}}`,
    ];
    const csv = `target_url,metadata.__proto__,metadata.ref\r\n${target},x,a\r\n`;
    for (const [manifest, total] of [
      [`${lines.join("\n")}\n`, 2],
      [csv, 1],
    ] as const) {
      const res = await t.api("/v1/batches", {
        method: "POST",
        body: files(base, [
          ["template", template, "t.jpg"],
          ["manifest", Buffer.from(manifest), "m.txt"],
        ]),
      });
      const batch = await waitCompleted(t, (await accepted(res)).id);
      expect(batch.counts).toMatchObject({ total, failed: 1 });
      const failed = (await batchJobs(batch.id)).filter((j) => j.status === "failed");
      expect(failed[0]?.error.message).toMatch(/__proto__.*reserved/);
    }
  });

  it("ordinary keys are kept exactly", async () => {
    const metadata = { proto: "x", constructor_: "y", __a__: "z" };
    const created = await accepted(await postJson("/v1/jobs", job({ metadata })));
    expect(created.metadata).toEqual(metadata);
    await waitForFinal((p) => t.api(p), created.id);
  });
});
