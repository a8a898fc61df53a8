import sharp, { type Sharp } from "sharp";
import { type Box, centralFaceBox } from "./fusion";
import type { RawImage } from "./inspect";

/**
 * Synthetic portraits: a colour gradient with cartoon faces (skin ellipse, eyes, mouth). They are
 * the simulator's Tencent material templates, and tests and contract suites use them as inputs,
 * since they pass every check the simulator makes (colour, not uniform) without shipping photos.
 */

export interface SyntheticFaceOptions {
  /** @defaultValue 400 */
  width?: number;
  /** @defaultValue 500 */
  height?: number;
  /** Background hue in degrees; different hues make different-looking people. @defaultValue 210 */
  hue?: number;
  /** @defaultValue "jpeg" */
  format?: "jpeg" | "png";
}

/** One face in the middle of the picture, where the simulator looks for it. */
export async function syntheticFace(options: SyntheticFaceOptions = {}): Promise<Buffer> {
  const width = options.width ?? 400;
  const height = options.height ?? 500;
  const pipeline = scene(width, height, options.hue ?? 210, [centralFaceBox(width, height)]);
  return options.format === "png" ? pipeline.png().toBuffer() : pipeline.jpeg({ quality: 90 }).toBuffer();
}

/** A group photo for a material: `faceCount` faces side by side, the first one the largest. */
export async function syntheticGroup(
  width: number,
  height: number,
  faceCount: number,
  hue = 140,
): Promise<{ image: RawImage; faces: Box[] }> {
  const slot = width / faceCount;
  const faces = Array.from({ length: faceCount }, (_, i) => {
    const scale = i === 0 ? 0.8 : 0.62;
    const faceWidth = Math.round(slot * scale);
    const faceHeight = Math.min(Math.round(faceWidth * 1.3), Math.round(height * 0.8));
    return {
      left: Math.round(slot * i + (slot - faceWidth) / 2),
      top: Math.round((height - faceHeight) / 2),
      width: faceWidth,
      height: faceHeight,
    };
  });
  const { data, info } = await scene(width, height, hue, faces)
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { image: { data, width: info.width, height: info.height }, faces };
}

function scene(width: number, height: number, hue: number, faces: readonly Box[]): Sharp {
  const shapes = faces.map((face) => faceSvg(face, hue)).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${shapes}</svg>`;
  return sharp(gradient(width, height, hue), { raw: { width, height, channels: 3 } }).composite([
    { input: Buffer.from(svg), left: 0, top: 0 },
  ]);
}

function faceSvg(box: Box, hue: number): string {
  const x = (u: number) => (box.left + (box.width * u) / 100).toFixed(1);
  const y = (v: number) => (box.top + (box.height * v) / 100).toFixed(1);
  const rx = ((box.width * 42) / 100).toFixed(1);
  const ry = ((box.height * 46) / 100).toFixed(1);
  const eye = ((Math.min(box.width, box.height) * 5) / 100).toFixed(1);
  const [hr, hg, hb] = hslToRgb((hue + 180) % 360, 0.5, 0.25);
  return (
    `<ellipse cx="${x(50)}" cy="${y(50)}" rx="${rx}" ry="${ry}" fill="#e8b894"/>` +
    `<ellipse cx="${x(50)}" cy="${y(12)}" rx="${rx}" ry="${((box.height * 14) / 100).toFixed(1)}" ` +
    `fill="rgb(${hr},${hg},${hb})"/>` +
    `<circle cx="${x(33)}" cy="${y(40)}" r="${eye}" fill="#2a2a2a"/>` +
    `<circle cx="${x(67)}" cy="${y(40)}" r="${eye}" fill="#2a2a2a"/>` +
    `<path d="M${x(48)} ${y(48)} L${x(45)} ${y(60)} L${x(52)} ${y(60)}" stroke="#b07b5a" stroke-width="2" fill="none"/>` +
    `<path d="M${x(35)} ${y(72)} Q${x(50)} ${y(82)} ${x(65)} ${y(72)}" stroke="#a0304a" stroke-width="3" fill="none"/>`
  );
}

/** Diagonal gradient between two shades of the hue, computed pixel by pixel (no SVG gradients needed). */
function gradient(width: number, height: number, hue: number): Buffer {
  const from = hslToRgb(hue, 0.55, 0.78);
  const to = hslToRgb((hue + 40) % 360, 0.6, 0.38);
  const data = Buffer.alloc(width * height * 3);
  const span = Math.max(1, width + height - 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const t = (x + y) / span;
      const o = (y * width + x) * 3;
      data[o] = Math.round(from[0] + (to[0] - from[0]) * t);
      data[o + 1] = Math.round(from[1] + (to[1] - from[1]) * t);
      data[o + 2] = Math.round(from[2] + (to[2] - from[2]) * t);
    }
  }
  return data;
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const hp = h / 60;
  const x = c * (1 - Math.abs((hp % 2) - 1));
  const [r, g, b] =
    hp < 1
      ? [c, x, 0]
      : hp < 2
        ? [x, c, 0]
        : hp < 3
          ? [0, c, x]
          : hp < 4
            ? [0, x, c]
            : hp < 5
              ? [x, 0, c]
              : [c, 0, x];
  const m = l - c / 2;
  return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}
