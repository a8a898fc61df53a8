import sharp from "sharp";
import { centralFaceBox } from "./fusion";
import { type RawImage, rawToSharp } from "./inspect";
import { memo, pixels } from "./memo";

/**
 * AILab's emotion editor, simulated: each expression code gets its own tint and its own shapes
 * drawn over the assumed face region, so a person (or a pixel comparison) can tell every
 * expression's result apart. Shapes only; SVG text would depend on fonts being installed.
 */

export const EXPRESSION_CODES = [10, 11, 12, 13, 14, 15, 16, 100] as const;
export type ExpressionCode = (typeof EXPRESSION_CODES)[number];

interface ExpressionLook {
  tint: string;
  /** SVG shapes in face-box units: x and y from 0 to 100. */
  shapes: string;
}

const DARK = "#2b1b17";
const LOOKS: Record<ExpressionCode, ExpressionLook> = {
  // Dimple smile: smile arc and a dimple on each cheek.
  10: {
    tint: "#ff5fa2",
    shapes:
      `<path d="M30 70 Q50 88 70 70" stroke="${DARK}" stroke-width="4" fill="none"/>` +
      `<circle cx="24" cy="66" r="3.5" fill="${DARK}"/><circle cx="76" cy="66" r="3.5" fill="${DARK}"/>`,
  },
  // Pear dimple smile: small arc and two tiny dimples under the mouth corners.
  11: {
    tint: "#ffae5f",
    shapes:
      `<path d="M38 72 Q50 82 62 72" stroke="${DARK}" stroke-width="3" fill="none"/>` +
      `<circle cx="35" cy="80" r="2" fill="${DARK}"/><circle cx="65" cy="80" r="2" fill="${DARK}"/>`,
  },
  // Big grin: a wide open mouth with teeth.
  12: {
    tint: "#ffe14d",
    shapes:
      `<path d="M25 64 L75 64 Q50 96 25 64 Z" fill="${DARK}"/>` +
      `<rect x="32" y="64" width="36" height="6" fill="#ffffff"/>`,
  },
  // Standard grin: a closed rectangular grin.
  13: {
    tint: "#ff7b39",
    shapes: `<rect x="32" y="68" width="36" height="9" rx="4" fill="#ffffff" stroke="${DARK}" stroke-width="2"/>`,
  },
  // Cool pose: sunglasses.
  14: {
    tint: "#3d7bff",
    shapes:
      `<rect x="18" y="30" width="26" height="14" rx="4" fill="#111111"/>` +
      `<rect x="56" y="30" width="26" height="14" rx="4" fill="#111111"/>` +
      `<rect x="44" y="34" width="12" height="3" fill="#111111"/>`,
  },
  // Sad: a frown and a tear.
  15: {
    tint: "#5a6f8f",
    shapes:
      `<path d="M32 80 Q50 64 68 80" stroke="${DARK}" stroke-width="4" fill="none"/>` +
      `<path d="M70 46 Q74 54 70 58 Q66 54 70 46 Z" fill="#4fc3ff"/>`,
  },
  // Forced smile: a flat mouth with small upturned corners.
  16: {
    tint: "#3fbf6a",
    shapes: `<path d="M30 70 L34 74 L66 74 L70 70" stroke="${DARK}" stroke-width="4" fill="none"/>`,
  },
  // Opening eyes: big white eyes with pupils.
  100: {
    tint: "#2fd6d6",
    shapes:
      `<circle cx="32" cy="38" r="9" fill="#ffffff" stroke="${DARK}" stroke-width="2"/>` +
      `<circle cx="68" cy="38" r="9" fill="#ffffff" stroke="${DARK}" stroke-width="2"/>` +
      `<circle cx="32" cy="38" r="4" fill="${DARK}"/><circle cx="68" cy="38" r="4" fill="${DARK}"/>`,
  },
};

export function isExpressionCode(value: number): value is ExpressionCode {
  return (EXPRESSION_CODES as readonly number[]).includes(value);
}

/** Returns the edited image as JPEG, sized like the input. */
export function applyExpression(image: RawImage, code: ExpressionCode): Promise<Buffer> {
  return memo("expression", [pixels(image), code], () => expressionUncached(image, code));
}

async function expressionUncached(image: RawImage, code: ExpressionCode): Promise<Buffer> {
  const look = LOOKS[code];
  const face = centralFaceBox(image.width, image.height);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${image.width}" height="${image.height}">` +
    `<rect width="${image.width}" height="${image.height}" fill="${look.tint}" fill-opacity="0.28"/>` +
    `<g transform="translate(${face.left} ${face.top}) scale(${face.width / 100} ${face.height / 100})">` +
    `${look.shapes}</g></svg>`;
  const overlay = await sharp(Buffer.from(svg))
    .resize(image.width, image.height, { fit: "fill" })
    .png()
    .toBuffer();
  return rawToSharp(image)
    .composite([{ input: overlay, left: 0, top: 0 }])
    .jpeg({ quality: 90 })
    .toBuffer();
}
