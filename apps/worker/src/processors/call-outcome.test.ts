import { JobFailure, VendorError, type VendorErrorKind } from "@facegate/core";
import { describe, expect, it } from "vitest";
import { callOutcome } from "./call-outcome";

const vendorError = (kind: VendorErrorKind, vendorCode?: string) =>
  new VendorError({
    vendor: "ailab",
    kind,
    code: kind === "rate_limited" ? "vendor_rate_limited" : "vendor_unavailable",
    vendorCode,
    message: "the vendor said no",
  });

/** A network failure as the adapters report it: `transient`, with facegate's stable name as its code. */
const network = (vendorCode: string) =>
  new VendorError({
    vendor: "ailab",
    kind: "transient",
    code: vendorCode.endsWith("_timeout") ? "timeout" : "vendor_unavailable",
    vendorCode,
    message: "the exchange failed",
  });

describe("callOutcome", () => {
  it("names an aborted call `canceled`, whatever the failure", () => {
    expect(callOutcome(network("connection_reset"), true)).toEqual({ outcome: "canceled" });
    expect(callOutcome(new JobFailure("internal_error", "x"), true)).toEqual({ outcome: "canceled" });
  });

  it("names a failure of facegate's own `error`, with no vendor code", () => {
    expect(callOutcome(new JobFailure("storage_unavailable", "down"), false)).toEqual({ outcome: "error" });
  });

  it("names our own wait running out `timeout`, with the stable code", () => {
    expect(callOutcome(network("headers_timeout"), false)).toEqual({
      outcome: "timeout",
      vendorCode: "headers_timeout",
    });
    expect(callOutcome(network("connect_timeout"), false)).toEqual({
      outcome: "timeout",
      vendorCode: "connect_timeout",
    });
  });

  it("names a broken exchange `network_error`", () => {
    expect(callOutcome(network("connection_refused"), false)).toEqual({
      outcome: "network_error",
      vendorCode: "connection_refused",
    });
    expect(callOutcome(network("protocol_error"), false)).toEqual({
      outcome: "network_error",
      vendorCode: "protocol_error",
    });
  });

  it("names the vendor's own error `vendor_error` with its code", () => {
    expect(callOutcome(vendorError("quota", "E_QUOTA"), false)).toEqual({
      outcome: "vendor_error",
      vendorCode: "E_QUOTA",
      rateLimited: false,
    });
  });

  it("takes a vendor code that merely reads like a timeout as the vendor's, not ours", () => {
    expect(callOutcome(vendorError("transient", "timeout"), false).outcome).toBe("vendor_error");
  });

  it("falls back to facegate's code when the vendor gave none", () => {
    expect(callOutcome(vendorError("transient"), false)).toEqual({
      outcome: "vendor_error",
      vendorCode: "vendor_unavailable",
      rateLimited: false,
    });
  });

  it("marks a rate-limit answer, so the ledger does not count it as a spent call", () => {
    expect(callOutcome(vendorError("rate_limited", "429"), false)).toEqual({
      outcome: "vendor_error",
      vendorCode: "429",
      rateLimited: true,
    });
  });
});
