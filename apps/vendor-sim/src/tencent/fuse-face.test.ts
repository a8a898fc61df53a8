import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startVendorSim, type VendorSim } from "../index";
import { download, fileServer } from "../testing/clients";
import { blank, face, grayscaleFace, meanDifference, notAnImage, padded, sized } from "../testing/fixtures";
import { callTencent } from "../testing/tencent-client";

// FuseFace behaviour once admitted: parameters, materials, image limits, the result and its URL.

const DAY_MS = 86_400_000;
let clock = Date.parse("2026-03-01T12:00:00Z");
let sim: VendorSim;
let files: Awaited<ReturnType<typeof fileServer>>;
let target: string;

beforeAll(async () => {
  sim = await startVendorSim({ now: () => clock });
  target = (await face()).toString("base64");
  files = await fileServer({ "face.jpg": await face({ hue: 90 }), "blank.jpg": await blank() });
});
afterAll(async () => {
  await sim.close();
  await files.close();
});
beforeEach(() => sim.reset());

function fuse(body: Record<string, unknown>) {
  const c = sim.credentials;
  return callTencent({
    endpoint: sim.urls.tencent,
    secretId: c.tencentSecretId,
    secretKey: c.tencentSecretKey,
    timestamp: Math.floor(clock / 1000),
    body: { ProjectId: c.tencentProjectId, ModelId: c.tencentModelId, RspImgType: "base64", ...body },
  });
}

async function fusedImage(body: Record<string, unknown>): Promise<Buffer> {
  const { json } = await fuse(body);
  if (json.Response.Error) throw new Error(json.Response.Error.Code);
  return Buffer.from(json.Response.FusedImage ?? "", "base64");
}

describe("FuseFace", () => {
  it("answers a URL that serves the fused JPEG for 7 days, then 403", async () => {
    const { json } = await fuse({ RspImgType: "url", MergeInfos: [{ Image: target }] });
    const url = json.Response.FusedImage ?? "";
    const result = await download(url);
    expect(result.status).toBe(200);
    expect(result.contentType).toBe("image/jpeg");
    expect(await sharp(result.bytes).metadata()).toMatchObject({ format: "jpeg", width: 720, height: 540 });
    clock += 7 * DAY_MS - 1000;
    expect((await download(url)).status).toBe(200);
    clock += 2000;
    expect((await download(url)).status).toBe(403);
  });

  it("answers base64, PNG for a PNG input, and hashes the first MergeInfo", async () => {
    const png = await face({ format: "png" });
    const image = await fusedImage({ MergeInfos: [{ Image: png.toString("base64") }, { Image: target }] });
    expect((await sharp(image).metadata()).format).toBe("png");
    const [logged] = sim.calls();
    expect(logged?.targetSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("adds the AI mark in the bottom-right corner unless LogoAdd is 0", async () => {
    const merge = [{ Image: target }];
    const withMark = await fusedImage({ MergeInfos: merge });
    const without = await fusedImage({ MergeInfos: merge, LogoAdd: 0 });
    const corner = (img: Buffer) =>
      sharp(img).extract({ left: 600, top: 470, width: 120, height: 70 }).png().toBuffer();
    const middle = (img: Buffer) =>
      sharp(img).extract({ left: 0, top: 0, width: 300, height: 300 }).png().toBuffer();
    expect(await meanDifference(await corner(withMark), await corner(without))).toBeGreaterThan(10);
    expect(await meanDifference(await middle(withMark), await middle(without))).toBeLessThan(1);
  });

  it("blends more of the user's face as FuseFaceDegree grows", async () => {
    const template = await fusedImage({ MergeInfos: [{ Image: target }], FuseFaceDegree: 0, LogoAdd: 0 });
    const strong = await fusedImage({ MergeInfos: [{ Image: target }], FuseFaceDegree: 100, LogoAdd: 0 });
    const profile = await fusedImage({
      MergeInfos: [{ Image: target }],
      FuseFaceDegree: 100,
      FuseProfileDegree: 0,
      LogoAdd: 0,
    });
    // Compare inside the largest template face, where the user's face goes.
    const faceRegion = (img: Buffer) =>
      sharp(img).extract({ left: 36, top: 83, width: 288, height: 374 }).png().toBuffer();
    const diff = async (a: Buffer, b: Buffer) => meanDifference(await faceRegion(a), await faceRegion(b));
    expect(await diff(template, strong)).toBeGreaterThan(2);
    expect(await diff(strong, profile)).toBeGreaterThan(0.5);
  });

  it("downloads Url inputs, and Url wins over Image", async () => {
    expect(
      (await fuse({ MergeInfos: [{ Url: `${files.url}/face.jpg` }] })).json.Response.Error,
    ).toBeUndefined();
    const both = await fuse({ MergeInfos: [{ Url: `${files.url}/blank.jpg`, Image: target }] });
    expect(both.json.Response.Error?.Code).toBe("FailedOperation.NoFaceDetected");
  });

  it.each<[string, string, () => Promise<Record<string, unknown>>]>([
    [
      "an unknown activity",
      "InvalidParameterValue.ActivityIdNotFound",
      async () => ({ ProjectId: "at_nope", MergeInfos: [{ Image: target }] }),
    ],
    [
      "an unknown material",
      "InvalidParameterValue.MaterialIdNotFound",
      async () => ({ ModelId: "mt_nope", MergeInfos: [{ Image: target }] }),
    ],
    [
      "an unknown template face",
      "FailedOperation.TemplateFaceIDNotExist",
      async () => ({ MergeInfos: [{ Image: target, TemplateFaceID: "mt_sim_model_9" }] }),
    ],
    [
      "a face rect under 30 px",
      "InvalidParameterValue.FaceRectParameterValueError",
      async () => ({
        MergeInfos: [{ Image: target, InputImageFaceRect: { X: 0, Y: 0, Width: 29, Height: 80 } }],
      }),
    ],
    [
      "a face under 34 px",
      "FailedOperation.FaceSizeTooSmall",
      async () => ({
        MergeInfos: [{ Image: target, InputImageFaceRect: { X: 0, Y: 0, Width: 32, Height: 32 } }],
      }),
    ],
    [
      "a face rect beyond the image",
      "FailedOperation.FaceExceedBorder",
      async () => ({
        MergeInfos: [{ Image: target, InputImageFaceRect: { X: 300, Y: 0, Width: 100, Height: 100 } }],
      }),
    ],
    [
      "seven MergeInfos",
      "InvalidParameterValue.ParameterValueError",
      async () => ({ MergeInfos: Array(7).fill({ Image: target }) }),
    ],
    ["no MergeInfos", "MissingParameter", async () => ({ MergeInfos: undefined })],
    [
      "a MergeInfo with neither Url nor Image",
      "InvalidParameterValue.ImageEmpty",
      async () => ({ MergeInfos: [{}] }),
    ],
    ["an unknown parameter", "UnknownParameter", async () => ({ MergeInfos: [{ Image: target }], Extra: 1 })],
    [
      "a degree as a string",
      "InvalidParameter",
      async () => ({ MergeInfos: [{ Image: target }], FuseFaceDegree: "50" }),
    ],
    [
      "a degree over 100",
      "InvalidParameterValue.ParameterValueError",
      async () => ({ MergeInfos: [{ Image: target }], FuseFaceDegree: 101 }),
    ],
    [
      "RspImgType png",
      "InvalidParameterValue.ParameterValueError",
      async () => ({ RspImgType: "png", MergeInfos: [{ Image: target }] }),
    ],
    [
      "a malformed URL",
      "InvalidParameterValue.UrlIllegal",
      async () => ({ MergeInfos: [{ Url: "ftp://x/y.jpg" }] }),
    ],
    [
      "an unreachable URL",
      "FailedOperation.ImageDownloadError",
      async () => ({ MergeInfos: [{ Url: `${files.url}/missing.jpg` }] }),
    ],
    [
      "bytes that are not an image",
      "FailedOperation.ImageDecodeFailed",
      async () => ({ MergeInfos: [{ Image: notAnImage().toString("base64") }] }),
    ],
    [
      "invalid base64",
      "FailedOperation.ImageDecodeFailed",
      async () => ({ MergeInfos: [{ Image: "data:image/jpeg;base64,AAAA" }] }),
    ],
    [
      "a blank image",
      "FailedOperation.NoFaceDetected",
      async () => ({ MergeInfos: [{ Image: (await blank()).toString("base64") }] }),
    ],
    [
      "a 64 px side",
      "FailedOperation.ImageResolutionTooSmall",
      async () => ({ MergeInfos: [{ Image: (await sized(64, 200)).toString("base64") }] }),
    ],
    [
      "a 4096 px side",
      "FailedOperation.ImageSizeInvalid",
      async () => ({ MergeInfos: [{ Image: (await sized(4096, 100)).toString("base64") }] }),
    ],
    [
      "base64 over 5 MB",
      "FailedOperation.ImageSizeExceed",
      async () => ({ MergeInfos: [{ Image: (await padded(3_950_000)).toString("base64") }] }),
    ],
  ])("answers %s with %s", async (_what, code, body) => {
    const { status, json } = await fuse(await body());
    expect(status).toBe(200);
    expect(json.Response.Error?.Code).toBe(code);
  });

  it("accepts black-and-white inputs and names template faces explicitly", async () => {
    const gray = (await grayscaleFace()).toString("base64");
    const [first, second] = sim.credentials.tencentFaceIds;
    const { json } = await fuse({
      MergeInfos: [
        { Image: gray, TemplateFaceID: second },
        { Image: target, TemplateFaceID: first },
      ],
    });
    expect(json.Response.Error).toBeUndefined();
  });

  it("places a custom logo in LogoRect and checks LogoParam and FuseParam", async () => {
    const logo = (await sized(80, 40, "png")).toString("base64");
    const LogoParam = { LogoRect: { X: 10, Y: 10, Width: 80, Height: 40 }, LogoImage: logo };
    const FuseParam = { ImageCodecParam: { MetaData: [{ MetaKey: "aigc", MetaValue: "1" }] } };
    expect(
      (await fuse({ MergeInfos: [{ Image: target }], LogoParam, FuseParam })).json.Response.Error,
    ).toBeUndefined();
    const wide = { ...LogoParam, LogoRect: { X: 0, Y: 0, Width: 2161, Height: 40 } };
    expect((await fuse({ MergeInfos: [{ Image: target }], LogoParam: wide })).json.Response.Error?.Code).toBe(
      "InvalidParameterValue.ParameterValueError",
    );
    const twoMeta = {
      ImageCodecParam: {
        MetaData: [FuseParam.ImageCodecParam.MetaData[0], { MetaKey: "b", MetaValue: "2" }],
      },
    };
    expect(
      (await fuse({ MergeInfos: [{ Image: target }], FuseParam: twoMeta })).json.Response.Error?.Code,
    ).toBe("InvalidParameterValue.ParameterValueError");
  });

  it("answers RequestSizeLimitExceeded above 10 MB", async () => {
    const { json } = await fuse({ MergeInfos: [{ Image: "A".repeat(10 * 1024 * 1024) }] });
    expect(json.Response.Error?.Code).toBe("RequestSizeLimitExceeded");
  });
});
