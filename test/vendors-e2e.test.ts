import type { RemoteVendorId } from "@facegate/core";
import { readDigitalSourceType } from "@facegate/images";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ailabDirect } from "./contract/support";
import { blank, face, waitForFinal } from "./support/images";
import { startTestSystem, type TestSystem } from "./support/system";

/**
 * Each row of the operations table in docs/vendors.md end to end, through the HTTP API, the worker and the
 * simulator: a job in, a stored and marked result out (params honoured where the result shows
 * them), and a bad input ending with the right normalised error — refused before any vendor call
 * when facegate can tell on its own. Then the API's validation of operation, vendor and params,
 * and `vendor: "auto"` handing each vendor only the params it knows.
 * (Normalisation of awkward inputs is in vendors-e2e-inputs.test.ts.)
 */

let t: TestSystem;

beforeAll(async () => {
  t = await startTestSystem();
});
afterAll(async () => {
  await t?.close();
});

type Json = Record<string, any>;
const COMPOSITE = "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";
const GENERATED = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

const b64 = (bytes: Buffer) => ({ base64: bytes.toString("base64") });

/** POST /v1/jobs as JSON; answers the problem for a 4xx, else the job once it is final. */
async function runJob(body: Json): Promise<{ status: number; job: Json }> {
  const res = await t.api("/v1/jobs", {
    method: "POST",
    headers: { "content-type": "application/json", prefer: "wait=30" },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Json;
  if (res.status >= 400) return { status: res.status, job: json };
  const job =
    json.status === "queued" || json.status === "running" ? await waitForFinal(t.api, json.id) : json;
  return { status: res.status, job };
}

/** The stored output, through GET /v1/jobs/{id}/output and its presigned redirect. */
async function output(id: string): Promise<Buffer> {
  const redirect = await t.api(`/v1/jobs/${id}/output`);
  expect(redirect.status).toBe(302);
  return Buffer.from(await (await fetch(redirect.headers.get("location")!)).arrayBuffer());
}

async function expectStoredOutput(job: Json, source: string): Promise<Buffer> {
  expect(job.status, JSON.stringify(job)).toBe("succeeded");
  const bytes = await output(job.id);
  expect(bytes.length).toBe(job.output.bytes);
  const meta = await sharp(bytes).metadata();
  expect([meta.format, meta.width, meta.height]).toEqual(["jpeg", job.output.width, job.output.height]);
  expect(meta.exif).toBeUndefined();
  expect(readDigitalSourceType(bytes)).toBe(source);
  return bytes;
}

/** Same pixels: the result is what the vendor computes for these exact fields. */
async function samePixels(a: Buffer, b: Buffer) {
  const [pa, pb] = await Promise.all([sharp(a).raw().toBuffer(), sharp(b).raw().toBuffer()]);
  expect(pa.equals(pb)).toBe(true);
}

const callsTo = (vendor: RemoteVendorId) => t.sim.calls({ vendor }).length;

/** A job refused at create (422) from its image's header: nothing queued, no vendor called. */
async function refusedAtCreate(vendor: RemoteVendorId, body: Json) {
  const before = callsTo(vendor);
  const { status, job: problem } = await runJob(body);
  expect(status).toBe(422);
  expect(callsTo(vendor)).toBe(before);
  return problem;
}

/** Runs a job that must fail without the vendor being called at all. */
async function refusedBeforeCall(vendor: RemoteVendorId, body: Json) {
  const before = callsTo(vendor);
  const { job } = await runJob(body);
  expect(job.status).toBe("failed");
  expect(callsTo(vendor)).toBe(before);
  return job;
}

describe("face_fusion on ailab", () => {
  it("stores the fused, marked result; source_similarity is sent as AILab documents it", async () => {
    const target = await face(30);
    const template = await face(210, { width: 480, height: 600 });
    const { job } = await runJob({
      operation: "face_fusion",
      vendor: "ailab",
      inputs: { target: b64(target), template: b64(template) },
      params: { source_similarity: 0.3 },
    });
    expect(job).toMatchObject({ vendor: { used: "ailab" }, params: { source_similarity: 0.3 } });
    const bytes = await expectStoredOutput(job, COMPOSITE);
    const direct = await ailabDirect(t.sim, "face-fusion", {
      image_target: target,
      image_template: template,
      source_similarity: "0.3",
    });
    await samePixels(bytes, direct);
  });

  it("no face in the target → no_face_detected from the vendor", async () => {
    const { job } = await runJob({
      operation: "face_fusion",
      vendor: "ailab",
      inputs: { target: b64(await blank()), template: b64(await face(90)) },
    });
    expect(job.error).toMatchObject({
      code: "no_face_detected",
      vendor: "ailab",
      vendor_code: "ERROR_NO_FACE_IN_FILE",
      retryable: false,
    });
  });

  it("a black-and-white target is refused by the normaliser, before any call", async () => {
    const grey = await sharp(await face(30))
      .grayscale()
      .jpeg()
      .toBuffer();
    const job = await refusedBeforeCall("ailab", {
      operation: "face_fusion",
      vendor: "ailab",
      inputs: { target: b64(grey), template: b64(await face(90)) },
    });
    expect(job.error).toMatchObject({ code: "image_not_accepted", vendor_code: null, retryable: false });
    expect(job.error.message).toMatch(/black-and-white images are not accepted by ailab/);
  });
});

describe("face_fusion on aigs", () => {
  it("stores the swapped, marked result copied from the result URL", async () => {
    const { job } = await runJob({
      operation: "face_fusion",
      vendor: "aigs",
      inputs: { target: b64(await face(40)), template: b64(await face(220)) },
    });
    expect(job.vendor.used).toBe("aigs");
    await expectStoredOutput(job, COMPOSITE);
  });

  it("no face → no_face_detected", async () => {
    const { job } = await runJob({
      operation: "face_fusion",
      vendor: "aigs",
      inputs: { target: b64(await blank()), template: b64(await face(220)) },
    });
    expect(job.error).toMatchObject({
      code: "no_face_detected",
      vendor: "aigs",
      vendor_code: "no_face_detected",
    });
  });

  it("a target under ai-gs's 50×50 → image_too_small, refused at create", async () => {
    const problem = await refusedAtCreate("aigs", {
      operation: "face_fusion",
      vendor: "aigs",
      inputs: { target: b64(await face(40, { width: 48, height: 60 })), template: b64(await face(220)) },
    });
    expect(problem).toMatchObject({ code: "image_too_small", detail: expect.stringMatching(/48×60 pixels/) });
  });
});

describe("face_fusion on tencent", () => {
  it("fuses a target into the configured material's chosen face", async () => {
    const params = {
      template_face_id: t.sim.credentials.tencentFaceIds[1],
      fuse_face_degree: 70,
      logo_add: 0,
    };
    const { job } = await runJob({
      operation: "face_fusion",
      vendor: "tencent",
      inputs: { target: b64(await face(50)) },
      params,
    });
    expect(job).toMatchObject({ vendor: { used: "tencent" }, params });
    await expectStoredOutput(job, COMPOSITE);
  });

  it("fuses several faces given as merges, each with its template_face_id", async () => {
    const [first, second] = t.sim.credentials.tencentFaceIds;
    const before = callsTo("tencent");
    const { job } = await runJob({
      operation: "face_fusion",
      vendor: "tencent",
      inputs: {
        merges: [
          { image: b64(await face(50)), template_face_id: first },
          { image: b64(await face(160)), template_face_id: second },
        ],
      },
      params: { fuse_profile_degree: 40 },
    });
    await expectStoredOutput(job, COMPOSITE);
    expect(t.sim.calls({ vendor: "tencent" }).slice(before)).toMatchObject([{ status: 200, code: null }]);
  });

  it("no face → no_face_detected", async () => {
    const { job } = await runJob({
      operation: "face_fusion",
      vendor: "tencent",
      inputs: { target: b64(await blank()) },
    });
    expect(job.error).toMatchObject({
      code: "no_face_detected",
      vendor: "tencent",
      vendor_code: "FailedOperation.NoFaceDetected",
    });
  });

  it("a target under Tencent's 65 px → image_too_small, refused at create", async () => {
    const problem = await refusedAtCreate("tencent", {
      operation: "face_fusion",
      vendor: "tencent",
      inputs: { target: b64(await face(50, { width: 60, height: 80 })) },
    });
    expect(problem.code).toBe("image_too_small");
  });
});

describe("expression on ailab", () => {
  it.each([
    ["big_grin", "12"],
    ["open_eyes", "100"],
  ])("%s is AILab's service_choice %s", async (expression, serviceChoice) => {
    const target = await face(70);
    const { job } = await runJob({
      operation: "expression",
      vendor: "ailab",
      inputs: { target: b64(target) },
      params: { expression },
    });
    expect(job.params).toEqual({ expression });
    const bytes = await expectStoredOutput(job, GENERATED);
    await samePixels(
      bytes,
      await ailabDirect(t.sim, "emotion-editor", { image_target: target, service_choice: serviceChoice }),
    );
  });

  it("no face → no_face_detected", async () => {
    const { job } = await runJob({
      operation: "expression",
      vendor: "ailab",
      inputs: { target: b64(await blank()) },
      params: { expression: "sad" },
    });
    expect(job.error).toMatchObject({ code: "no_face_detected", vendor_code: "ERROR_NO_FACE_IN_FILE" });
  });
});

describe("face_slimming on ailab", () => {
  it.each([
    [{ slim_degree: 1.5 }, "1.5"],
    [{}, "1"],
  ])(
    "params %j: the 24 h result URL is copied, slimmed as AILab does with slim_degree %s",
    async (params, field) => {
      const target = await face(80);
      const { job } = await runJob({
        operation: "face_slimming",
        vendor: "ailab",
        inputs: { target: b64(target) },
        params,
      });
      expect(job.params).toEqual({ slim_degree: Number(field) });
      const bytes = await expectStoredOutput(job, GENERATED);
      await samePixels(
        bytes,
        await ailabDirect(t.sim, "smart-face-slimming", { image: target, slim_degree: field }),
      );
    },
  );

  it("a target under 129 px → image_too_small, refused at create", async () => {
    const problem = await refusedAtCreate("ailab", {
      operation: "face_slimming",
      vendor: "ailab",
      inputs: { target: b64(await face(80, { width: 120, height: 150 })) },
    });
    expect(problem.code).toBe("image_too_small");
  });
});

describe("POST /v1/jobs validates operation, vendor and params, naming the field", () => {
  const target = () => face(10).then(b64);
  const problem = async (body: Json) => {
    const { status, job } = await runJob(body);
    expect(status).toBe(422);
    return job as { code: string; detail: string; errors?: { path: string; message: string }[] };
  };
  const paths = (p: { errors?: { path: string }[] }) => (p.errors ?? []).map((e) => e.path);

  it.each([
    ["expression", "aigs"],
    ["expression", "tencent"],
    ["face_slimming", "aigs"],
    ["face_slimming", "tencent"],
  ])("%s on %s → unsupported_operation", async (operation, vendor) => {
    const p = await problem({ operation, vendor, inputs: { target: await target() }, params: {} });
    expect(p.code).toBe("unsupported_operation");
    expect(p.detail).toContain("ailab");
  });

  it.each([
    ["face_slimming", "ailab", { slim_degree: 3 }, "params.slim_degree"],
    ["face_slimming", "ailab", { slim_degree: "strong" }, "params.slim_degree"],
    ["expression", "ailab", { expression: "angry" }, "params.expression"],
    ["expression", "ailab", {}, "params.expression"],
    ["face_fusion", "tencent", { fuse_face_degree: 101 }, "params.fuse_face_degree"],
    ["face_fusion", "tencent", { fuse_profile_degree: 2.5 }, "params.fuse_profile_degree"],
    ["face_fusion", "tencent", { logo_add: 2 }, "params.logo_add"],
  ])("%s on %s with %j → names %s", async (operation, vendor, params, path) => {
    const inputs =
      operation === "face_fusion" && vendor !== "tencent"
        ? { target: await target(), template: await target() }
        : { target: await target() };
    const p = await problem({ operation, vendor, inputs, params });
    expect(p.code).toBe("validation_failed");
    expect(paths(p)).toContain(path);
  });

  it("a key the chosen vendor does not take is refused by name", async () => {
    const p = await problem({
      operation: "face_fusion",
      vendor: "aigs",
      inputs: { target: await target(), template: await target() },
      params: { source_similarity: 0.5 },
    });
    expect(p.code).toBe("validation_failed");
    expect(paths(p)).toContain("params");
    expect(JSON.stringify(p.errors)).toContain("source_similarity");
  });

  it("Tencent with a template → 422 naming inputs.template (it fuses into its material)", async () => {
    const p = await problem({
      operation: "face_fusion",
      vendor: "tencent",
      inputs: { target: await target(), template: await target() },
    });
    expect(paths(p)).toContain("inputs.template");
  });

  it("merges on a vendor other than Tencent → 422 naming inputs.merges", async () => {
    const p = await problem({
      operation: "face_fusion",
      vendor: "ailab",
      inputs: { merges: [{ image: await target() }], template: await target() },
    });
    expect(paths(p)).toContain("inputs.merges");
  });

  it("under auto, a key no candidate vendor knows is still refused", async () => {
    const p = await problem({
      operation: "face_fusion",
      inputs: { target: await target(), template: await target() },
      params: { similarity: 0.5 },
    });
    expect(JSON.stringify(p.errors)).toContain("similarity");
  });
});

/**
 * Under `auto` the API accepts the params of every candidate vendor; the worker must hand the
 * vendor that serves the job only the keys it knows (the adapters parse strictly). These run last:
 * they make vendors fail on purpose, which the circuit breakers count.
 */
describe('vendor "auto" and params meant for another vendor', () => {
  const fusion = async (params: Json) => ({
    operation: "face_fusion",
    vendor: "auto",
    inputs: { target: b64(await face(25)), template: b64(await face(205)) },
    params,
  });

  it("accepts params of any candidate, and AILab (first choice) gets its own", async () => {
    const { status, job } = await runJob(await fusion({ source_similarity: 0.6, fuse_face_degree: 40 }));
    expect(status).toBeLessThan(300);
    expect(job).toMatchObject({ status: "succeeded", vendor: { requested: "auto", used: "ailab" } });
  });

  it("fails over from AILab to Tencent, which is not given source_similarity", async () => {
    t.sim.configure("ailab", { script: [{ code: "ERROR_APPLICATIONS_NOT_EXISTS" }] });
    const { job } = await runJob(await fusion({ source_similarity: 0.6 }));
    expect(job).toMatchObject({ status: "succeeded", vendor: { used: "tencent" } });
    expect(job.routing).toEqual(
      expect.arrayContaining([expect.objectContaining({ vendor: "ailab", outcome: "failed_over" })]),
    );
    await expectStoredOutput(job, COMPOSITE);
  });

  it("reaches ai-gs, which takes no params at all, with source_similarity and fuse_face_degree set", async () => {
    t.sim.configure("ailab", { script: [{ code: "ERROR_USER_LOCKED" }] });
    t.sim.configure("tencent", { script: [{ code: "AuthFailure.SecretIdNotFound" }] });
    const { job } = await runJob(await fusion({ source_similarity: 0.6, fuse_face_degree: 40 }));
    expect(job).toMatchObject({ status: "succeeded", vendor: { used: "aigs" } });
    expect(job.routing.filter((n: Json) => n.outcome === "failed_over").map((n: Json) => n.vendor)).toEqual([
      "ailab",
      "tencent",
    ]);
  });
});
