import { describe, expect, it } from "vitest";
import { AIGS_ERRORS, classifyAigs } from "./errors";

/** Expectations from vendors/README.md §3.2 (status and codes) and §3.3 (classification). */
const DOCUMENTED: [code: string, status: number, kind: string, normalised: string][] = [
  // 401 input errors, "permanent, client bug"
  ["no_token", 401, "config", "vendor_config_error"],
  ["invalid_post", 401, "input", "invalid_request"],
  // 402 image-processing errors
  ["invalid_input_image", 402, "input", "invalid_image"],
  ["no_face_detected", 402, "input", "no_face_detected"],
  ["forbidden", 402, "input", "content_rejected"],
  ["image_size_limited", 402, "input", "image_too_large"],
  ["request_rate_limit", 402, "rate_limited", "vendor_rate_limited"],
  ["false", 402, "transient", "vendor_unavailable"],
  // 403 account errors
  ["used_up", 403, "quota", "vendor_quota_exhausted"],
  ["invalid_api_key", 403, "auth", "vendor_auth_failed"],
  // 500
  ["unknown", 500, "transient", "vendor_unavailable"],
];

describe("ai-gs error table", () => {
  it.each(DOCUMENTED)("%s (HTTP %i) → %s / %s", (code, status, kind, normalised) => {
    expect(classifyAigs(code, status)).toEqual({ kind, code: normalised });
  });

  it("has exactly the documented codes", () => {
    expect(Object.keys(AIGS_ERRORS).sort()).toEqual(DOCUMENTED.map(([code]) => code).sort());
  });

  it("falls back on the status class for unknown codes", () => {
    expect(classifyAigs("brand_new", 502)).toEqual({ kind: "transient", code: "vendor_unavailable" });
    expect(classifyAigs("brand_new", 402)).toEqual({ kind: "input", code: "invalid_request" });
    expect(classifyAigs("toString", 402)).toEqual({ kind: "input", code: "invalid_request" });
  });
});
