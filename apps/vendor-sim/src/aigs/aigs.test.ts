import { createHash } from "node:crypto";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startVendorSim, type VendorSim } from "../index";
import { type AigsJson, download, fileServer, postAigs } from "../testing/clients";
import { blank, face, notAnImage, padded, sized } from "../testing/fixtures";

// ai-gs faceswap over real HTTP: both input styles, result URL lifetime, every natural error.

const DAY_MS = 86_400_000;
let clock = Date.parse("2026-03-01T12:00:00Z");
let sim: VendorSim;
let files: Awaited<ReturnType<typeof fileServer>>;
let target: Buffer;
let template: Buffer;

beforeAll(async () => {
  sim = await startVendorSim({ now: () => clock });
  target = await face({ hue: 20 });
  template = await face({ hue: 200, width: 360, height: 440 });
  files = await fileServer({ "target.jpg": target, "template.jpg": template, "blank.jpg": await blank() });
});
afterAll(async () => {
  await sim.close();
  await files.close();
});
beforeEach(() => {
  sim.reset();
  // Most tests here are not about the 1 request/s limit; each starts in a fresh second.
  clock += 1000;
});

const token = () => sim.credentials.aigsTokens[0] ?? "";
const b64 = (image: Buffer, tpl: Buffer = template) => ({
  image_base64: image.toString("base64"),
  template_base64: tpl.toString("base64"),
});

function expectError(
  result: { status: number; json: AigsJson },
  status: number,
  code: string,
  withTaskId: boolean,
) {
  expect(result.status).toBe(status);
  expect(result.json.code).toBe(code);
  expect(result.json.detail).toEqual(expect.any(String));
  if (withTaskId) expect(result.json.task_id).toMatch(/^[0-9a-f-]{36}$/);
  else expect(result.json.task_id).toBeUndefined();
}

describe("ai-gs faceswap", () => {
  it("swaps base64 inputs and serves the JPEG for 7 days, then 404", async () => {
    const { status, json } = await postAigs(sim.urls.aigs, token(), b64(target));
    expect(status).toBe(200);
    expect(json).toEqual({ code: "success", image_url: expect.any(String), task_id: expect.any(String) });
    const url = json.image_url ?? "";
    const result = await download(url);
    expect(await sharp(result.bytes).metadata()).toMatchObject({ format: "jpeg", width: 360, height: 440 });
    clock += 7 * DAY_MS - 1;
    expect((await download(url)).status).toBe(200);
    clock += 1;
    expect((await download(url)).status).toBe(404);
  });

  it("downloads URL inputs and logs the target's hash", async () => {
    const { status } = await postAigs(sim.urls.aigs, token(), {
      image_url: `${files.url}/target.jpg`,
      template_url: `${files.url}/template.jpg`,
    });
    expect(status).toBe(200);
    const [logged] = sim.calls();
    expect(logged).toMatchObject({
      vendor: "aigs",
      operation: "face_fusion",
      credential: "token#1",
      status: 200,
    });
    expect(logged?.targetSha256).toBe(createHash("sha256").update(target).digest("hex"));
  });

  it.each<[string, number, string, () => Promise<unknown>]>([
    ["no image", 401, "invalid_post", async () => ({ template_url: "http://x/t.jpg" })],
    ["no template", 401, "invalid_post", async () => ({ image_base64: target.toString("base64") })],
    [
      "mixed URL and base64",
      401,
      "invalid_post",
      async () => ({ image_url: `${files.url}/target.jpg`, template_base64: "AAAA" }),
    ],
    ["a body that is not JSON", 401, "invalid_post", async () => "image_url=x"],
    [
      "an unreachable image URL",
      402,
      "invalid_input_image",
      async () => ({ image_url: `${files.url}/none.jpg`, template_url: `${files.url}/template.jpg` }),
    ],
    ["bytes that are not an image", 402, "invalid_input_image", async () => b64(notAnImage())],
    ["a blank target", 402, "no_face_detected", async () => b64(await blank())],
    [
      "a blank template (by URL)",
      402,
      "no_face_detected",
      async () => ({ image_url: `${files.url}/target.jpg`, template_url: `${files.url}/blank.jpg` }),
    ],
    ["a 49 px target", 402, "image_size_limited", async () => b64(await sized(49, 200))],
    ["a 2049 px target", 402, "image_size_limited", async () => b64(await sized(2049, 200))],
    ["a target over 5 MB", 402, "image_size_limited", async () => b64(await padded(5 * 1024 * 1024))],
    [
      "a template of 5 MB",
      402,
      "image_size_limited",
      async () => b64(target, await padded(5 * 1024 * 1024 - 1)),
    ],
  ])("answers %s with %i %s", async (_what, status, code, body) => {
    expectError(await postAigs(sim.urls.aigs, token(), await body()), status, code, status === 402);
  });

  it("tells a blank template apart from a blank target in the detail", async () => {
    const { json } = await postAigs(sim.urls.aigs, token(), b64(target, await blank()));
    expect(json.detail).toBe("no face detected in template.");
  });

  it("accepts the documented pixel bounds exactly", async () => {
    expect((await postAigs(sim.urls.aigs, token(), b64(await sized(50, 2048)))).status).toBe(200);
  });
});

describe("ai-gs account", () => {
  it("answers 401 no_token without a token and 403 invalid_api_key for a wrong one", async () => {
    expectError(await postAigs(sim.urls.aigs, null, b64(target)), 401, "no_token", false);
    expectError(await postAigs(sim.urls.aigs, "nope", b64(target)), 403, "invalid_api_key", false);
  });

  it("allows each token 1 request per second, counting only authenticated requests", async () => {
    const [first, second] = sim.credentials.aigsTokens;
    const cheap = (t: string | undefined) => postAigs(sim.urls.aigs, t ?? "", {});
    for (let i = 0; i < 3; i++) await cheap("nope");
    expectError(await cheap(first), 401, "invalid_post", false);
    expectError(await cheap(first), 402, "request_rate_limit", true);
    expectError(await cheap(second), 401, "invalid_post", false);
    clock += 999;
    expectError(await cheap(first), 402, "request_rate_limit", true);
    clock += 1;
    expectError(await cheap(first), 401, "invalid_post", false);
    sim.configure("aigs", { rateLimitPerSecond: 3 });
    expectError(await cheap(first), 401, "invalid_post", false);
    expectError(await cheap(first), 401, "invalid_post", false);
    expectError(await cheap(first), 402, "request_rate_limit", true);
  });

  it("answers 403 used_up when the token's credits run out", async () => {
    sim.configure("aigs", { credits: { [token()]: 1 }, rateLimitPerSecond: null });
    expect((await postAigs(sim.urls.aigs, token(), b64(target))).status).toBe(200);
    expectError(await postAigs(sim.urls.aigs, token(), b64(target)), 403, "used_up", false);
    expect((await postAigs(sim.urls.aigs, sim.credentials.aigsTokens[1] ?? "", b64(target))).status).toBe(
      200,
    );
  });
});
