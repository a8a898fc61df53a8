import type { Point } from "@facegate/faces";
import { blurMask } from "./raster";

/** The face outline from the extended landmarks (fusion.ts, withForehead): jaw (78–94), then the raised brows back (77–68). */
export function faceOutline(landmarks: readonly Point[]): Point[] {
  const jaw = landmarks.slice(78, 95);
  const brows = landmarks.slice(68, 78).reverse();
  return [...jaw, ...brows];
}

/** 1 inside the polygon, 0 outside (even-odd rule, pixel centres). */
export function fillPolygon(polygon: readonly Point[], width: number, height: number): Float32Array {
  const mask = new Float32Array(width * height);
  const ys = polygon.map((p) => p.y);
  const top = Math.max(0, Math.floor(Math.min(...ys)));
  const bottom = Math.min(height - 1, Math.ceil(Math.max(...ys)));
  for (let y = top; y <= bottom; y++) {
    const cy = y + 0.5;
    const crossings: number[] = [];
    for (let i = 0; i < polygon.length; i++) {
      const a = polygon[i]!;
      const b = polygon[(i + 1) % polygon.length]!;
      if ((a.y <= cy && b.y > cy) || (b.y <= cy && a.y > cy)) {
        crossings.push(a.x + ((cy - a.y) / (b.y - a.y)) * (b.x - a.x));
      }
    }
    crossings.sort((p, q) => p - q);
    for (let k = 0; k + 1 < crossings.length; k += 2) {
      const from = Math.max(0, Math.ceil(crossings[k]! - 0.5));
      const to = Math.min(width - 1, Math.floor(crossings[k + 1]! - 0.5));
      for (let x = from; x <= to; x++) mask[y * width + x] = 1;
    }
  }
  return mask;
}

/**
 * A feathered blend weight inside the mask: blurred, then only its inner half kept and stretched
 * to 0..1, so the weight reaches 0 at the outline and 1 a blur's width inside (nothing leaks out
 * where the warped face has no pixels), and is zero wherever `covered` is not.
 */
export async function featherInside(
  mask: Float32Array,
  covered: Uint8Array,
  width: number,
  height: number,
  sigma: number,
): Promise<Float32Array> {
  const hard = new Float32Array(mask.length);
  for (let i = 0; i < mask.length; i++) hard[i] = mask[i]! * covered[i]!;
  const soft = await blurMask(hard, width, height, sigma);
  for (let i = 0; i < soft.length; i++)
    soft[i] = covered[i] ? Math.min(1, Math.max(0, (soft[i]! - 0.5) * 2)) : 0;
  return soft;
}
