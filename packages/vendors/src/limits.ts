/**
 * Helpers for turning a vendor's published limits into facegate's `ImageLimits` (raw-file bytes,
 * inclusive pixel bounds). Where the docs are vague we take the stricter reading: inputs are
 * normalised to these limits before the call, so being a little strict costs a few pixels, while
 * being loose costs a failed, possibly billed, call.
 */

/** Vendors write "MB" without saying which; the decimal megabyte is the smaller reading. */
export const MB = 1_000_000;

/** Share of a base64 budget kept free for the JSON around the image and rounding. */
export const BASE64_MARGIN = 0.05;

/**
 * Largest raw file whose base64 encoding fits `base64Bytes` with the safety margin:
 * base64 turns every 3 bytes into 4 characters, so 5 MB of base64 carries at most 3.75 MB.
 */
export function rawBytesForBase64(base64Bytes: number, margin = BASE64_MARGIN): number {
  return Math.floor((Math.floor(base64Bytes / 4) * 3 * (1 - margin)) / 1024) * 1024;
}

/** "Larger than N px" → N + 1 as an inclusive minimum. */
export const above = (px: number): number => px + 1;
/** "Smaller than N px" → N − 1 as an inclusive maximum. */
export const below = (px: number): number => px - 1;
