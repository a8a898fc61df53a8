import type { FaceLimits, ImageLimits, InputRole, Operation } from "@facegate/core";
import { MB } from "../limits";
import { WORK_SIDE } from "./fusion";

/**
 * The local vendor reads any photo sharp decodes; it works on at most WORK_SIDE pixels a side,
 * so larger inputs are shrunk to that before the call (the cost is per pixel). It needs a face
 * whose 68 landmarks can be placed: 64 px, as AILab asks for slimming.
 */
const IMAGE: ImageLimits = { formats: ["jpeg", "png"], maxBytes: 20 * MB, minSide: 64, maxSide: WORK_SIDE };

export function localLimits(operation: Operation, _role: InputRole): ImageLimits {
  if (operation === "expression") throw new RangeError("local does not run expression");
  return IMAGE;
}

export function localFaceLimits(operation: Operation): FaceLimits {
  if (operation === "expression") throw new RangeError("local does not run expression");
  return operation === "face_slimming" ? { minFacePx: 64, maxFaces: 3 } : { minFacePx: 64 };
}
