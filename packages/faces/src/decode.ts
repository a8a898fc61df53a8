import sharp from "sharp";
import type { RawImage } from "./types";

/**
 * Decode an image file to RGB pixels, EXIF orientation applied (so faces are found in the
 * photo as a person sees it), shrunk to at most `maxSide` on its longest side. Returns the
 * pixels and the factor from the shrunk image back to the oriented original.
 */
export async function decodeForDetection(
  file: Buffer,
  maxSide: number,
  limitInputPixels: number | false = 100_000_000,
): Promise<{ image: RawImage; scale: number; width: number; height: number }> {
  const oriented = sharp(file, { limitInputPixels, failOn: "error" }).rotate();
  const meta = await oriented.metadata();
  const turned = (meta.orientation ?? 1) >= 5;
  const width = (turned ? meta.height : meta.width) ?? 0;
  const height = (turned ? meta.width : meta.height) ?? 0;
  const scale = Math.max(1, Math.max(width, height) / maxSide);
  const { data, info } = await oriented
    .resize({ width: Math.round(width / scale), height: Math.round(height / scale), fit: "fill" })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    image: { data, width: info.width, height: info.height, channels: 3 },
    scale: width / info.width,
    width,
    height,
  };
}
