import sharp, { type OverlayOptions } from "sharp";
import { type RawImage, rawToSharp } from "./inspect";
import { memo, pixels } from "./memo";

/**
 * The simulator's "face fusion": the centre of the target (where a portrait's face usually is)
 * is cut out, resized onto the template's face region and blended through a feathered ellipse.
 * Crude, but the result is clearly the template carrying the target's face, and the blend
 * strength visibly follows the vendor's similarity / degree parameters.
 */

export interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface FacePatch {
  source: RawImage;
  /** Region of the source holding the face. */
  sourceBox: Box;
  /** Region of the base image the face goes to. */
  destBox: Box;
  /** Opacity of the blended face, 0..1. */
  strength: number;
}

/** The region where the simulator assumes a portrait's face: centred, half the width, 60 % of the height. */
export function centralFaceBox(width: number, height: number): Box {
  const boxWidth = Math.max(1, Math.round(width * 0.5));
  const boxHeight = Math.max(1, Math.round(height * 0.6));
  return {
    left: Math.round((width - boxWidth) / 2),
    top: Math.round((height - boxHeight) / 2),
    width: boxWidth,
    height: boxHeight,
  };
}

/** Grows or shrinks a box about its centre, kept inside the image. */
export function scaleBox(box: Box, factor: number, width: number, height: number): Box {
  const w = Math.max(1, Math.min(width, Math.round(box.width * factor)));
  const h = Math.max(1, Math.min(height, Math.round(box.height * factor)));
  const cx = box.left + box.width / 2;
  const cy = box.top + box.height / 2;
  return {
    left: clamp(Math.round(cx - w / 2), 0, width - w),
    top: clamp(Math.round(cy - h / 2), 0, height - h),
    width: w,
    height: h,
  };
}

/** Blends every patch onto the base, in order; returns a new image of the base's size. */
export function fuseFaces(base: RawImage, patches: readonly FacePatch[]): Promise<RawImage> {
  const key = patches.flatMap((p) => [pixels(p.source), p.sourceBox, p.destBox, p.strength]);
  return memo("fuse", [pixels(base), ...key], () => fuseUncached(base, patches));
}

async function fuseUncached(base: RawImage, patches: readonly FacePatch[]): Promise<RawImage> {
  const overlays: OverlayOptions[] = [];
  for (const patch of patches) {
    overlays.push({
      input: await maskedPatch(patch),
      left: patch.destBox.left,
      top: patch.destBox.top,
    });
  }
  const { data, info } = await rawToSharp(base)
    .composite(overlays)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

async function maskedPatch(patch: FacePatch): Promise<Buffer> {
  const { width, height } = patch.destBox;
  const face = await rawToSharp(patch.source)
    .extract(patch.sourceBox)
    .resize(width, height, { fit: "fill" })
    .raw()
    .toBuffer();
  const mask = await ellipseMask(width, height, patch.strength);
  return sharp(face, { raw: { width, height, channels: 3 } })
    .joinChannel(mask, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

/** One-channel mask: a soft-edged ellipse whose grey level is the blend strength. */
async function ellipseMask(width: number, height: number, strength: number): Promise<Buffer> {
  const feather = Math.max(1, Math.round(Math.min(width, height) * 0.06));
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">` +
    `<rect width="${width}" height="${height}" fill="#000"/>` +
    `<ellipse cx="${width / 2}" cy="${height / 2}" rx="${Math.max(1, width / 2 - feather * 1.5)}" ` +
    `ry="${Math.max(1, height / 2 - feather * 1.5)}" fill="#fff" fill-opacity="${clamp(strength, 0, 1)}"/></svg>`;
  return sharp(Buffer.from(svg))
    .resize(width, height, { fit: "fill" })
    .blur(feather / 2 + 0.3)
    .extractChannel(0)
    .raw()
    .toBuffer();
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
