import type { VendorId } from "../operations";
import type { JobErrorCode } from "./error-codes";

/**
 * How facegate reacts to a vendor failure. Decided by each vendor's own error code, inside
 * that vendor's folder, never by message text.
 * - `rate_limited`: wait (the vendor's hint or a backoff) without spending an attempt.
 * - `transient`: retry with backoff, spending an attempt.
 * - `input`: this input will never work; fail the job now.
 * - `auth` / `quota` / `config`: the vendor account is unusable; fail over when the job allows it.
 */
export type VendorErrorKind = "rate_limited" | "transient" | "input" | "auth" | "quota" | "config";

/** Kinds after which `vendor: "auto"` tries the next vendor (vendor-level, never input-level). */
export const FAILOVER_KINDS: ReadonlySet<VendorErrorKind> = new Set(["transient", "auth", "quota", "config"]);

export interface VendorErrorInit {
  vendor: VendorId;
  kind: VendorErrorKind;
  code: JobErrorCode;
  vendorCode?: string | undefined;
  message: string;
  /** Wait the vendor asked for, when it said so. */
  retryAfterMs?: number | undefined;
  /** For `rate_limited`: whether one credential (ai-gs token) or the whole vendor is throttled. */
  scope?: "credential" | "vendor" | undefined;
  /**
   * For `rate_limited`: the vendor says it is overloaded, not that this caller is too fast. The
   * job waits all the same, but adaptive pacing learns no rate from it.
   */
  overload?: boolean | undefined;
}

export class VendorError extends Error {
  readonly vendor: VendorId;
  readonly kind: VendorErrorKind;
  readonly code: JobErrorCode;
  readonly vendorCode: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly scope: "credential" | "vendor";
  readonly overload: boolean;

  constructor(init: VendorErrorInit) {
    super(init.message);
    this.name = "VendorError";
    this.vendor = init.vendor;
    this.kind = init.kind;
    this.code = init.code;
    this.vendorCode = init.vendorCode;
    this.retryAfterMs = init.retryAfterMs;
    this.scope = init.scope ?? "vendor";
    this.overload = init.overload ?? false;
  }

  get retryable(): boolean {
    return this.kind === "rate_limited" || this.kind === "transient";
  }
}
