import { VENDORS, type VendorId } from "@facegate/core";
import type { Config } from "./config";

type VendorsConfig = Config["vendors"];

/**
 * Which vendors this server can call, and how: the one place that reads it from the settings. The
 * adapter registry, request checks, routing and the worker's pacing all ask here.
 */
const HAS_CREDENTIALS: Record<VendorId, (v: VendorsConfig) => boolean> = {
  ailab: (v) => Boolean(v.ailab.apiKey),
  aigs: (v) => v.aigs.tokens.length > 0,
  tencent: (v) => Boolean(v.tencent.secretId && v.tencent.secretKey),
  // Needs no account: always there, but `auto` uses it only when VENDOR_PREFERENCE names it.
  local: () => true,
};

/**
 * Every vendor with credentials, in VENDOR_PREFERENCE order then the rest. Each can be asked for
 * by name, even one VENDOR_PREFERENCE leaves out.
 */
export function configuredVendors(v: VendorsConfig): VendorId[] {
  return [...new Set<VendorId>([...v.preference, ...VENDORS])].filter((id) => HAS_CREDENTIALS[id](v));
}

/** The vendors `auto` chooses from, in order: configured and named in VENDOR_PREFERENCE. */
export function autoVendors(v: VendorsConfig): VendorId[] {
  return v.preference.filter((id) => HAS_CREDENTIALS[id](v));
}

export interface VendorPace {
  /** Calls per second per credential, shared by every worker; 0 leaves the vendor unpaced. */
  rps: number;
  /** Calls one worker makes at once. */
  concurrency: number;
}

/** How fast, and how many at once, one vendor is called. */
export function vendorPace(v: VendorsConfig, id: VendorId): VendorPace {
  switch (id) {
    case "ailab":
      return { rps: v.ailab.rps, concurrency: v.ailab.concurrency };
    case "aigs":
      return { rps: v.aigs.rpsPerToken, concurrency: v.concurrency };
    case "tencent":
      return { rps: v.tencent.rps, concurrency: v.concurrency };
    case "local":
      // No vendor to pace; face work runs one image at a time on one thread (packages/faces).
      return { rps: 0, concurrency: 1 };
  }
}
