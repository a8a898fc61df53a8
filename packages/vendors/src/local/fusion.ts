import { detectFaces, type Face, type Point } from "@facegate/faces";
import { matchColour } from "./colour";
import { faceOutline, featherInside, fillPolygon } from "./mask";
import { decodeRgb, type Raster } from "./raster";
import { triangulate, warpTriangles } from "./warp";

/** Largest side worked on: the CPU cost is per pixel, and vendors' own outputs are no larger. */
export const WORK_SIDE = 1600;

/**
 * Face fusion on the CPU (docs/vendors.md, "local"): the target's face onto the template's head.
 * The target's face keeps its own shape, placed over the template's face by the similarity that
 * best fits the landmarks, and is warped there triangle by triangle (Delaunay over the 68
 * landmarks and an outline around forehead and jaw); its mean brightness and colour are moved to
 * the template's skin, and it is blended in with a narrow feather over that outline. `strength` 0..1 is how much of the target's face
 * shows (AILab's `source_similarity` reading: 1 is most like the target).
 */
export async function fuseFaces(target: Buffer, template: Buffer, strength = 1): Promise<Raster> {
  const [source, base] = [await decodeRgb(target, WORK_SIDE), await decodeRgb(template, WORK_SIDE)];
  const from = await largestFace(source, "target");
  const to = await largestFace(base, "template");
  const { width, height } = base;
  // The geometry the face takes: the target's own shape (what identity rests on), placed where the
  // template's face is by the similarity transform that best fits one set of landmarks to the other.
  const fromPts = withForehead(from.landmarks!);
  const toPts = withForehead(to.landmarks!);
  const shape = placeOnto(fromPts, toPts);
  const triangles = triangulate(shape);
  const warped = warpTriangles(source, fromPts, shape, triangles, width, height);
  const outline = fillPolygon(faceOutline(shape), width, height);
  // A narrow feather: a wide one lets the template's own features show through the face's rim.
  const weight = await featherInside(outline, warped.covered, width, height, to.box.width * 0.02);
  // Means only (spread limit 1): matching the spread too flattened the target's own shading.
  matchColour(warped.pixels, base.data, weight, 1);
  const out = new Uint8Array(base.data.length);
  for (let i = 0; i < weight.length; i++) {
    const a = weight[i]! * strength;
    for (let c = 0; c < 3; c++) {
      const j = i * 3 + c;
      out[j] = Math.round(base.data[j]! * (1 - a) + Math.min(255, Math.max(0, warped.pixels[j]!)) * a);
    }
  }
  return { data: out, width, height };
}

/** `points` moved by the rotation, scale and shift that best fit them to `onto` (least squares). */
export function placeOnto(points: readonly Point[], onto: readonly Point[]): Point[] {
  const n = points.length;
  const mean = (ps: readonly Point[]) => ({
    x: ps.reduce((s, p) => s + p.x, 0) / n,
    y: ps.reduce((s, p) => s + p.y, 0) / n,
  });
  const ma = mean(points);
  const mb = mean(onto);
  let a = 0;
  let b = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const px = points[i]!.x - ma.x;
    const py = points[i]!.y - ma.y;
    const qx = onto[i]!.x - mb.x;
    const qy = onto[i]!.y - mb.y;
    a += px * qx + py * qy;
    b += px * qy - py * qx;
    norm += px * px + py * py;
  }
  a /= norm;
  b /= norm;
  return points.map((p) => {
    const x = p.x - ma.x;
    const y = p.y - ma.y;
    return { x: a * x - b * y + mb.x, y: b * x + a * y + mb.y };
  });
}

/** The largest face with its landmarks; none is the caller's input error. */
export async function largestFace(image: Raster, role: "target" | "template"): Promise<Face> {
  const [face] = await detectFaces({ ...image, channels: 3 }, { landmarks: true });
  if (!face?.landmarks) throw new NoFaceError(role);
  return face;
}

export class NoFaceError extends Error {
  constructor(readonly role: "target" | "template") {
    super(`no face was found in the ${role}`);
    this.name = "NoFaceError";
  }
}

/**
 * The 68 landmarks plus an outline just outside them (points 68–94): the brows raised by
 * `forehead` of the bridge-to-chin height, then the jaw, both pushed `widen` out from the nose tip.
 * The brows-and-jaw outline alone leaves the forehead and the face's rim to the template, and the
 * descriptor reads those as the template's identity.
 */
export function withForehead(points: readonly Point[], forehead = 0.3, widen = 0.05): Point[] {
  const chin = points[8]!;
  const bridge = points[27]!;
  const nose = points[30]!;
  const up = { x: (bridge.x - chin.x) * forehead, y: (bridge.y - chin.y) * forehead };
  const out = (p: Point) => ({
    x: nose.x + (p.x - nose.x) * (1 + widen),
    y: nose.y + (p.y - nose.y) * (1 + widen),
  });
  return [
    ...points,
    ...points.slice(17, 27).map((p) => out({ x: p.x + up.x, y: p.y + up.y })),
    ...points.slice(0, 17).map(out),
  ];
}
