import type { VendorId } from "@facegate/core";
import { AIGS_ERRORS, AILAB_ERRORS, TENCENT_ERRORS } from "@facegate/vendors";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AIGS_EXPECTED,
  AILAB_EXPECTED,
  AILAB_LEGACY_STATUSES,
  type Expected,
  TENCENT_EXPECTED,
} from "./expected-errors";
import {
  type ContractRig,
  type Images,
  images,
  rowRequest,
  startContractRig,
  vendorFailure,
} from "./support";

/**
 * The vendor contract, part 2: every error code vendors/README.md lists, answered by the simulator
 * in the vendor's own envelope and status (forced through its `script`), becomes the VendorError
 * the README's classification asks for. The expected table is written from the README
 * (expected-errors.ts), not imported from the adapters.
 */

let rig: ContractRig;
let imgs: Images;

beforeAll(async () => {
  rig = await startContractRig();
  imgs = await images();
});
afterAll(async () => {
  await rig?.close();
});

async function scripted(vendor: VendorId, entry: { code: string; status?: number }) {
  rig.sim.configure(vendor, { script: [entry] });
  const error = await vendorFailure(rig.adapter(vendor).call(rowRequest(vendor, "face_fusion", imgs)));
  // The answer came from the script, so the simulator really sent this code.
  expect(rig.sim.calls({ vendor }).at(-1)).toMatchObject({ code: entry.code, scripted: true });
  return error;
}

async function check(vendor: VendorId, code: string, expected: Expected & { scope?: string }) {
  const error = await scripted(vendor, { code });
  expect({ kind: error.kind, code: error.code, vendorCode: error.vendorCode }).toEqual({
    kind: expected.kind,
    code: expected.code,
    vendorCode: code,
  });
  expect(error.vendor).toBe(vendor);
  expect(error.retryable).toBe(expected.kind === "rate_limited" || expected.kind === "transient");
  if (expected.scope) expect(error.scope).toBe(expected.scope);
  expect(error.message.length).toBeGreaterThan(0);
}

/** `[code, kind, normalised code, expected]`, so test names read "CODE → kind / code". */
const rows = (table: Record<string, Expected>) =>
  Object.entries(table).map(([code, e]) => [code, e.kind, e.code, e] as const);

describe("AILab: every error_detail.code of README §1.2, classified as §1.3 says", () => {
  it.each(rows(AILAB_EXPECTED))("%s → %s / %s", (code, _kind, _code, expected) =>
    check("ailab", code, expected),
  );

  // README §1.2: "Adapters should classify on error_detail.code, never on the HTTP status alone."
  it.each(AILAB_LEGACY_STATUSES)(
    "%s on its legacy status %i is classified the same",
    async (code, status) => {
      const error = await scripted("ailab", { code, status });
      const expected = AILAB_EXPECTED[code]!;
      expect([error.kind, error.code]).toEqual([expected.kind, expected.code]);
    },
  );

  it("429 EXCEEDING_LIMITS is a rate limit, 429 ERROR_NOT_ENOUGH_CREDITS is not", async () => {
    expect((await scripted("ailab", { code: "EXCEEDING_LIMITS" })).kind).toBe("rate_limited");
    expect((await scripted("ailab", { code: "ERROR_NOT_ENOUGH_CREDITS" })).kind).toBe("quota");
  });
});

describe("Tencent: every code of README §2.5–2.6 (HTTP 200 with Response.Error), classified as §2.7 says", () => {
  it.each(rows(TENCENT_EXPECTED))("%s → %s / %s", (code, _kind, _code, expected) =>
    check("tencent", code, expected),
  );

  it("Tencent's rate limit is account-wide: scope vendor", async () => {
    expect((await scripted("tencent", { code: "RequestLimitExceeded" })).scope).toBe("vendor");
    expect((await scripted("tencent", { code: "FailedOperation.FuseFreqCtrl" })).scope).toBe("vendor");
  });
});

describe("ai-gs: every code of README §3.2, classified as §3.3 says", () => {
  it.each(rows(AIGS_EXPECTED))("%s → %s / %s", (code, _kind, _code, expected) =>
    check("aigs", code, expected),
  );

  it("a rate-limited token waits at least the documented second", async () => {
    const error = await scripted("aigs", { code: "request_rate_limit" });
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(1_000);
  });
});

describe("the adapters know no code the README does not list", () => {
  // Only the keys are compared: the values were checked call by call above.
  it.each([
    ["ailab", AILAB_ERRORS, AILAB_EXPECTED],
    ["tencent", TENCENT_ERRORS, TENCENT_EXPECTED],
    ["aigs", AIGS_ERRORS, AIGS_EXPECTED],
  ] as const)("%s", (vendor, adapterTable, readme) => {
    expect(Object.keys(adapterTable).filter((code) => !Object.hasOwn(readme, code))).toEqual([]);
    expect(Object.keys(readme).filter((code) => !Object.hasOwn(adapterTable, code))).toEqual(
      // Tencent codes the adapter places through their family (AuthFailure.*, ResourceUnavailable.*)
      // or its default (input/invalid_request) rather than by name; each was checked above.
      vendor === "tencent" ? ["ResourceUnavailable.GetAuthInfoError", "FailedOperation"] : [],
    );
  });
});
