import sharp from "sharp";
import { withRecognition } from "./runtime";
import type { RawImage } from "./types";

/**
 * The 128-d face descriptor (face-api's recognition model) of the largest face, for measuring
 * identity: two photos of one person lie close (cosine near 1). Undefined when no face is found.
 * The model describes the face's box as it stands, and a tilted head reads as a different person
 * about as much as a different face does; so the image is first turned to level the eyes, and every
 * face (a photo, a fusion, a paste) is described upright over the same landmark-aligned box.
 */
export async function describeFace(image: RawImage): Promise<Float32Array | undefined> {
  const found = await largestDescribed(image);
  if (!found) return undefined;
  const eyes = found.landmarks;
  const [left, right] = [centre(eyes.getLeftEye()), centre(eyes.getRightEye())];
  const roll = (Math.atan2(right.y - left.y, right.x - left.x) * 180) / Math.PI;
  if (Math.abs(roll) < 2) return found.descriptor;
  const { data, info } = await sharp(
    Buffer.from(image.data.buffer, image.data.byteOffset, image.data.length),
    {
      raw: { width: image.width, height: image.height, channels: image.channels },
    },
  )
    .rotate(-roll, { background: "#808080" })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const upright = await largestDescribed({ data, width: info.width, height: info.height, channels: 3 });
  return (upright ?? found).descriptor;
}

const centre = (ps: { x: number; y: number }[]) => ({
  x: ps.reduce((s, p) => s + p.x, 0) / ps.length,
  y: ps.reduce((s, p) => s + p.y, 0) / ps.length,
});

async function largestDescribed(image: RawImage) {
  const api = await withRecognition();
  const tensor = api.tf.tidy(() =>
    api.tf.slice(
      api.tf.tensor3d(image.data, [image.height, image.width, image.channels], "int32"),
      [0, 0, 0],
      [-1, -1, 3],
    ),
  );
  try {
    const found = await api
      .detectAllFaces(tensor as never)
      .withFaceLandmarks()
      .withFaceDescriptors();
    return found.sort((a, b) => b.detection.box.area - a.detection.box.area)[0];
  } finally {
    tensor.dispose();
  }
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return dot / Math.sqrt(na * nb);
}
