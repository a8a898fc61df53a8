import { describe, expect, it } from "vitest";
import { classifyAilab } from "./errors";

/**
 * How the AILab table is consulted. Every documented code is checked against the simulator's own
 * reading of the vendor's pages in test/contract/errors.contract.test.ts; this file does not copy
 * the table, it checks the lookup around it.
 */
describe("AILab error classification", () => {
  it("decides by the code, whatever the status", () => {
    expect(classifyAilab("ERROR_NO_FACE_IN_FILE", 418)).toEqual({ kind: "input", code: "no_face_detected" });
    expect(classifyAilab("AI_SERVICE_TIMEOUT", 400)).toEqual({ kind: "transient", code: "timeout" });
  });

  it("shares HTTP 429 between a rate limit and an empty balance, told apart by the code", () => {
    expect(classifyAilab("EXCEEDING_LIMITS", 429).kind).toBe("rate_limited");
    expect(classifyAilab("ERROR_NOT_ENOUGH_CREDITS", 429).kind).toBe("quota");
    // the status EXCEEDING_LIMITS had on the legacy page
    expect(classifyAilab("EXCEEDING_LIMITS", 422).kind).toBe("rate_limited");
  });

  it("falls back on the status class for unknown or missing codes", () => {
    expect(classifyAilab("SOMETHING_NEW", 503)).toEqual({ kind: "transient", code: "vendor_unavailable" });
    expect(classifyAilab(undefined, 500)).toEqual({ kind: "transient", code: "vendor_unavailable" });
    expect(classifyAilab("SOMETHING_NEW", 422)).toEqual({ kind: "input", code: "invalid_request" });
    expect(classifyAilab("constructor", 400)).toEqual({ kind: "input", code: "invalid_request" });
  });
});
