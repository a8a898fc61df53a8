import type { Sharp } from "sharp";
import { openImage, runPipeline } from "./decode";
import type { ProbedImage } from "./probe";

/** Channel spread (max − min of R, G, B, 0..255) above which a pixel counts as coloured. */
const COLOURED_SPREAD = 12;
/** Share of coloured pixels from which an image counts as a colour image. */
const COLOURED_SHARE = 0.01;

/**
 * Whether an image shows any colour. Black-and-white photos are often stored as RGB, so the
 * header cannot tell; this looks at a 64-pixel thumbnail (for JPEG, libvips shrinks on load, so
 * the full image is never decoded). JPEG chroma rounding stays well below the spread threshold;
 * a small coloured area (a logo, a tinted corner) above 1 % of the picture counts as colour.
 */
export async function hasColour(image: Sharp): Promise<boolean> {
  const thumbnail = image.resize(64, 64, { fit: "inside" }).removeAlpha().toColourspace("srgb").raw();
  const { data, info } = await runPipeline(thumbnail);
  const pixels = info.width * info.height;
  let coloured = 0;
  for (let i = 0; i + 2 < data.length; i += info.channels) {
    const r = data[i]!;
    const g = data[i + 1]!;
    const b = data[i + 2]!;
    if (Math.max(r, g, b) - Math.min(r, g, b) > COLOURED_SPREAD) coloured++;
  }
  return coloured > pixels * COLOURED_SHARE;
}

/**
 * Whether a probed photo shows colour: single-channel ones are settled by their header, the
 * rest by a thumbnail's look (`hasColour`).
 */
export async function showsColour(bytes: Buffer, probed: ProbedImage, maxPixels: number): Promise<boolean> {
  return !probed.isGrayscale && (await hasColour(await openImage(bytes, probed, maxPixels)));
}
