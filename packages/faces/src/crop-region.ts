import type { Box } from "./types";

export interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Room kept around a face, in face sizes on each side: hair, chin and shoulders stay in. */
const MARGIN = 1;

/**
 * Where to cut a photo larger than a vendor takes (`maxSide`), so its faces reach the vendor at
 * full resolution instead of shrunk with the whole photo: a `maxSide` window (or the photo's own
 * side, if smaller) centred on the faces — the largest face with its margin first, then every
 * other face whose margin still fits. Undefined when the photo fits as it is or has no face.
 */
export function cropAroundFaces(
  image: { width: number; height: number },
  faces: readonly Box[],
  maxSide: number,
): Region | undefined {
  if (faces.length === 0 || Math.max(image.width, image.height) <= maxSide) return undefined;
  const width = Math.min(image.width, maxSide);
  const height = Math.min(image.height, maxSide);
  let union = withMargin(faces[0]!);
  for (const face of faces.slice(1)) {
    const grown = join(union, withMargin(face));
    if (grown.right - grown.left <= width && grown.bottom - grown.top <= height) union = grown;
  }
  const cx = (union.left + union.right) / 2;
  const cy = (union.top + union.bottom) / 2;
  return {
    left: Math.round(clamp(cx - width / 2, 0, image.width - width)),
    top: Math.round(clamp(cy - height / 2, 0, image.height - height)),
    width,
    height,
  };
}

interface Edges {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

function withMargin(box: Box): Edges {
  const m = Math.max(box.width, box.height) * MARGIN;
  return { left: box.x - m, top: box.y - m, right: box.x + box.width + m, bottom: box.y + box.height + m };
}

function join(a: Edges, b: Edges): Edges {
  return {
    left: Math.min(a.left, b.left),
    top: Math.min(a.top, b.top),
    right: Math.max(a.right, b.right),
    bottom: Math.max(a.bottom, b.bottom),
  };
}

const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
