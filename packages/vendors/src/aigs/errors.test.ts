import { describe, expect, it } from "vitest";
import { classifyAigs } from "./errors";

/**
 * How the ai-gs table is consulted. Every documented code is checked against the simulator's own
 * reading of the vendor's page in test/contract/errors.contract.test.ts; this file checks the
 * lookup around the table.
 */
describe("ai-gs error classification", () => {
  it("tells a rate-limited token from an image problem on the same 402", () => {
    expect(classifyAigs("request_rate_limit", 402).kind).toBe("rate_limited");
    expect(classifyAigs("no_face_detected", 402)).toEqual({ kind: "input", code: "no_face_detected" });
  });

  it("falls back on the status class for unknown codes", () => {
    expect(classifyAigs("brand_new", 502)).toEqual({ kind: "transient", code: "vendor_unavailable" });
    expect(classifyAigs("brand_new", 402)).toEqual({ kind: "input", code: "invalid_request" });
    expect(classifyAigs("toString", 402)).toEqual({ kind: "input", code: "invalid_request" });
  });
});
