import { libvips } from "./libvips";

/** Longest side of a thumbnail, in pixels: sharp on a phone and a 1280 px grid alike. */
export const THUMBNAIL_PX = 360;

/**
 * A small JPEG of an image for a person to look at (the console): turned upright, fitted inside
 * `px` square, metadata left out. `maxPixels` bounds what is decoded.
 */
export async function thumbnail(bytes: Buffer, maxPixels: number, px = THUMBNAIL_PX): Promise<Buffer> {
  const sharp = await libvips();
  return sharp(bytes, { limitInputPixels: maxPixels })
    .rotate()
    .resize(px, px, { fit: "inside", withoutEnlargement: true })
    .flatten({ background: "#ffffff" })
    .jpeg({ quality: 80 })
    .toBuffer();
}
