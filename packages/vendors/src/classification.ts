import { type JobErrorCode, VendorError, type VendorErrorKind, type VendorId } from "@facegate/core";

/** What one vendor error code means to facegate: how to react, and the normalised job code. */
export interface Classification {
  kind: VendorErrorKind;
  code: JobErrorCode;
  /** For `rate_limited`: the vendor is overloaded, which says nothing of this caller's own rate. */
  overload?: boolean;
}

/** Shorthands that keep the per-vendor tables one line per code. */
export const RATE_LIMITED: Classification = { kind: "rate_limited", code: "vendor_rate_limited" };
export const OVERLOADED: Classification = {
  kind: "rate_limited",
  code: "vendor_rate_limited",
  overload: true,
};
export const TRANSIENT: Classification = { kind: "transient", code: "vendor_unavailable" };
export const VENDOR_TIMEOUT: Classification = { kind: "transient", code: "timeout" };
export const AUTH: Classification = { kind: "auth", code: "vendor_auth_failed" };
export const QUOTA: Classification = { kind: "quota", code: "vendor_quota_exhausted" };
export const CONFIG: Classification = { kind: "config", code: "vendor_config_error" };
export const BAD_REQUEST: Classification = { kind: "input", code: "invalid_request" };
export const BAD_IMAGE: Classification = { kind: "input", code: "invalid_image" };
/** A readable image this vendor does not take (another vendor may). */
export const NOT_ACCEPTED: Classification = { kind: "input", code: "image_not_accepted" };
export const TOO_LARGE: Classification = { kind: "input", code: "image_too_large" };
export const TOO_SMALL: Classification = { kind: "input", code: "image_too_small" };
export const NO_FACE: Classification = { kind: "input", code: "no_face_detected" };
export const REJECTED: Classification = { kind: "input", code: "content_rejected" };

/**
 * For AILab and ai-gs codes missing from their tables: a 5xx is the vendor's trouble (retry), anything
 * else is taken as a problem with this request (fail the job, no failover). Failing an unknown 4xx
 * permanently costs one job; retrying it would bill the same broken request again and again.
 */
export function fallbackByStatus(status: number): Classification {
  return status >= 500 ? TRANSIENT : BAD_REQUEST;
}

/** A table lookup that cannot be fooled by a vendor code such as `constructor` or `toString`. */
export function lookup(table: Readonly<Record<string, Classification>>, code: string | undefined) {
  return code !== undefined && Object.hasOwn(table, code) ? table[code] : undefined;
}

/** Vendor messages end up in job errors shown to users: keep them short and single-line. */
export function shortMessage(text: string | undefined, fallback: string): string {
  const clean = (text ?? "").replace(/\s+/g, " ").trim();
  if (!clean) return fallback;
  return clean.length > 300 ? `${clean.slice(0, 297)}...` : clean;
}

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export interface VendorFailure {
  vendor: VendorId;
  classification: Classification;
  vendorCode: string | undefined;
  message: string;
  retryAfterMs?: number | undefined;
  scope?: "credential" | "vendor" | undefined;
}

export function toVendorError(f: VendorFailure): VendorError {
  return new VendorError({
    vendor: f.vendor,
    kind: f.classification.kind,
    code: f.classification.code,
    vendorCode: f.vendorCode,
    message: f.message,
    retryAfterMs: f.retryAfterMs,
    scope: f.scope,
    overload: f.classification.overload,
  });
}

/** The vendor answered something that does not match its documented envelope. */
export function malformed(vendor: VendorId, why: string): VendorError {
  return new VendorError({
    vendor,
    kind: "transient",
    code: "vendor_unavailable",
    vendorCode: "malformed_response",
    message: `Malformed ${vendor} response: ${why}`,
  });
}

/** A request the adapter cannot build (bad params or inputs that slipped past the API). */
export function badRequest(vendor: VendorId, message: string): VendorError {
  return new VendorError({ vendor, kind: "input", code: "invalid_request", message });
}
