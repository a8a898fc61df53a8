import type { Request, Response } from "express";
import type { CallLog } from "./call-log";
import { readBody } from "./http-body";
import { type CallEnv, type CallTiming, runCall, type VendorCall } from "./pipeline";
import type { ResultsStore } from "./results-store";
import type { VendorId } from "./vendor-config";
import type { VendorState } from "./vendor-state";

/** What every vendor router shares: the clock, the call log, stored results and per-vendor state. */
export interface SimContext {
  now: () => number;
  log: CallLog;
  results: ResultsStore;
  /** Base URL written into result URLs (the listening URL unless `publicUrl` was given). */
  publicUrl: () => string;
  states: Record<VendorId, VendorState>;
}

export function callEnv(ctx: SimContext, vendor: VendorId): CallEnv {
  return { state: ctx.states[vendor], log: ctx.log, now: ctx.now };
}

/**
 * An express handler for one vendor operation: reads the body (capped), lets the vendor build
 * its call from the request, and runs it through the common pipeline.
 */
export function vendorHandler(
  ctx: SimContext,
  vendor: VendorId,
  bodyCap: number,
  build: (req: Request, body: { bytes: Buffer; tooLarge: boolean }) => Promise<VendorCall> | VendorCall,
) {
  return async (req: Request, res: Response): Promise<void> => {
    const timing: CallTiming = { startedAt: performance.now(), at: ctx.now() };
    ctx.log.started(vendor);
    try {
      let body: { bytes: Buffer; tooLarge: boolean };
      try {
        body = await readBody(req, bodyCap);
      } catch {
        return; // the client went away mid-upload: nobody to answer
      }
      const call = await build(req, body);
      await runCall(callEnv(ctx, vendor), res, call, timing);
    } finally {
      ctx.log.ended(vendor);
    }
  };
}

/** Stores a result image and returns the URL the vendor would hand out for it. */
export function storeResult(
  ctx: SimContext,
  vendor: VendorId,
  bytes: Buffer,
  format: "jpeg" | "png",
): string {
  const contentType = format === "png" ? "image/png" : "image/jpeg";
  const id = ctx.results.put(vendor, bytes, contentType, ctx.states[vendor].urlLifetimeMs);
  return `${ctx.publicUrl()}/${vendor}/results/${id}.${format === "png" ? "png" : "jpg"}`;
}
