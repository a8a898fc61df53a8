import type { FaceLimits, ImageLimits, InputRole, Operation } from "@facegate/core";
import { above, below, MB } from "../limits";

/**
 * AILab input limits (docs/vendors.md, AILabTools and the endpoint pages). Files go up as multipart, so the byte
 * limits are of the raw file. Where a page names no minimum side, none is enforced (1 px).
 */
const FACE_FUSION_TARGET: ImageLimits = {
  formats: ["jpeg", "png", "bmp"],
  maxBytes: 4 * MB,
  minSide: above(128),
  maxSide: below(4096),
  colorRequired: true, // "Black and white images are not supported."
};

const LIMITS: Record<Operation, Partial<Record<InputRole, ImageLimits>>> = {
  face_fusion: {
    target: FACE_FUSION_TARGET,
    // "Black and white images are not supported" is said of image_target only.
    template: { ...FACE_FUSION_TARGET, minSide: above(200), colorRequired: false },
  },
  expression: {
    target: { formats: ["jpeg", "png"], maxBytes: 5 * MB, minSide: 1, maxSide: below(4096) },
  },
  face_slimming: {
    target: { formats: ["jpeg", "png"], maxBytes: 6 * MB, minSide: above(128), maxSide: below(5000) },
  },
};

export function ailabLimits(operation: Operation, role: InputRole): ImageLimits {
  const limits = LIMITS[operation][role];
  if (!limits) throw new RangeError(`ailab ${operation} takes no ${role} image`);
  return limits;
}

/**
 * Faces AILab takes in the target. Face fusion: "a face box of at least 200 px recommended" —
 * the only size the page names, so the pre-flight holds to it and `auto` routes smaller faces to
 * a vendor that takes them. Slimming: "1 to 3 faces of at least 64×64". Expression names no size.
 */
const FACES: Record<Operation, FaceLimits> = {
  face_fusion: { minFacePx: 200 },
  face_slimming: { minFacePx: 64, maxFaces: 3 },
  expression: { minFacePx: 1 },
};

export function ailabFaceLimits(operation: Operation): FaceLimits {
  return FACES[operation];
}
