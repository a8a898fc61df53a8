import type { FaceLimits, ImageLimits, InputRole, Operation } from "@facegate/core";
import { MB, rawBytesForBase64 } from "../limits";

/**
 * ai-gs faceswap limits (docs/vendors.md, ai-gs). The page says "≤ 5 MB" without saying whether of the file or
 * of the base64 string facegate sends, so the stricter reading (base64) is used. Formats are not
 * documented: JPEG and PNG, which every image API takes. Target sides 50..2048 px inclusive
 * ("最小 50 x 50，最大 2048 x 2048"); the template's longest side "should not exceed 1280" — a
 * recommendation, applied since normalising only costs pixels; its minimum is not stated (50 taken).
 */
const TARGET: ImageLimits = {
  formats: ["jpeg", "png"],
  maxBytes: rawBytesForBase64(5 * MB),
  minSide: 50,
  maxSide: 2048,
};

const TEMPLATE: ImageLimits = { ...TARGET, maxSide: 1280 };

export function aigsLimits(operation: Operation, role: InputRole): ImageLimits {
  if (operation !== "face_fusion") throw new RangeError(`aigs does not run ${operation}`);
  return role === "target" ? TARGET : TEMPLATE;
}

/**
 * The page asks for a "clear, unobstructed face" and names 50×50 as the smallest image; a face
 * cannot be clear in fewer pixels than the smallest image holds, so 50 px is taken for the face.
 */
export function aigsFaceLimits(operation: Operation): FaceLimits {
  if (operation !== "face_fusion") throw new RangeError(`aigs does not run ${operation}`);
  return { minFacePx: 50 };
}
