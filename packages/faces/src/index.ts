export { cropAroundFaces, type Region } from "./crop-region";
export { decodeForDetection } from "./decode";
export { cosine, describeFace } from "./describe";
export {
  DETECTION_SIDE,
  detectFaces,
  type FoundFaces,
  faceSide,
  findFaces,
  UnreadableImageError,
} from "./detect";
export { FACE_FIXTURES, type FaceFixture, faceFixture, faceFixturePath } from "./fixtures";
export type { Box, DetectOptions, Face, Point, RawImage } from "./types";
