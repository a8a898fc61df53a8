import type { ImageLimits, InputRole, Operation, VendorId } from "@facegate/core";
import { aigsLimits } from "./aigs/limits";
import { ailabLimits } from "./ailab/limits";
import { localLimits } from "./local/limits";
import { tencentLimits } from "./tencent/limits";

/** Each vendor's input limits, without credentials: what the API checks before it accepts a job. */
export const VENDOR_LIMITS: Record<VendorId, (operation: Operation, role: InputRole) => ImageLimits> = {
  ailab: ailabLimits,
  aigs: aigsLimits,
  tencent: tencentLimits,
  local: localLimits,
};

/**
 * Why a vendor cannot take an image of these pixel dimensions, or undefined when it can. Only
 * what the header tells is judged here (any format facegate reads is converted before the call):
 * a side below the vendor's minimum, or a picture so elongated that shrinking it to the maximum
 * leaves its short side below the minimum. Upscaling is never an answer: it invents detail.
 */
export function sizeRefusal(
  size: { width: number; height: number },
  limits: ImageLimits,
): string | undefined {
  const short = Math.min(size.width, size.height);
  const long = Math.max(size.width, size.height);
  const shown = `${size.width}×${size.height} pixels`;
  if (short < limits.minSide) return `${shown}; each side must be at least ${limits.minSide}`;
  const scaled = Math.round(short * Math.min(1, limits.maxSide / long));
  if (scaled < limits.minSide) {
    return `${shown}; shrunk to at most ${limits.maxSide} on the long side, the short side falls below ${limits.minSide}`;
  }
  return undefined;
}
