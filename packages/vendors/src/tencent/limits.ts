import type { FaceLimits, ImageLimits, InputRole, Operation } from "@facegate/core";
import { above, below, MB, rawBytesForBase64 } from "../limits";

/**
 * FuseFace inputs (docs/vendors.md, Tencent Cloud, latest SDK docstring): jpg/png, larger than 64×64 and smaller than
 * 4096×4096, base64 ≤ 5 MB — facegate sends base64, so the raw file must stay under ~3.4 MiB.
 * Each `merges` face uses these too. FuseFace takes no template image (the material is chosen by
 * `ModelId`), so a template, if asked about, gets the same limits and is never sent.
 */
const FACE: ImageLimits = {
  formats: ["jpeg", "png"],
  maxBytes: rawBytesForBase64(5 * MB),
  minSide: above(64),
  maxSide: below(4096),
};

export function tencentLimits(operation: Operation, _role: InputRole): ImageLimits {
  if (operation !== "face_fusion") throw new RangeError(`tencent does not run ${operation}`);
  return FACE;
}

/** "Face larger than 34×34" (the `MergeInfos` docstring); each merge image is one face. */
export function tencentFaceLimits(operation: Operation): FaceLimits {
  if (operation !== "face_fusion") throw new RangeError(`tencent does not run ${operation}`);
  return { minFacePx: above(34) };
}
