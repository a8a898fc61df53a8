import { VendorError, type VendorId } from "@facegate/core";

/**
 * Network failures → VendorError `transient`. The vendorCode is a stable facegate name (not the
 * platform's error text), so job errors and metrics group them the same way on every Node version.
 */
const TIMEOUTS: Record<string, string> = {
  UND_ERR_CONNECT_TIMEOUT: "connect_timeout",
  UND_ERR_HEADERS_TIMEOUT: "headers_timeout",
  UND_ERR_BODY_TIMEOUT: "body_timeout",
  ETIMEDOUT: "connect_timeout",
};

const UNAVAILABLE: Record<string, string> = {
  UND_ERR_SOCKET: "connection_reset",
  ECONNRESET: "connection_reset",
  EPIPE: "connection_reset",
  ECONNREFUSED: "connection_refused",
  ENOTFOUND: "dns_failure",
  EAI_AGAIN: "dns_failure",
  EHOSTUNREACH: "host_unreachable",
  ENETUNREACH: "host_unreachable",
  UND_ERR_CLOSED: "connection_closed",
  UND_ERR_DESTROYED: "connection_closed",
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: "truncated_response",
  UND_ERR_HEADERS_OVERFLOW: "protocol_error",
  UND_ERR_INFO: "protocol_error",
};

/** facegate's names for timeouts of the exchange itself (not a vendor's own "timed out" code). */
export const TIMEOUT_CODES: ReadonlySet<string> = new Set(Object.values(TIMEOUTS));
/** facegate's names for failures to reach the vendor or read its answer. */
export const NETWORK_FAILURE_CODES: ReadonlySet<string> = new Set([
  ...Object.values(UNAVAILABLE),
  "protocol_error",
  "network_error",
  "tls_error",
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") return code;
  // Node wraps some socket failures (e.g. in TLS setup) one level down.
  return errorCode((error as { cause?: unknown }).cause);
}

/** Families of codes seen less often: HTTP parser, other system socket errors, TLS. */
function otherNetworkCode(code: string): string | undefined {
  if (code.startsWith("HPE_")) return "protocol_error";
  if (/^E[A-Z]+$/.test(code)) return "network_error";
  if (code.startsWith("ERR_SSL_") || code.startsWith("ERR_TLS_") || /CERT|SIGNATURE/.test(code))
    return "tls_error";
  return undefined;
}

/**
 * Classify a failure of the HTTP exchange itself. Returns undefined for errors that are not network
 * failures (a bad argument is a facegate bug and must surface as such, not be retried as "unavailable").
 */
export function classifyNetworkError(vendor: VendorId, error: unknown): VendorError | undefined {
  const code = errorCode(error);
  if (code === undefined) return undefined;
  const timeout = TIMEOUTS[code];
  if (timeout) {
    return new VendorError({
      vendor,
      kind: "transient",
      code: "timeout",
      vendorCode: timeout,
      message: `${vendor} did not answer in time (${timeout.replace("_", " ")})`,
    });
  }
  const unavailable = UNAVAILABLE[code] ?? otherNetworkCode(code);
  if (unavailable) {
    return new VendorError({
      vendor,
      kind: "transient",
      code: "vendor_unavailable",
      vendorCode: unavailable,
      message: `${vendor} could not be reached (${unavailable.replace("_", " ")})`,
    });
  }
  return undefined;
}
