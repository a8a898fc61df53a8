import sharp from "sharp";
import type { Box } from "./fusion";
import { type RawImage, rawToSharp } from "./inspect";

/**
 * Tencent's LogoAdd mark ("AI 合成" in the bottom-right corner by default). The letters "AI" are
 * drawn as paths rather than SVG text, so the mark renders the same on machines without fonts.
 */

const MARK_SVG_BODY =
  `<rect x="0" y="0" width="100" height="50" rx="8" fill="#000000" fill-opacity="0.6"/>` +
  `<path fill-rule="evenodd" fill="#ffffff" d="M12 44 L26 6 L36 6 L50 44 L41 44 L38 35 L24 35 L21 44 Z M27 27 L35 27 L31 15 Z"/>` +
  `<rect x="58" y="6" width="9" height="38" fill="#ffffff"/>` +
  `<path fill="#ffd400" d="M84 8 L87 17 L96 20 L87 23 L84 32 L81 23 L72 20 L81 17 Z"/>`;

/** Where the default mark goes: bottom-right, a fifth of the short side wide (2:1). */
export function defaultLogoBox(width: number, height: number): Box {
  const markWidth = Math.max(20, Math.round(Math.min(width, height) * 0.2));
  const markHeight = Math.max(10, Math.round(markWidth / 2));
  const margin = Math.max(2, Math.round(markHeight * 0.3));
  return {
    left: Math.max(0, width - markWidth - margin),
    top: Math.max(0, height - markHeight - margin),
    width: Math.min(markWidth, width),
    height: Math.min(markHeight, height),
  };
}

/** Clips a caller-given box to the image; null when nothing of it is inside. */
export function clipBox(box: Box, width: number, height: number): Box | null {
  const left = Math.max(0, box.left);
  const top = Math.max(0, box.top);
  const right = Math.min(width, box.left + box.width);
  const bottom = Math.min(height, box.top + box.height);
  if (right - left < 1 || bottom - top < 1) return null;
  return { left, top, width: right - left, height: bottom - top };
}

/**
 * Puts the mark (or the caller's own logo image) into `box` of the image.
 * `logo` is any image sharp can read; when absent the built-in "AI" mark is drawn.
 */
export async function addLogo(image: RawImage, box: Box, logo?: Buffer): Promise<RawImage> {
  const overlay = logo
    ? await sharp(logo).resize(box.width, box.height, { fit: "fill" }).png().toBuffer()
    : await markPng(box.width, box.height);
  const { data, info } = await rawToSharp(image)
    .composite([{ input: overlay, left: box.left, top: box.top }])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

async function markPng(width: number, height: number): Promise<Buffer> {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 100 50" ` +
    `preserveAspectRatio="none">${MARK_SVG_BODY}</svg>`;
  return sharp(Buffer.from(svg)).resize(width, height, { fit: "fill" }).png().toBuffer();
}
