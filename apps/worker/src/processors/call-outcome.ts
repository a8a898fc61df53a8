import { type JobFailure, VendorError } from "@facegate/core";
import type { CallOutcome } from "@facegate/records";
import { NETWORK_FAILURE_CODES, TIMEOUT_CODES } from "@facegate/vendors";

export interface RecordedOutcome {
  outcome: Exclude<CallOutcome, "pending" | "result" | "interrupted">;
  vendorCode?: string | undefined;
  rateLimited?: boolean;
}

/**
 * The ledger's name for how a call failed: our own wait ran out (`timeout`), the exchange broke
 * (`network_error`), the vendor answered with an error (`vendor_error` + its code), we aborted
 * it (`canceled`), or something of ours broke (`error`).
 */
export function callOutcome(failure: VendorError | JobFailure, aborted: boolean): RecordedOutcome {
  if (aborted) return { outcome: "canceled" };
  if (!(failure instanceof VendorError)) return { outcome: "error" };
  const code = failure.vendorCode;
  if (code && TIMEOUT_CODES.has(code)) return { outcome: "timeout", vendorCode: code };
  if (code && NETWORK_FAILURE_CODES.has(code)) return { outcome: "network_error", vendorCode: code };
  return {
    outcome: "vendor_error",
    vendorCode: code ?? failure.code,
    rateLimited: failure.kind === "rate_limited",
  };
}
