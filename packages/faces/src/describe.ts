import { withRecognition } from "./runtime";
import type { RawImage } from "./types";

/**
 * The 128-d face descriptor (face-api's recognition model) of the largest face, for measuring
 * identity: two photos of one person lie close (cosine near 1). Undefined when no face is found.
 */
export async function describeFace(image: RawImage): Promise<Float32Array | undefined> {
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
    const largest = found.sort((a, b) => b.detection.box.area - a.detection.box.area)[0];
    return largest?.descriptor;
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
