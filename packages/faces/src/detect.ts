import { decodeForDetection } from "./decode";
import { faceApi } from "./runtime";
import type { Box, DetectOptions, Face, RawImage } from "./types";

/**
 * The detector works on a 512×512 view of the whole image, so pixels beyond about twice that
 * only cost decoding time; images are shrunk to this side first.
 */
export const DETECTION_SIDE = 1024;

let queue: Promise<unknown> = Promise.resolve();

/**
 * Find the faces in an image file (any format sharp reads) or in decoded pixels. Boxes and
 * landmarks are in the pixels of the (oriented) original, largest face first. Calls run one at a
 * time: the model has one thread, and two images in flight would only double the memory.
 */
export function detectFaces(input: Buffer | RawImage, options: DetectOptions = {}): Promise<Face[]> {
  const run = queue.then(() => detectNow(input, options));
  queue = run.catch(() => undefined);
  return run;
}

async function detectNow(input: Buffer | RawImage, options: DetectOptions): Promise<Face[]> {
  const api = await faceApi();
  let image: RawImage;
  let scale = 1;
  if (Buffer.isBuffer(input)) {
    ({ image, scale } = await decodeForDetection(input, DETECTION_SIDE));
  } else {
    image = input;
  }
  const tensor = api.tf.tidy(() => {
    const pixels = api.tf.tensor3d(image.data, [image.height, image.width, image.channels], "int32");
    return image.channels === 4 ? api.tf.slice(pixels, [0, 0, 0], [-1, -1, 3]) : pixels;
  });
  try {
    const detector = new api.SsdMobilenetv1Options({
      minConfidence: options.minScore ?? 0.5,
      maxResults: options.maxFaces ?? 20,
    });
    const found = options.landmarks
      ? (await api.detectAllFaces(tensor as never, detector).withFaceLandmarks()).map((r) => ({
          box: r.detection.box,
          score: r.detection.score,
          points: r.landmarks.positions,
        }))
      : (await api.detectAllFaces(tensor as never, detector)).map((d) => ({
          box: d.box,
          score: d.score,
          points: undefined,
        }));
    return found
      .map(
        (f): Face => ({
          box: scaleBox(f.box, scale),
          score: f.score,
          landmarks: f.points?.map((p) => ({ x: p.x * scale, y: p.y * scale })),
        }),
      )
      .sort((a, b) => area(b.box) - area(a.box));
  } finally {
    tensor.dispose();
  }
}

function scaleBox(box: Box, scale: number): Box {
  return { x: box.x * scale, y: box.y * scale, width: box.width * scale, height: box.height * scale };
}

export const area = (box: Box): number => box.width * box.height;

/** A face's size as vendors measure it: the shorter side of its box. */
export const faceSide = (box: Box): number => Math.min(box.width, box.height);
