/**
 * The face pre-flight's vocabulary: what a vendor takes in faces, and what facegate found in an
 * input before calling one (docs/preflight.md).
 */

/** A face's box in the pixels of the stored input (EXIF orientation applied). */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

/** The faces of one input image, largest first. */
export interface ImageFaces {
  /** The oriented image's size, which the boxes are measured in. */
  width: number;
  height: number;
  faces: FaceBox[];
}

/** What the pre-flight found in a job's face-bearing inputs (`target`, or each of `merges`). */
export interface FaceFindings {
  target?: ImageFaces | undefined;
  merges?: ImageFaces[] | undefined;
  /** CPU time the detection took. */
  ms: number;
}

/** What a vendor takes in faces for one operation (docs/vendors.md, "Faces"). */
export interface FaceLimits {
  /** The shorter side of the face box must be at least this many pixels. */
  minFacePx: number;
  /** At most this many faces in one image; undefined when the vendor says nothing. */
  maxFaces?: number | undefined;
}
