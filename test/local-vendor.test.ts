import { faceFixture } from "@facegate/faces";
import { readDigitalSourceType } from "@facegate/images";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForFinal } from "./support/images";
import { startTestSystem, type TestSystem } from "./support/system";

/**
 * `vendor: "local"` end to end: a job through the API and the worker's `vendor-local` queue,
 * fused on the CPU, stored in S3 and marked as AI-generated, with no simulated vendor called;
 * `auto` does not use it while VENDOR_PREFERENCE leaves it out; expressions are refused.
 */

type Json = Record<string, any>;
const b64 = (bytes: Buffer) => ({ base64: bytes.toString("base64") });

let t: TestSystem;
beforeAll(async () => {
  t = await startTestSystem();
});
afterAll(async () => {
  await t?.close();
});

async function post(body: Json): Promise<{ status: number; json: Json }> {
  const res = await t.postJson("/v1/jobs", body);
  return { status: res.status, json: (await res.json()) as Json };
}

describe("vendor local", () => {
  it("fuses a real photo into a template, stores and marks the result, calls no vendor", async () => {
    const { status, json } = await post({
      operation: "face_fusion",
      vendor: "local",
      inputs: { target: b64(faceFixture("portraitA")), template: b64(faceFixture("portraitB")) },
    });
    expect(status).toBe(202);
    const job = (await waitForFinal(t.api, json.id, 60_000)) as Json;
    expect(job.status, JSON.stringify(job.error)).toBe("succeeded");
    expect(job.vendor).toEqual({ requested: "local", used: "local" });
    expect(job.output).toMatchObject({ width: 480, height: 560, content_type: "image/jpeg" });
    const redirect = await t.api(`/v1/jobs/${job.id}/output`);
    const bytes = Buffer.from(await (await fetch(redirect.headers.get("location")!)).arrayBuffer());
    expect((await sharp(bytes).metadata()).format).toBe("jpeg");
    expect(readDigitalSourceType(bytes)).toMatch(/compositeWithTrainedAlgorithmicMedia$/);
    expect(t.sim.calls()).toHaveLength(0);
  });

  it("is not chosen by auto unless VENDOR_PREFERENCE names it", async () => {
    const { json } = await post({
      operation: "face_slimming",
      inputs: { target: b64(faceFixture("portraitC")) },
    });
    const job = (await waitForFinal(t.api, json.id, 60_000)) as Json;
    expect(job.vendor.used).toBe("ailab");
  });

  it("refuses expressions with unsupported_operation", async () => {
    const { status, json } = await post({
      operation: "expression",
      vendor: "local",
      inputs: { target: b64(faceFixture("portraitC")) },
      params: { expression: "sad" },
    });
    expect(status).toBe(422);
    expect(json.code).toBe("unsupported_operation");
  });
});
