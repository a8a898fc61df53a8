import sharp from "sharp";
import { type RawImage, rawToSharp } from "./inspect";
import { memo, pixels } from "./memo";

/**
 * AILab's smart face slimming, simulated: the central band (where the face is assumed to be) is
 * squeezed horizontally and the side bands are stretched to close the gap, so the picture keeps
 * its size while the middle visibly narrows. The squeeze grows linearly with slim_degree
 * (0 leaves the picture unchanged, 2 narrows the centre by a quarter).
 */

/** Share of the centre band's width removed per unit of slim_degree. */
const SQUEEZE_PER_DEGREE = 0.125;

export function slimFace(image: RawImage, slimDegree: number): Promise<Buffer> {
  return memo("slim", [pixels(image), slimDegree], () => slimUncached(image, slimDegree));
}

async function slimUncached(image: RawImage, slimDegree: number): Promise<Buffer> {
  const { width, height } = image;
  const bandLeft = Math.round(width * 0.25);
  const bandWidth = Math.round(width * 0.5);
  const sideWidth = [bandLeft, width - bandLeft - bandWidth] as const;
  const removed = Math.min(bandWidth - 1, Math.round(bandWidth * SQUEEZE_PER_DEGREE * slimDegree));
  if (removed <= 0 || sideWidth[0] <= 0 || sideWidth[1] <= 0) {
    return rawToSharp(image).jpeg({ quality: 90 }).toBuffer();
  }

  const squeezedWidth = bandWidth - removed;
  const leftWidth = sideWidth[0] + Math.floor(removed / 2);
  const rightWidth = width - leftWidth - squeezedWidth;
  const strip = (left: number, stripWidth: number, toWidth: number) =>
    rawToSharp(image)
      .extract({ left, top: 0, width: stripWidth, height })
      .resize(toWidth, height, { fit: "fill" })
      .png()
      .toBuffer();

  const [left, centre, right] = await Promise.all([
    strip(0, sideWidth[0], leftWidth),
    strip(bandLeft, bandWidth, squeezedWidth),
    strip(bandLeft + bandWidth, sideWidth[1], rightWidth),
  ]);
  return sharp({ create: { width, height, channels: 3, background: "#000000" } })
    .composite([
      { input: left, left: 0, top: 0 },
      { input: centre, left: leftWidth, top: 0 },
      { input: right, left: leftWidth + squeezedWidth, top: 0 },
    ])
    .jpeg({ quality: 90 })
    .toBuffer();
}
