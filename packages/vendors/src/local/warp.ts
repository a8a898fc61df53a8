import type { Point } from "@facegate/faces";
import Delaunator from "delaunator";
import { type Raster, sample } from "./raster";

/** Triangles (index triples) over the points: the Delaunay triangulation of the template's landmarks. */
export function triangulate(points: readonly Point[]): Uint32Array {
  return Delaunator.from(
    [...points],
    (p) => p.x,
    (p) => p.y,
  ).triangles;
}

/**
 * Piecewise-affine warp: each triangle of `to` (in the output's geometry) is filled from the same
 * triangle of `from` in `source`, so the source's face takes the output's face shape. Returns the
 * warped pixels (RGB floats) and which output pixels a triangle covered.
 */
export function warpTriangles(
  source: Raster,
  from: readonly Point[],
  to: readonly Point[],
  triangles: Uint32Array,
  width: number,
  height: number,
): { pixels: Float32Array; covered: Uint8Array } {
  const pixels = new Float32Array(width * height * 3);
  const covered = new Uint8Array(width * height);
  for (let t = 0; t < triangles.length; t += 3) {
    const [a, b, c] = [triangles[t]!, triangles[t + 1]!, triangles[t + 2]!];
    const d0 = to[a]!;
    const d1 = to[b]!;
    const d2 = to[c]!;
    const s0 = from[a]!;
    const s1 = from[b]!;
    const s2 = from[c]!;
    const det = (d1.y - d2.y) * (d0.x - d2.x) + (d2.x - d1.x) * (d0.y - d2.y);
    if (Math.abs(det) < 1e-6) continue;
    const minX = Math.max(0, Math.floor(Math.min(d0.x, d1.x, d2.x)));
    const maxX = Math.min(width - 1, Math.ceil(Math.max(d0.x, d1.x, d2.x)));
    const minY = Math.max(0, Math.floor(Math.min(d0.y, d1.y, d2.y)));
    const maxY = Math.min(height - 1, Math.ceil(Math.max(d0.y, d1.y, d2.y)));
    for (let y = minY; y <= maxY; y++) {
      for (let x = minX; x <= maxX; x++) {
        // Barycentric coordinates of the pixel in the output triangle…
        const l0 = ((d1.y - d2.y) * (x - d2.x) + (d2.x - d1.x) * (y - d2.y)) / det;
        const l1 = ((d2.y - d0.y) * (x - d2.x) + (d0.x - d2.x) * (y - d2.y)) / det;
        const l2 = 1 - l0 - l1;
        if (l0 < -1e-4 || l1 < -1e-4 || l2 < -1e-4) continue;
        // …are the same in the source triangle.
        const sx = l0 * s0.x + l1 * s1.x + l2 * s2.x;
        const sy = l0 * s0.y + l1 * s1.y + l2 * s2.y;
        const i = y * width + x;
        covered[i] = 1;
        for (let ch = 0; ch < 3; ch++) pixels[i * 3 + ch] = sample(source, sx, sy, ch);
      }
    }
  }
  return { pixels, covered };
}
