import { detectFaces, type Face } from "@facegate/faces";
import { matchColour } from "./colour";
import { faceOutline, featherInside, fillPolygon } from "./mask";
import { decodeRgb, type Raster } from "./raster";
import { triangulate, warpTriangles } from "./warp";

/** Largest side worked on: the CPU cost is per pixel, and vendors' own outputs are no larger. */
export const WORK_SIDE = 1600;

/**
 * Face fusion on the CPU (docs/vendors.md, "local"): the target's face onto the template's head.
 * The target's face is warped onto the template's face geometry triangle by triangle (Delaunay
 * over the template's 68 landmarks), its colour moved to the template's skin, and blended in
 * with a feathered mask over the face outline. `strength` 0..1 is how much of the target's face
 * shows (AILab's `source_similarity` reading: 1 is most like the target).
 */
export async function fuseFaces(target: Buffer, template: Buffer, strength = 1): Promise<Raster> {
  const [source, base] = [await decodeRgb(target, WORK_SIDE), await decodeRgb(template, WORK_SIDE)];
  const from = await largestFace(source, "target");
  const to = await largestFace(base, "template");
  const { width, height } = base;
  const triangles = triangulate(to.landmarks!);
  const warped = warpTriangles(source, from.landmarks!, to.landmarks!, triangles, width, height);
  const outline = fillPolygon(faceOutline(to.landmarks!), width, height);
  const weight = await featherInside(outline, warped.covered, width, height, to.box.width * 0.06);
  matchColour(warped.pixels, base.data, weight);
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
