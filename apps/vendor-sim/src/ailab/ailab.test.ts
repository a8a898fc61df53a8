import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startVendorSim, type VendorSim } from "../index";
import { type AilabEndpoint, type AilabJson, download, postAilab } from "../testing/clients";
import {
  blank,
  bmpFace,
  face,
  grayscaleFace,
  meanDifference,
  notAnImage,
  padded,
  sized,
  truncatedJpeg,
} from "../testing/fixtures";

// AILab's three endpoints over real HTTP: envelope, results, limits, auth, rate and credits.

let clock = Date.parse("2026-03-01T12:00:00Z");
let sim: VendorSim;
let target: Buffer;
let template: Buffer;

beforeAll(async () => {
  sim = await startVendorSim({ now: () => clock });
  target = await face({ hue: 20 });
  template = await face({ hue: 200, width: 400, height: 480 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const post = (
  endpoint: AilabEndpoint,
  fields: Record<string, string | Buffer>,
  key: string | null = sim.credentials.ailabApiKey,
) => postAilab(sim.urls.ailab, endpoint, fields, key);

function expectError(result: { status: number; json: AilabJson }, status: number, code: string) {
  expect(result.status).toBe(status);
  expect(result.json.error_code).toBe(status);
  expect(result.json.error_detail.status_code).toBe(status);
  expect(result.json.error_detail.code).toBe(code);
  expect(result.json.error_detail.code_message).not.toBe("");
  expect(typeof result.json.error_code_str).toBe("string");
  expect(typeof result.json.error_msg).toBe("string");
  expect(result.json.request_id).not.toBe("");
  expect(result.json.log_id).not.toBe("");
}

describe("AILab face fusion", () => {
  it("answers the full success envelope with a base64 JPEG sized like the template", async () => {
    const { status, json } = await post("face-fusion", { image_target: target, image_template: template });
    expect(status).toBe(200);
    expect(json).toMatchObject({
      error_code: 0,
      error_code_str: "",
      error_msg: "",
      error_detail: { status_code: 200, code: "", code_message: "", message: "" },
    });
    const image = Buffer.from(json.data.image ?? "", "base64");
    expect(await sharp(image).metadata()).toMatchObject({ format: "jpeg", width: 400, height: 480 });
    expect(sim.calls()).toMatchObject([
      { vendor: "ailab", operation: "face_fusion", credential: "key#1", status: 200 },
    ]);
  });

  it("follows source_similarity as the blend strength, and reads BMP", async () => {
    const fused = async (similarity: string, input = target) => {
      const { json } = await post("face-fusion", {
        image_target: input,
        image_template: template,
        source_similarity: similarity,
      });
      return Buffer.from(json.data.image ?? "", "base64");
    };
    const [low, high] = [await fused("0"), await fused("1")];
    expect(await meanDifference(low, template)).toBeLessThan(await meanDifference(high, template));
    expect(
      (await post("face-fusion", { image_target: await bmpFace(), image_template: template })).status,
    ).toBe(200);
  });

  it.each<[string, number, string, () => Promise<Record<string, string | Buffer>>]>([
    [
      "a black-and-white target",
      415,
      "ERROR_UNSUPPORTED_GRAYSCALE_IMAGE",
      async () => ({ image_target: await grayscaleFace(), image_template: template }),
    ],
    [
      "a blank target",
      422,
      "ERROR_NO_FACE_IN_FILE",
      async () => ({ image_target: await blank(), image_template: template }),
    ],
    [
      "a non-image target",
      422,
      "FILE_DECODING_FAILURE",
      async () => ({ image_target: notAnImage(), image_template: template }),
    ],
    [
      "a truncated JPEG",
      422,
      "FILE_DECODING_FAILURE",
      async () => ({ image_target: await truncatedJpeg(), image_template: template }),
    ],
    [
      "a WebP target",
      415,
      "UNSUPPORTED_FILE_TYPES",
      async () => ({ image_target: await sharp(target).webp().toBuffer(), image_template: template }),
    ],
    [
      "a 128 px target",
      422,
      "ERROR_LOW_RESOLUTION",
      async () => ({ image_target: await sized(128, 300), image_template: template }),
    ],
    [
      "a 200 px template",
      422,
      "ERROR_LOW_RESOLUTION",
      async () => ({ image_target: target, image_template: await sized(300, 200) }),
    ],
    [
      "a 4096 px target",
      413,
      "FILE_RESOLUTION_EXCEEDS_LIMITS",
      async () => ({ image_target: await sized(4096, 300), image_template: template }),
    ],
    [
      "a target over 4 MB",
      413,
      "FILE_SIZE_EXCEEDS_LIMIT",
      async () => ({ image_target: await padded(4 * 1024 * 1024), image_template: template }),
    ],
    ["no template", 400, "MISSING_PARAMETERS", async () => ({ image_target: target })],
    [
      "an empty file",
      400,
      "PARAMETERS_CANNOT_EMPTY",
      async () => ({ image_target: Buffer.alloc(0), image_template: template }),
    ],
    [
      "source_similarity 1.5",
      400,
      "ERROR_INVALID_PARAMETER",
      async () => ({ image_target: target, image_template: template, source_similarity: "1.5" }),
    ],
    [
      "source_similarity abc",
      400,
      "ERROR_INVALID_PARAMETER_FORMAT",
      async () => ({ image_target: target, image_template: template, source_similarity: "abc" }),
    ],
  ])("refuses %s with %i %s", async (_what, status, code, fields) => {
    expectError(await post("face-fusion", await fields()), status, code);
  });

  it("refuses a body that is not multipart with 400 ERROR_PARAMETERS", async () => {
    const response = await fetch(`${sim.urls.ailab}/api/portrait/effects/face-fusion`, {
      method: "POST",
      headers: { "ailabapi-api-key": sim.credentials.ailabApiKey, "Content-Type": "application/json" },
      body: "{}",
    });
    expectError(
      { status: response.status, json: (await response.json()) as AilabJson },
      400,
      "ERROR_PARAMETERS",
    );
  });
  it("refuses a body cut off inside a file part as malformed, and keeps serving", async () => {
    const head =
      '--xyz\r\nContent-Disposition: form-data; name="image_target"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n';
    const response = await fetch(`${sim.urls.ailab}/api/portrait/effects/face-fusion`, {
      method: "POST",
      headers: {
        "ailabapi-api-key": sim.credentials.ailabApiKey,
        "Content-Type": "multipart/form-data; boundary=xyz",
      },
      body: Buffer.concat([Buffer.from(head), target.subarray(0, 500)]),
    });
    expectError(
      { status: response.status, json: (await response.json()) as AilabJson },
      400,
      "ERROR_INVALID_PARAMETER_FORMAT",
    );
    expect((await post("face-fusion", { image_target: target, image_template: template })).status).toBe(200);
  });
});

describe("AILab emotion editor", () => {
  it("answers a different picture for every expression code", async () => {
    const results: Buffer[] = [];
    for (const code of [10, 11, 12, 13, 14, 15, 16, 100]) {
      const { status, json } = await post("emotion-editor", {
        image_target: target,
        service_choice: String(code),
      });
      expect(status).toBe(200);
      results.push(Buffer.from(json.data.image ?? "", "base64"));
    }
    expect(await sharp(results[0]).metadata()).toMatchObject({ format: "jpeg", width: 320, height: 400 });
    for (let i = 0; i < results.length; i++) {
      for (let j = i + 1; j < results.length; j++) {
        expect(await meanDifference(results[i] as Buffer, results[j] as Buffer)).toBeGreaterThan(1);
      }
    }
  });

  it("accepts black and white but checks service_choice", async () => {
    expect(
      (await post("emotion-editor", { image_target: await grayscaleFace(), service_choice: "15" })).status,
    ).toBe(200);
    expectError(
      await post("emotion-editor", { image_target: target, service_choice: "17" }),
      400,
      "UNSUPPORTED_PARAMETER_VALUES",
    );
    expectError(await post("emotion-editor", { image_target: target }), 400, "MISSING_PARAMETERS");
    expectError(
      await post("emotion-editor", { image_target: await bmpFace(), service_choice: "10" }),
      415,
      "UNSUPPORTED_FILE_TYPES",
    );
  });
});

describe("AILab face slimming", () => {
  it("answers an image_url kept 24 hours, then 404", async () => {
    const { status, json } = await post("smart-face-slimming", { image: target, slim_degree: "2" });
    expect(status).toBe(200);
    const url = json.data.image_url ?? "";
    expect(url).toMatch(/\/ailab\/results\/[0-9a-f]{32}\.jpg$/);
    const result = await download(url);
    expect(await sharp(result.bytes).metadata()).toMatchObject({ format: "jpeg", width: 320, height: 400 });
    expect(await meanDifference(result.bytes, target)).toBeGreaterThan(2);
    clock += 24 * 3_600_000 - 1;
    expect((await download(url)).status).toBe(200);
    clock += 1;
    expect((await download(url)).status).toBe(404);
  });

  it("checks slim_degree and the 6 MB / 5000 px limits", async () => {
    expectError(
      await post("smart-face-slimming", { image: target, slim_degree: "2.5" }),
      400,
      "ERROR_INVALID_FACE_SLIMMING_PARAMETER",
    );
    expectError(
      await post("smart-face-slimming", { image: await padded(6 * 1024 * 1024) }),
      413,
      "FILE_SIZE_EXCEEDS_LIMIT",
    );
    expect((await post("smart-face-slimming", { image: await sized(4999, 200) })).status).toBe(200);
    expectError(
      await post("smart-face-slimming", { image: await sized(5000, 200) }),
      413,
      "FILE_RESOLUTION_EXCEEDS_LIMITS",
    );
  });
});

describe("AILab account", () => {
  it("refuses a missing or wrong key with 401 ERROR_APPLICATIONS_NOT_EXISTS", async () => {
    expectError(
      await post("emotion-editor", { image_target: target, service_choice: "10" }, null),
      401,
      "ERROR_APPLICATIONS_NOT_EXISTS",
    );
    expectError(
      await post("emotion-editor", { image_target: target, service_choice: "10" }, "nope"),
      401,
      "ERROR_APPLICATIONS_NOT_EXISTS",
    );
    expect(sim.calls().map((c) => c.credential)).toEqual(["none", "unknown"]);
  });

  it("has no rate limit by default, and answers 429 EXCEEDING_LIMITS above a configured one", async () => {
    const cheap = () => post("emotion-editor", { service_choice: "10" });
    for (let i = 0; i < 30; i++) expect((await cheap()).status).toBe(400);
    sim.configure("ailab", { rateLimitPerSecond: 2 });
    clock += 1000;
    expect((await cheap()).status).toBe(400);
    expect((await cheap()).status).toBe(400);
    expectError(await cheap(), 429, "EXCEEDING_LIMITS");
  });

  it("bills the documented credits and answers 429 ERROR_NOT_ENOUGH_CREDITS when short", async () => {
    sim.configure("ailab", { credits: { [sim.credentials.ailabApiKey]: 13 } });
    expect((await post("smart-face-slimming", { image: target })).status).toBe(200);
    expect(sim.config("ailab").credits[sim.credentials.ailabApiKey]).toBe(8);
    expectError(
      await post("emotion-editor", { image_target: target, service_choice: "10" }),
      429,
      "ERROR_NOT_ENOUGH_CREDITS",
    );
    expect((await post("face-fusion", { image_target: target, image_template: template })).status).toBe(200);
    expectError(await post("smart-face-slimming", { image: target }), 429, "ERROR_NOT_ENOUGH_CREDITS");
  });
});
