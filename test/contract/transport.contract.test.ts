import type { RemoteVendorId } from "@facegate/core";
import { AigsAdapter } from "@facegate/vendors";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { blankImage, type ContractRig, ROWS, rowRequest, startContractRig, vendorFailure } from "./support";

/**
 * The vendor contract, part 3: what the simulator does on its own rather than by script — rate
 * windows, credits, credentials, TC3 signatures and clock skew, Tencent materials — and injected
 * faults (timeout, malformed body, connection reset), each met by the right VendorError.
 */

let rig: ContractRig;

beforeAll(async () => {
  rig = await startContractRig();
  return () => rig.close();
});
beforeEach(() => rig.nextSecond());

const call = (vendor: RemoteVendorId, params: Record<string, unknown> = {}, credential = 0) =>
  rig.adapter(vendor).call(rowRequest(vendor, "face_fusion", rig.images, params, credential));

describe("rate limits, driven over the simulator's own limit", () => {
  it("ai-gs: 1 request/s per token; the refusal is scoped to that token, with a wait", async () => {
    await call("aigs", {}, 0);
    const error = await vendorFailure(call("aigs", {}, 0));
    expect(error).toMatchObject({
      kind: "rate_limited",
      code: "vendor_rate_limited",
      vendorCode: "request_rate_limit",
      scope: "credential",
    });
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(1_000);
    // Another token of the pool has its own window: it is served at once.
    expect((await call("aigs", {}, 1)).kind).toBe("url");
  });

  it("Tencent: over rateLimitPerSecond → RequestLimitExceeded, account-wide", async () => {
    rig.sim.configure("tencent", { rateLimitPerSecond: 2 });
    try {
      const results = await Promise.allSettled([call("tencent"), call("tencent"), call("tencent")]);
      const refused = results.filter((r) => r.status === "rejected");
      expect(refused).toHaveLength(1);
      expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
        kind: "rate_limited",
        code: "vendor_rate_limited",
        vendorCode: "RequestLimitExceeded",
        scope: "vendor",
      });
    } finally {
      rig.sim.configure("tencent", { rateLimitPerSecond: 20 });
    }
  });

  it("AILab: 429 EXCEEDING_LIMITS is a rate limit, 429 ERROR_NOT_ENOUGH_CREDITS is quota", async () => {
    const key = rig.sim.credentials.ailabApiKey;
    rig.sim.configure("ailab", { rateLimitPerSecond: 1 });
    try {
      await call("ailab");
      expect(await vendorFailure(call("ailab"))).toMatchObject({
        kind: "rate_limited",
        code: "vendor_rate_limited",
        vendorCode: "EXCEEDING_LIMITS",
      });

      // A fusion costs 8 credits (docs/vendors.md, AILabTools): 8 left pays for one, then the account is dry.
      rig.nextSecond();
      rig.sim.configure("ailab", { credits: { [key]: 8 } });
      expect((await call("ailab")).kind).toBe("bytes");
      rig.nextSecond();
      const dry = await vendorFailure(call("ailab"));
      expect(dry).toMatchObject({
        kind: "quota",
        code: "vendor_quota_exhausted",
        vendorCode: "ERROR_NOT_ENOUGH_CREDITS",
      });
      expect(dry.retryable).toBe(false);
      expect(
        rig.sim
          .calls({ vendor: "ailab" })
          .slice(-2)
          .map((c) => c.status),
      ).toEqual([200, 429]);
    } finally {
      rig.sim.configure("ailab", { rateLimitPerSecond: null, credits: { [key]: null } });
    }
  });

  it("ai-gs and Tencent out of credits → quota (the ai-gs one scoped to its token)", async () => {
    const token = rig.sim.credentials.aigsTokens[2]!;
    const secretId = rig.sim.credentials.tencentSecretId;
    rig.sim.configure("aigs", { credits: { [token]: 0 } });
    rig.sim.configure("tencent", { credits: { [secretId]: 0 } });
    try {
      expect(await vendorFailure(call("aigs", {}, 2))).toMatchObject({
        kind: "quota",
        code: "vendor_quota_exhausted",
        vendorCode: "used_up",
        scope: "credential",
      });
      expect(await vendorFailure(call("tencent"))).toMatchObject({
        kind: "quota",
        code: "vendor_quota_exhausted",
        vendorCode: "FailedOperation.BalanceInsufficient",
      });
    } finally {
      rig.sim.configure("aigs", { credits: { [token]: null } });
      rig.sim.configure("tencent", { credits: { [secretId]: null } });
    }
  });
});

describe("faults: every one is transient, for every row", () => {
  let fast: ReturnType<ContractRig["extraAdapters"]>;
  beforeAll(() => {
    // VENDOR_TIMEOUT_MS as small as the config allows, so a hung vendor costs this suite little.
    fast = rig.extraAdapters({ VENDOR_TIMEOUT_MS: "300" });
  });

  it("timeout, every row at once (the vendor never answers)", async () => {
    for (const vendor of ["ailab", "aigs", "tencent"] as const) {
      const rows = ROWS.filter(([v]) => v === vendor).length;
      rig.sim.configure(vendor, {
        script: Array.from({ length: rows }, () => ({ fault: "timeout" as const })),
      });
    }
    const started = performance.now();
    const errors = await Promise.all(
      ROWS.map(([vendor, operation]) =>
        vendorFailure(fast.get(vendor)!.call(rowRequest(vendor, operation, rig.images))),
      ),
    );
    for (const [i, [vendor]] of ROWS.entries()) {
      expect(errors[i]).toMatchObject({
        vendor,
        kind: "transient",
        code: "timeout",
        vendorCode: "headers_timeout",
      });
    }
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(
      rig.sim
        .calls()
        .slice(-ROWS.length)
        .every((c) => c.code === "fault:timeout"),
    ).toBe(true);
  });

  it.each(ROWS)("malformed body: %s %s", async (vendor, operation) => {
    // Both shapes the simulator sends: an HTML error page, and the success JSON cut in half.
    for (const seed of [1, 2, 3, 4]) {
      rig.sim.configure(vendor, { seed, script: [{ fault: "malformed" }] });
      const error = await vendorFailure(rig.adapter(vendor).call(rowRequest(vendor, operation, rig.images)));
      expect(error).toMatchObject({
        vendor,
        kind: "transient",
        code: "vendor_unavailable",
        vendorCode: "malformed_response",
      });
    }
  });

  it.each(ROWS)("connection reset: %s %s", async (vendor, operation) => {
    // Every call resets, however many times the HTTP client tries.
    rig.sim.configure(vendor, { faults: { reset: 1 } });
    try {
      const error = await vendorFailure(rig.adapter(vendor).call(rowRequest(vendor, operation, rig.images)));
      expect(error).toMatchObject({
        vendor,
        kind: "transient",
        code: "vendor_unavailable",
        vendorCode: "connection_reset",
      });
    } finally {
      rig.sim.configure(vendor, { faults: { reset: 0 } });
    }
  });

  it.each(ROWS)("5xx-type fault: %s %s", async (vendor, operation) => {
    rig.sim.configure(vendor, { faults: { transient: 1 } });
    try {
      const error = await vendorFailure(rig.adapter(vendor).call(rowRequest(vendor, operation, rig.images)));
      // The simulator's "transient" faults are 5xx-type codes a retry may cure; on AILab that
      // includes ERROR_INSUFFICIENT_RESOURCES, which AILab's docs file as overload (rate_limited).
      expect(error.retryable).toBe(true);
      expect(["transient", "rate_limited"]).toContain(error.kind);
    } finally {
      rig.sim.configure(vendor, { faults: { transient: 0 } });
    }
  });
});

describe("credentials", () => {
  it("AILab: a wrong API key → auth", async () => {
    const wrong = rig.extraAdapters({ AILAB_API_KEY: "not-the-key" }).get("ailab")!;
    expect(await vendorFailure(wrong.call(rowRequest("ailab", "face_fusion", rig.images)))).toMatchObject({
      kind: "auth",
      code: "vendor_auth_failed",
      vendorCode: "ERROR_APPLICATIONS_NOT_EXISTS",
    });
  });

  it("ai-gs: a wrong token → auth for that token; no token at all → config", async () => {
    const wrong = rig.extraAdapters({ AIGS_TOKENS: "not-a-token" }).get("aigs")!;
    expect(await vendorFailure(wrong.call(rowRequest("aigs", "face_fusion", rig.images)))).toMatchObject({
      kind: "auth",
      code: "vendor_auth_failed",
      vendorCode: "invalid_api_key",
      scope: "credential",
    });
    const empty = new AigsAdapter({ tokens: [""], baseUrl: rig.sim.urls.aigs, timeoutMs: 10_000 });
    try {
      expect(await vendorFailure(empty.call(rowRequest("aigs", "face_fusion", rig.images)))).toMatchObject({
        kind: "config",
        code: "vendor_config_error",
        vendorCode: "no_token",
      });
    } finally {
      await empty.close();
    }
  });

  it("Tencent: a wrong SecretKey fails the TC3 signature → auth", async () => {
    const wrong = rig
      .extraAdapters({ TENCENT_SECRET_KEY: "wrongSecretKey000000000000000000" })
      .get("tencent")!;
    expect(await vendorFailure(wrong.call(rowRequest("tencent", "face_fusion", rig.images)))).toMatchObject({
      kind: "auth",
      code: "vendor_auth_failed",
      vendorCode: "AuthFailure.SignatureFailure",
    });
  });

  it("Tencent: an unknown SecretId → auth", async () => {
    const wrong = rig
      .extraAdapters({ TENCENT_SECRET_ID: "AKIDNotKnownToTheSimulator00000000" })
      .get("tencent")!;
    expect(await vendorFailure(wrong.call(rowRequest("tencent", "face_fusion", rig.images)))).toMatchObject({
      kind: "auth",
      vendorCode: "AuthFailure.SecretIdNotFound",
    });
  });

  it("Tencent: an unsupported region → config", async () => {
    const wrong = rig.extraAdapters({ TENCENT_REGION: "mars-north-1" }).get("tencent")!;
    expect(await vendorFailure(wrong.call(rowRequest("tencent", "face_fusion", rig.images)))).toMatchObject({
      kind: "config",
      code: "vendor_config_error",
      vendorCode: "UnsupportedRegion",
    });
  });

  it("Tencent: a clock 10 minutes slow → SignatureExpire (transient); the next try is signed on Tencent's clock", async () => {
    const slow = rig.extraAdapters({}, { now: () => Date.now() - 600_000 }).get("tencent")!;
    const request = rowRequest("tencent", "face_fusion", rig.images);
    expect(await vendorFailure(slow.call(request))).toMatchObject({
      kind: "transient",
      vendorCode: "AuthFailure.SignatureExpire",
    });
    expect((await slow.call(request)).kind).toBe("url");
  });
});

describe("Tencent materials (TENCENT_PROJECT_ID / TENCENT_MODEL_ID and params) → config", () => {
  it.each([
    [{ project_id: "at_not_there" }, "InvalidParameterValue.ActivityIdNotFound"],
    [{ model_id: "mt_not_there" }, "InvalidParameterValue.MaterialIdNotFound"],
    [{ template_face_id: "mt_sim_model_9" }, "FailedOperation.TemplateFaceIDNotExist"],
  ])("%j → %s", async (params, vendorCode) => {
    expect(await vendorFailure(call("tencent", params))).toMatchObject({
      kind: "config",
      code: "vendor_config_error",
      vendorCode,
    });
  });
});

describe("what the simulator finds wrong with an input → the same normalised code from every vendor", () => {
  it.each([
    ["ailab", "ERROR_NO_FACE_IN_FILE"],
    ["aigs", "no_face_detected"],
    ["tencent", "FailedOperation.NoFaceDetected"],
  ] as const)("no face: %s %s", async (vendor, vendorCode) => {
    const error = await vendorFailure(
      rig
        .adapter(vendor)
        .call({ ...rowRequest(vendor, "face_fusion", rig.images), target: await blankImage() }),
    );
    expect(error).toMatchObject({ kind: "input", code: "no_face_detected", vendorCode });
  });
});
