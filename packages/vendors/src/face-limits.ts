import type { FaceLimits, ImageFaces, JobError, Operation, VendorId } from "@facegate/core";
import { aigsFaceLimits } from "./aigs/limits";
import { ailabFaceLimits } from "./ailab/limits";
import { localFaceLimits } from "./local/limits";
import { tencentFaceLimits } from "./tencent/limits";

const FACE_LIMITS: Record<VendorId, (operation: Operation) => FaceLimits> = {
  ailab: ailabFaceLimits,
  aigs: aigsFaceLimits,
  tencent: tencentFaceLimits,
  local: localFaceLimits,
};

/** What `vendor` takes in faces for `operation` (docs/vendors.md, "Faces"). */
export function faceLimits(vendor: VendorId, operation: Operation): FaceLimits {
  return FACE_LIMITS[vendor](operation);
}

/** A face's size as the vendors measure it: the shorter side of its box. */
export const faceSidePx = (face: { width: number; height: number }): number =>
  Math.min(face.width, face.height);

/**
 * Whether a vendor would take these images' faces; the refusal it would answer, in facegate's
 * codes, when not (without a `vendor`: no vendor was called). Each image must hold a face of the vendor's size, and no more faces of that
 * size than the operation takes: faces smaller than the vendor looks at (people far behind) are
 * not counted against the maximum, since refusing a good photo costs more than one vendor call.
 */
export function judgeFaces(
  images: readonly ImageFaces[],
  limits: FaceLimits,
  vendor: VendorId,
): JobError | undefined {
  for (const image of images) {
    const faces = image.faces;
    if (faces.length === 0) {
      return { code: "no_face_detected", message: "no face was found in the photo", retryable: false };
    }
    const largest = Math.max(...faces.map(faceSidePx));
    if (largest < limits.minFacePx) {
      return {
        code: "face_too_small",
        message: `the largest face is ${Math.round(largest)} px; ${vendor} needs at least ${limits.minFacePx} px`,
        retryable: false,
      };
    }
    const counted = faces.filter((f) => faceSidePx(f) >= limits.minFacePx).length;
    if (limits.maxFaces !== undefined && counted > limits.maxFaces) {
      return {
        code: "too_many_faces",
        message: `${counted} faces were found; ${vendor} takes at most ${limits.maxFaces}`,
        retryable: false,
      };
    }
  }
  return undefined;
}
