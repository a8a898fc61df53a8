export { decodeForDetection } from "./decode";
export { DETECTION_SIDE, detectFaces, faceSide } from "./detect";
export type { Box, DetectOptions, Face, Point, RawImage } from "./types";
