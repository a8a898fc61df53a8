import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startVendorSim, type VendorSim } from "../index";
import { face } from "../testing/fixtures";
import { callTencent, signTc3, type TencentCallOptions } from "../testing/tencent-client";

// Admission of FuseFace calls: common parameters, TC3 signature, clock skew, rate limit, credits.

let clock = Date.parse("2026-03-01T12:00:00Z");
let sim: VendorSim;
let target: string;

beforeAll(async () => {
  sim = await startVendorSim({ now: () => clock });
  target = (await face()).toString("base64");
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const seconds = () => Math.floor(clock / 1000);

function call(overrides: Partial<TencentCallOptions> = {}) {
  const c = sim.credentials;
  return callTencent({
    endpoint: sim.urls.tencent,
    secretId: c.tencentSecretId,
    secretKey: c.tencentSecretKey,
    timestamp: seconds(),
    body: {
      ProjectId: c.tencentProjectId,
      ModelId: c.tencentModelId,
      RspImgType: "url",
      MergeInfos: [{ Image: target }],
    },
    ...overrides,
  });
}

/** A call that passes admission but is refused by parameter checks: cheap, and still counted. */
const cheapCall = () => call({ body: { ProjectId: "x" } });

describe("Tencent admission", () => {
  it("accepts a correctly signed call", async () => {
    const { status, json } = await call();
    expect(status).toBe(200);
    expect(json.Response.Error).toBeUndefined();
    expect(json.Response.FusedImage).toMatch(
      /^http:\/\/127\.0\.0\.1:\d+\/tencent\/results\/[0-9a-f]{32}\.jpg$/,
    );
  });

  it("accepts a charset in the content type and extra signed headers", async () => {
    expect(
      (await call({ contentType: "application/json; charset=utf-8" })).json.Response.Error,
    ).toBeUndefined();
    const body = JSON.stringify({ ProjectId: "x" });
    const authorization = signTc3({
      secretId: sim.credentials.tencentSecretId,
      secretKey: sim.credentials.tencentSecretKey,
      timestamp: seconds(),
      host: new URL(sim.url).host,
      contentType: "application/json",
      body,
      extraSigned: { "x-tc-action": "FuseFace" },
    });
    const { json } = await call({ body, authorization });
    expect(json.Response.Error?.Code).toBe("MissingParameter"); // past the signature check
  });

  it.each([
    ["a wrong SecretKey", { secretKey: "not-the-key" }],
    ["a body other than the one signed", { signedBody: '{"ProjectId":"y"}' }],
    ["another Host than the one sent", { signedHost: "facefusion.tencentcloudapi.com" }],
    ["another service in the scope", { service: "cvm" }],
  ])("refuses %s with AuthFailure.SignatureFailure", async (_what, overrides) => {
    const { status, json } = await call(overrides);
    expect(status).toBe(200);
    expect(json.Response.Error?.Code).toBe("AuthFailure.SignatureFailure");
    expect(json.Response.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("checks the clock skew: 5 minutes either way, then AuthFailure.SignatureExpire", async () => {
    expect((await call({ timestamp: seconds() - 299 })).json.Response.Error).toBeUndefined();
    expect((await call({ timestamp: seconds() + 299 })).json.Response.Error).toBeUndefined();
    expect((await call({ timestamp: seconds() - 301 })).json.Response.Error?.Code).toBe(
      "AuthFailure.SignatureExpire",
    );
    expect((await call({ timestamp: seconds() + 400 })).json.Response.Error?.Code).toBe(
      "AuthFailure.SignatureExpire",
    );
  });

  it.each([
    [
      "an unknown SecretId",
      { secretId: "AKIDunknownunknownunknownunknown0000" },
      "AuthFailure.SecretIdNotFound",
    ],
    ["no Authorization", { authorization: null }, "AuthFailure.InvalidAuthorization"],
    ["a malformed Authorization", { authorization: "Bearer x" }, "AuthFailure.InvalidAuthorization"],
    ["another action", { action: "FuseFaceUltra" }, "InvalidAction"],
    ["another version", { version: "2018-12-01" }, "NoSuchVersion"],
    ["no region", { region: "" }, "MissingParameter"],
    ["an unknown region", { region: "mars-north-1" }, "UnsupportedRegion"],
    ["a form body", { contentType: "application/x-www-form-urlencoded" }, "InvalidRequest"],
  ])("answers %s with %s", async (_what, overrides, code) => {
    const { status, json } = await call(overrides as Partial<TencentCallOptions>);
    expect(status).toBe(200);
    expect(json.Response.Error?.Code).toBe(code);
  });

  it("limits each SecretId to 20 requests in any second by default", async () => {
    for (let i = 0; i < 20; i++)
      expect((await cheapCall()).json.Response.Error?.Code).toBe("MissingParameter");
    const started = performance.now();
    expect((await cheapCall()).json.Response.Error?.Code).toBe("RequestLimitExceeded");
    expect(performance.now() - started).toBeLessThan(1000);
    clock += 1000;
    expect((await cheapCall()).json.Response.Error?.Code).toBe("MissingParameter");
  });

  it("counts only requests that pass auth, with a configurable rate", async () => {
    sim.configure("tencent", { rateLimitPerSecond: 2 });
    for (let i = 0; i < 5; i++) await call({ secretKey: "wrong" });
    await cheapCall();
    await cheapCall();
    sim.configure("tencent", { latencyMs: 3000 });
    const started = performance.now();
    expect((await cheapCall()).json.Response.Error?.Code).toBe("RequestLimitExceeded");
    // Rate-limited answers skip the simulated latency.
    expect(performance.now() - started).toBeLessThan(1500);
  });

  it("answers FailedOperation.BalanceInsufficient when the SecretId has no credits left", async () => {
    sim.configure("tencent", { credits: { [sim.credentials.tencentSecretId]: 1 } });
    expect((await call()).json.Response.Error).toBeUndefined();
    expect((await call()).json.Response.Error?.Code).toBe("FailedOperation.BalanceInsufficient");
    expect(sim.config("tencent").credits[sim.credentials.tencentSecretId]).toBe(0);
  });

  it("logs calls with a credential label, never the secret", async () => {
    await call();
    await call({ secretId: "AKIDunknownunknownunknownunknown0000" });
    const calls = sim.calls({ vendor: "tencent" });
    expect(calls.map((c) => [c.credential, c.code])).toEqual([
      ["secretId#1", null],
      ["unknown", "AuthFailure.SecretIdNotFound"],
    ]);
    expect(JSON.stringify(calls)).not.toContain(sim.credentials.tencentSecretKey);
  });
});
