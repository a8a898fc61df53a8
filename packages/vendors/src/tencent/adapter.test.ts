import { describe, expect, it } from "vitest";
import {
  type Handler,
  image,
  JPEG,
  PNG,
  type SeenRequest,
  sendJson,
  startServer,
} from "../testing/canned-server";
import { closedAfterEach } from "../testing/closed-after-each";
import { vendorFailure } from "../testing/vendor-failure";
import type { VendorRequest } from "../types";
import { TencentAdapter, type TencentAdapterConfig } from "./adapter";
import { tc3Sign } from "./sign";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const REQUEST_ID = "1a2e88a4-3614-48a0-96b9-d09bf6de2fe4";
const opened = closedAfterEach();

async function setup(handler: Handler, config: Partial<TencentAdapterConfig> = {}) {
  const server = opened(await startServer(handler));
  const adapter = opened(
    new TencentAdapter(
      {
        secretId: "AKIDtest",
        secretKey: "test-secret-key",
        region: "ap-shanghai",
        endpoint: server.url,
        projectId: "at_1",
        modelId: "mt_1",
        timeoutMs: 5_000,
        ...config,
      },
      { now: () => NOW },
    ),
  );
  return { server, adapter };
}

const ok = (fused = "https://fusion.example.com/result.jpg") => ({
  Response: { FusedImage: fused, RequestId: REQUEST_ID },
});
const err = (Code: string) => ({
  Response: { Error: { Code, Message: `message for ${Code}` }, RequestId: REQUEST_ID },
});

const fuse = (params: Record<string, unknown> = {}, extra: Partial<VendorRequest> = {}): VendorRequest => ({
  operation: "face_fusion",
  target: image(JPEG),
  params,
  credential: 0,
  ...extra,
});

/** What Tencent does on receipt: recompute the signature from what arrived. */
function verifySignature(req: SeenRequest, secretKey: string): boolean {
  const auth =
    /^TC3-HMAC-SHA256 Credential=([^/]+)\/([\d-]+)\/(\w+)\/tc3_request, SignedHeaders=([\w;-]+), Signature=([0-9a-f]{64})$/.exec(
      String(req.headers.authorization),
    );
  if (!auth) return false;
  const expected = tc3Sign({
    secretId: auth[1]!,
    secretKey,
    service: auth[3]!,
    host: String(req.headers.host),
    timestamp: Number(req.headers["x-tc-timestamp"]),
    contentType: String(req.headers["content-type"]),
    payload: req.body,
    action: String(req.headers["x-tc-action"]),
    version: String(req.headers["x-tc-version"]),
    region: String(req.headers["x-tc-region"]),
  });
  return auth[4] === "content-type;host" && expected.signature === auth[5];
}

describe("TencentAdapter requests", () => {
  it("sends a TC3-signed FuseFace POST that verifies, and returns a URL kept 7 days", async () => {
    const { server, adapter } = await setup((_req, res) => sendJson(res, 200, ok()));
    const result = await adapter.call(fuse({ template_face_id: "mt_1_1", fuse_face_degree: 80 }));

    const req = server.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/");
    expect(req.headers).toMatchObject({
      "x-tc-action": "FuseFace",
      "x-tc-version": "2022-09-27",
      "x-tc-region": "ap-shanghai",
      "x-tc-timestamp": String(NOW / 1000),
      "content-type": "application/json",
      host: new URL(server.url).host,
    });
    expect(verifySignature(req, "test-secret-key")).toBe(true);
    expect(verifySignature(req, "wrong-key")).toBe(false);
    expect(JSON.parse(req.body.toString())).toEqual({
      ProjectId: "at_1",
      ModelId: "mt_1",
      RspImgType: "url",
      MergeInfos: [{ Image: JPEG.toString("base64"), TemplateFaceID: "mt_1_1" }],
      FuseFaceDegree: 80,
      LogoAdd: 1,
    });
    expect(result).toEqual({
      kind: "url",
      url: "https://fusion.example.com/result.jpg",
      expiresAt: NOW + 7 * 86_400_000,
    });
  });

  it("takes project and model from params, LogoAdd 0 on request, and several faces from merges", async () => {
    const { server, adapter } = await setup((_req, res) => sendJson(res, 200, ok()));
    await adapter.call(
      fuse(
        { project_id: "at_2", model_id: "mt_2", logo_add: 0, fuse_profile_degree: 0 },
        {
          target: undefined,
          merges: [
            {
              image: image(JPEG),
              templateFaceId: "mt_2_1",
              inputFaceRect: { x: 1, y: 2, width: 40, height: 50 },
            },
            { image: image(PNG, "image/png"), templateFaceRect: { x: 5, y: 6, width: 30, height: 31 } },
          ],
        },
      ),
    );
    expect(JSON.parse(server.requests[0]!.body.toString())).toEqual({
      ProjectId: "at_2",
      ModelId: "mt_2",
      RspImgType: "url",
      MergeInfos: [
        {
          Image: JPEG.toString("base64"),
          TemplateFaceID: "mt_2_1",
          InputImageFaceRect: { X: 1, Y: 2, Width: 40, Height: 50 },
        },
        { Image: PNG.toString("base64"), TemplateFaceRect: { X: 5, Y: 6, Width: 30, Height: 31 } },
      ],
      FuseProfileDegree: 0,
      LogoAdd: 0,
    });
  });

  it("decodes a base64 FusedImage when configured for base64", async () => {
    const { adapter } = await setup((_req, res) => sendJson(res, 200, ok(PNG.toString("base64"))), {
      rspImgType: "base64",
    });
    expect(await adapter.call(fuse())).toEqual({ kind: "bytes", bytes: PNG, contentType: "image/png" });
  });

  it("refuses what it cannot send, without calling", async () => {
    const { server, adapter } = await setup((_req, res) => sendJson(res, 200, ok()));
    const seven = Array.from({ length: 7 }, () => ({ image: image() }));
    expect(await vendorFailure(adapter.call(fuse({}, { merges: seven })))).toMatchObject({
      code: "invalid_request",
    });
    expect(await vendorFailure(adapter.call(fuse({}, { target: undefined })))).toMatchObject({
      kind: "input",
    });
    expect(await vendorFailure(adapter.call(fuse({ logo_add: 2 })))).toMatchObject({
      code: "invalid_request",
    });
    const huge = image(Buffer.concat([JPEG, Buffer.alloc(7_600_000)]));
    expect(await vendorFailure(adapter.call(fuse({}, { target: huge })))).toMatchObject({
      kind: "input",
      code: "image_too_large",
    });
    expect(server.requests).toHaveLength(0);
  });

  it("needs a project and a model id", async () => {
    const { adapter } = await setup((_req, res) => sendJson(res, 200, ok()), { projectId: undefined });
    expect(await vendorFailure(adapter.call(fuse()))).toMatchObject({
      kind: "config",
      code: "vendor_config_error",
    });
  });
});

describe("TencentAdapter errors", () => {
  it.each([
    ["RequestLimitExceeded", "rate_limited", "vendor_rate_limited"],
    ["FailedOperation.FuseFreqCtrl", "rate_limited", "vendor_rate_limited"],
    ["FailedOperation.NoFaceDetected", "input", "no_face_detected"],
    ["AuthFailure.SignatureFailure", "auth", "vendor_auth_failed"],
    ["FailedOperation.BalanceInsufficient", "quota", "vendor_quota_exhausted"],
    ["InvalidParameterValue.MaterialIdNotFound", "config", "vendor_config_error"],
    ["InternalError", "transient", "vendor_unavailable"],
  ])("reads %s out of an HTTP 200 error envelope → %s / %s", async (code, kind, normalised) => {
    const { adapter } = await setup((_req, res) => sendJson(res, 200, err(code)));
    const error = await vendorFailure(adapter.call(fuse()));
    expect(error).toMatchObject({
      vendor: "tencent",
      kind,
      code: normalised,
      vendorCode: code,
      scope: "vendor",
    });
    expect(error.message).toBe(`message for ${code}`);
  });

  it("treats any non-200 as transient, whatever the body", async () => {
    const { adapter } = await setup((_req, res) => sendJson(res, 502, err("AuthFailure.SecretIdNotFound")));
    expect(await vendorFailure(adapter.call(fuse()))).toMatchObject({
      kind: "transient",
      code: "vendor_unavailable",
      vendorCode: "http_502",
    });
  });

  it("on SignatureExpire, retries later signed on Tencent's clock (from its Date header)", async () => {
    const tencentNow = NOW + 10 * 60_000;
    const { server, adapter } = await setup((_req, res, index) =>
      index === 0
        ? sendJson(res, 200, err("AuthFailure.SignatureExpire"), { date: new Date(tencentNow).toUTCString() })
        : sendJson(res, 200, ok()),
    );
    expect(await vendorFailure(adapter.call(fuse()))).toMatchObject({
      kind: "transient",
      vendorCode: "AuthFailure.SignatureExpire",
    });
    await adapter.call(fuse());
    expect(server.requests[1]!.headers["x-tc-timestamp"]).toBe(String(tencentNow / 1000));
    expect(verifySignature(server.requests[1]!, "test-secret-key")).toBe(true);
  });

  it.each([
    ["not JSON", "<html>oops</html>"],
    ["no Response", JSON.stringify({ FusedImage: "https://x/y.jpg" })],
    ["no FusedImage", JSON.stringify({ Response: { RequestId: REQUEST_ID } })],
    ["a FusedImage that is not a URL", JSON.stringify(ok("result.jpg"))],
    [
      "an Error without Code",
      JSON.stringify({ Response: { Error: { Message: "?" }, RequestId: REQUEST_ID } }),
    ],
  ])("answers %s as transient malformed_response", async (_name, text) => {
    const { adapter } = await setup((_req, res) => sendJson(res, 200, text));
    expect(await vendorFailure(adapter.call(fuse()))).toMatchObject({
      kind: "transient",
      code: "vendor_unavailable",
      vendorCode: "malformed_response",
    });
  });
});
