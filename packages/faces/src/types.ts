/** A point in image pixels. */
export interface Point {
  x: number;
  y: number;
}

/** An axis-aligned rectangle in image pixels. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One face found in an image, in that image's pixels (after EXIF orientation). */
export interface Face {
  box: Box;
  /** The detector's confidence, 0..1. */
  score: number;
  /** The 68 points of the iBUG 300-W layout (jaw 0–16, brows 17–26, nose 27–35, eyes 36–47, mouth 48–67), when asked for. */
  landmarks?: Point[] | undefined;
}

/** Decoded pixels: `channels` bytes per pixel, row after row. */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

export interface DetectOptions {
  /** Also locate the 68 landmarks of each face (one more model pass per face). */
  landmarks?: boolean;
  /** Faces scored below this are dropped. @defaultValue 0.5 */
  minScore?: number;
  /** At most this many faces, best first. @defaultValue 20 */
  maxFaces?: number;
}
