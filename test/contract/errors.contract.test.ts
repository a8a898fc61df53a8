import type { JobErrorCode, RemoteVendorId, VendorErrorKind } from "@facegate/core";
import { AIGS_CODES, AILAB_MEANING, type Meaning, TENCENT_MEANING } from "@facegate/vendor-sim";
import { AIGS_ERRORS, AILAB_ERRORS, TENCENT_ERRORS } from "@facegate/vendors";
import { beforeAll, describe, expect, it } from "vitest";
import { type ContractRig, rowRequest, startContractRig, vendorFailure } from "./support";

/**
 * The vendor contract, part 2: every error code the simulator can answer, in the vendor's own
 * envelope and status (forced through its `script`), becomes the VendorError its documented meaning
 * asks for. The meanings are the simulator's own reading of the vendors' pages
 * (apps/vendor-sim/src/meaning.ts); the adapters' tables are a second, separate reading. This file
 * holds neither table: only how a documented meaning maps onto facegate's error kinds and codes.
 */
const EXPECTED: Record<Meaning, { kind: VendorErrorKind; code: JobErrorCode }> = {
  rate_limit: { kind: "rate_limited", code: "vendor_rate_limited" },
  transient: { kind: "transient", code: "vendor_unavailable" },
  vendor_timeout: { kind: "transient", code: "timeout" },
  credentials: { kind: "auth", code: "vendor_auth_failed" },
  billing: { kind: "quota", code: "vendor_quota_exhausted" },
  configuration: { kind: "config", code: "vendor_config_error" },
  bad_request: { kind: "input", code: "invalid_request" },
  bad_image: { kind: "input", code: "invalid_image" },
  image_not_accepted: { kind: "input", code: "image_not_accepted" },
  image_too_large: { kind: "input", code: "image_too_large" },
  image_too_small: { kind: "input", code: "image_too_small" },
  no_face: { kind: "input", code: "no_face_detected" },
  content: { kind: "input", code: "content_rejected" },
};

/** ai-gs limits and bills each token on its own: those failures belong to the token, not the vendor. */
const AIGS_PER_TOKEN: readonly Meaning[] = ["rate_limit", "billing", "credentials"];

/** AILab's legacy page put these codes on other statuses; classification must not follow the status. */
const AILAB_LEGACY_STATUSES: [string, number][] = [
  ["EXCEEDING_LIMITS", 422],
  ["PROCESSING_FAILURE", 400],
  ["ERROR_INSUFFICIENT_RESOURCES", 400],
  ["ERROR_FILE_DOWNLOAD_FAILED", 400],
  ["ERROR_FACE_BLENDING_FAILED", 400],
  ["ERROR_RESOURCE_UNAVAILABLE", 400],
  ["ERROR_FILE_DOWNLOAD_TIMEOUT", 400],
  ["AI_SERVICE_ERROR", 500],
  ["AI_SERVICE_UNAUTHORIZED", 403],
  ["ERROR_ILLEGAL_FILE", 403],
];

const MEANINGS: Record<RemoteVendorId, ReadonlyMap<string, Meaning>> = {
  ailab: AILAB_MEANING,
  tencent: TENCENT_MEANING,
  aigs: new Map(Object.entries(AIGS_CODES).map(([code, c]) => [code, c.meaning])),
};

let rig: ContractRig;

beforeAll(async () => {
  rig = await startContractRig();
  return () => rig.close();
});

async function scripted(vendor: RemoteVendorId, entry: { code: string; status?: number }) {
  rig.sim.configure(vendor, { script: [entry] });
  const error = await vendorFailure(rig.adapter(vendor).call(rowRequest(vendor, "face_fusion", rig.images)));
  // The answer came from the script, so the simulator really sent this code.
  expect(rig.sim.calls({ vendor }).at(-1)).toMatchObject({ code: entry.code, scripted: true });
  return error;
}

/** `[code, meaning]`, so test names read "CODE → meaning". */
const rows = (vendor: RemoteVendorId) => [...MEANINGS[vendor].entries()];

describe.each(["ailab", "tencent", "aigs"] as const)("%s: every documented code", (vendor) => {
  it.each(rows(vendor))("%s → %s", async (code, meaning) => {
    const error = await scripted(vendor, { code });
    const expected = EXPECTED[meaning];
    expect({ kind: error.kind, code: error.code, vendorCode: error.vendorCode }).toEqual({
      ...expected,
      vendorCode: code,
    });
    expect(error.vendor).toBe(vendor);
    expect(error.retryable).toBe(expected.kind === "rate_limited" || expected.kind === "transient");
    if (vendor === "aigs" && AIGS_PER_TOKEN.includes(meaning)) expect(error.scope).toBe("credential");
    expect(error.message.length).toBeGreaterThan(0);
  });
});

describe("AILab classifies by error_detail.code, never by the HTTP status alone", () => {
  it.each(AILAB_LEGACY_STATUSES)(
    "%s on its legacy status %i is classified the same",
    async (code, status) => {
      const error = await scripted("ailab", { code, status });
      const expected = EXPECTED[AILAB_MEANING.get(code)!];
      expect([error.kind, error.code]).toEqual([expected.kind, expected.code]);
    },
  );

  it("429 EXCEEDING_LIMITS is a rate limit, 429 ERROR_NOT_ENOUGH_CREDITS is not", async () => {
    expect((await scripted("ailab", { code: "EXCEEDING_LIMITS" })).kind).toBe("rate_limited");
    expect((await scripted("ailab", { code: "ERROR_NOT_ENOUGH_CREDITS" })).kind).toBe("quota");
  });
});

describe("scopes", () => {
  it("Tencent's rate limit is account-wide: scope vendor", async () => {
    expect((await scripted("tencent", { code: "RequestLimitExceeded" })).scope).toBe("vendor");
    expect((await scripted("tencent", { code: "FailedOperation.FuseFreqCtrl" })).scope).toBe("vendor");
  });

  it("a rate-limited ai-gs token waits at least the documented second", async () => {
    const error = await scripted("aigs", { code: "request_rate_limit" });
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(1_000);
  });
});

describe("the adapters know no code the vendors do not document", () => {
  // Only the keys are compared: the values were checked call by call above.
  it.each([
    ["ailab", AILAB_ERRORS],
    ["tencent", TENCENT_ERRORS],
    ["aigs", AIGS_ERRORS],
  ] as const)("%s", (vendor, adapterTable) => {
    const documented = MEANINGS[vendor];
    expect(Object.keys(adapterTable).filter((code) => !documented.has(code))).toEqual([]);
    expect([...documented.keys()].filter((code) => !Object.hasOwn(adapterTable, code)).sort()).toEqual(
      // Tencent codes the adapter places through their family (AuthFailure.*, ResourceUnavailable.*)
      // or its default (input/invalid_request) rather than by name; each was checked above.
      vendor === "tencent" ? ["FailedOperation", "ResourceUnavailable.GetAuthInfoError"] : [],
    );
  });
});
