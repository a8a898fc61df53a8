import { z } from "zod";

/**
 * The knobs a test turns on one simulated vendor at run time: rate limit, credits, latency,
 * faults, result-URL lifetime and a script of forced answers. One schema serves `configure()` and
 * `POST /_sim/configure/:vendor`, so both refuse the same mistakes.
 */

export const VENDOR_IDS = ["ailab", "aigs", "tencent"] as const;
export type VendorId = (typeof VENDOR_IDS)[number];

export const FAULT_KINDS = ["transient", "timeout", "malformed", "reset"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

const share = z.number().min(0).max(1);
const delayMs = z.number().int().min(0).max(600_000).optional();

/** One forced answer. `code` answers that vendor code with its own status and envelope. */
export const scriptEntrySchema = z.union([
  z
    .object({
      code: z.string().min(1),
      /** Replaces the simulator's message for the code. */
      message: z.string().optional(),
      /** HTTP status override (AILab only: e.g. the legacy 422 for EXCEEDING_LIMITS). */
      status: z.number().int().min(200).max(599).optional(),
      delayMs,
    })
    .strict(),
  z.object({ fault: z.enum(FAULT_KINDS), delayMs }).strict(),
  /** Answer this call normally (lets a script skip calls). */
  z.object({ ok: z.literal(true), delayMs }).strict(),
]);
export type ScriptEntry = z.infer<typeof scriptEntrySchema>;

export const faultSharesSchema = z
  .object({ transient: share, timeout: share, malformed: share, reset: share })
  .partial()
  .strict();
export type FaultShares = Record<FaultKind, number>;

export const vendorConfigPatchSchema = z
  .object({
    /** Requests accepted per credential in any 1000 ms window; null means unlimited. */
    rateLimitPerSecond: z.number().int().positive().nullable(),
    /** Remaining credits per credential (keyed by the key, token or SecretId); null means unlimited. */
    credits: z.record(z.string(), z.number().min(0).nullable()),
    /** Added latency for every processed call. */
    latencyMs: z.number().int().min(0).max(600_000),
    /** Uniform random extra latency in [0, latencyJitterMs). */
    latencyJitterMs: z.number().int().min(0).max(600_000),
    /** Share (0..1) of processed calls that fail each way; the shares must add up to at most 1. */
    faults: faultSharesSchema,
    /** How long result URLs stay downloadable. */
    urlLifetimeMs: z.number().int().positive(),
    /** Replaces the queue of forced answers for the next calls ([] clears it). */
    script: z.array(scriptEntrySchema),
    /** Reseeds this vendor's random generator (fault rolls, jitter, transient code choice). */
    seed: z.number().int(),
  })
  .partial()
  .strict();
export type VendorConfigPatch = z.input<typeof vendorConfigPatchSchema>;

export interface VendorConfig {
  rateLimitPerSecond: number | null;
  latencyMs: number;
  latencyJitterMs: number;
  faults: FaultShares;
  urlLifetimeMs: number;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Vendor defaults: limits and URL lifetimes as published. */
export const DEFAULT_CONFIG: Record<VendorId, VendorConfig> = {
  // No QPS is published for AILab (docs/vendors.md, AILabTools): unlimited unless a test sets one.
  ailab: baseConfig(null, DAY_MS),
  // "request_rate_limit (1 request/s)"; images kept 7 days.
  aigs: baseConfig(1, 7 * DAY_MS),
  // 20 requests/s per the FuseFace page; URL valid 7 days.
  tencent: baseConfig(20, 7 * DAY_MS),
};

function baseConfig(rateLimitPerSecond: number | null, urlLifetimeMs: number): VendorConfig {
  return {
    rateLimitPerSecond,
    latencyMs: 0,
    latencyJitterMs: 0,
    faults: { transient: 0, timeout: 0, malformed: 0, reset: 0 },
    urlLifetimeMs,
  };
}

export function isVendorId(value: string): value is VendorId {
  return (VENDOR_IDS as readonly string[]).includes(value);
}

/** Parses a patch; throws a readable error listing every problem. */
export function parseVendorPatch(patch: unknown): z.output<typeof vendorConfigPatchSchema> {
  const result = vendorConfigPatchSchema.safeParse(patch);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join(".") || "(patch)"}: ${i.message}`);
    throw new Error(`invalid vendor-sim configuration: ${problems.join("; ")}`);
  }
  return result.data;
}
