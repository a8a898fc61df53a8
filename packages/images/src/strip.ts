import type { ImageFormat } from "@facegate/core";
import { rewriteJpeg } from "./jpeg-segments";
import { rewritePng } from "./png-chunks";

/** Formats whose metadata `stripMetadata` removes in place (BMP has none to remove). */
export const STRIPPABLE_FORMATS: readonly ImageFormat[] = ["jpeg", "png", "bmp"];

/**
 * Remove metadata (EXIF with GPS, XMP, IPTC, comments, text chunks) without re-encoding: the
 * compressed image data is copied untouched. A non-1 EXIF orientation is kept as a one-tag EXIF
 * block so the image still displays the right way up; callers that must send no EXIF at all
 * apply the orientation first (as `normaliseForVendor` and `markAiGenerated` do).
 *
 * Other formats would need a re-encode, which is the caller's decision, so they are refused.
 */
export function stripMetadata(bytes: Buffer, format: ImageFormat): Buffer {
  switch (format) {
    case "jpeg":
      return rewriteJpeg(bytes);
    case "png":
      return rewritePng(bytes);
    case "bmp":
      return bytes;
    default:
      throw new TypeError(`metadata cannot be stripped from ${format} in place; re-encode it instead`);
  }
}
