import { describe, expect, it } from "vitest";
import { classifyTencent } from "./errors";

/**
 * How the Tencent table is consulted. Every documented code is checked against the simulator's
 * own reading of the vendor's pages in test/contract/errors.contract.test.ts; this file checks the
 * lookup around the table: codes it does not list take their family's meaning.
 */
describe("Tencent error classification", () => {
  it("classifies a listed code by the table", () => {
    expect(classifyTencent("FailedOperation.FuseFreqCtrl").kind).toBe("rate_limited");
    expect(classifyTencent("FailedOperation.RequestTimeout")).toEqual({ kind: "transient", code: "timeout" });
  });

  it("gives unknown sub-codes their family's meaning, and input otherwise", () => {
    expect(classifyTencent("RequestLimitExceeded.SomethingNew").kind).toBe("rate_limited");
    expect(classifyTencent("AuthFailure.SomethingNew").kind).toBe("auth");
    expect(classifyTencent("InternalError.DbError")).toEqual({
      kind: "transient",
      code: "vendor_unavailable",
    });
    expect(classifyTencent("ResourceUnavailable.SomethingNew").kind).toBe("quota");
    expect(classifyTencent("FailedOperation.SomethingNew")).toEqual({
      kind: "input",
      code: "invalid_request",
    });
    expect(classifyTencent("hasOwnProperty")).toEqual({ kind: "input", code: "invalid_request" });
  });
});
