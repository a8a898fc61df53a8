import { decodeForDetection } from "./decode";
import { type FaceApiModule, faceApi } from "./runtime";
import { mergeOverlapping, tileWindows } from "./tiles";
import type { Box, DetectOptions, Face, RawImage } from "./types";

/**
 * The detector works on a 512×512 view of what it is given, so pixels beyond about twice that
 * only cost decoding time; images are shrunk to this side first.
 */
export const DETECTION_SIDE = 1024;
/**
 * When the whole view shows no face, a large photo is looked at again in overlapping windows of
 * a view this large: a 200 px face in a 6000 px photo is too small to see whole, not in tiles.
 */
const TILED_VIEW_SIDE = 2048;

let queue: Promise<unknown> = Promise.resolve();

/**
 * Find the faces in an image file (any format sharp reads) or in decoded pixels. Boxes and
 * landmarks are in the pixels of the (oriented) original, largest face first. Calls run one at a
 * time: the model has one thread, and two images in flight would only double the memory.
 */
export async function detectFaces(input: Buffer | RawImage, options: DetectOptions = {}): Promise<Face[]> {
  return (await findFaces(input, options)).faces;
}

/** The faces of an image and the size (oriented) their boxes are measured in. */
export function findFaces(input: Buffer | RawImage, options: DetectOptions = {}): Promise<FoundFaces> {
  const run = queue.then(() => detectNow(input, options));
  queue = run.catch(() => undefined);
  return run;
}

export interface FoundFaces {
  width: number;
  height: number;
  faces: Face[];
}

async function detectNow(input: Buffer | RawImage, options: DetectOptions): Promise<FoundFaces> {
  const api = await faceApi();
  if (!Buffer.isBuffer(input)) {
    return { width: input.width, height: input.height, faces: sorted(await inImage(api, input, options)) };
  }
  const whole = await decode(input, DETECTION_SIDE);
  let faces = scaled(await inImage(api, whole.image, options), whole.scale);
  if (faces.length === 0 && Math.max(whole.width, whole.height) > DETECTION_SIDE * 1.5) {
    const fine = await decode(input, TILED_VIEW_SIDE);
    const found: Face[] = [];
    for (const w of tileWindows(fine.image.width, fine.image.height, DETECTION_SIDE)) {
      const inTile = await inImage(api, fine.image, options, w);
      found.push(...inTile.map((f) => shifted(f, w.left, w.top)));
    }
    faces = scaled(mergeOverlapping(found), fine.scale);
  }
  return { width: whole.width, height: whole.height, faces: sorted(faces) };
}

async function decode(input: Buffer, side: number) {
  try {
    return await decodeForDetection(input, side);
  } catch (error) {
    throw new UnreadableImageError((error as Error).message);
  }
}

/** The model on an image, or on one window of it; boxes in the window's pixels. */
async function inImage(
  api: FaceApiModule,
  image: RawImage,
  options: DetectOptions,
  window?: { left: number; top: number; width: number; height: number },
): Promise<Face[]> {
  const tensor = api.tf.tidy(() => {
    const pixels = api.tf.tensor3d(image.data, [image.height, image.width, image.channels], "int32");
    const w = window ?? { left: 0, top: 0, width: image.width, height: image.height };
    return api.tf.slice(pixels, [w.top, w.left, 0], [w.height, w.width, 3]);
  });
  try {
    const detector = new api.SsdMobilenetv1Options({
      minConfidence: options.minScore ?? 0.5,
      maxResults: options.maxFaces ?? 20,
    });
    if (options.landmarks) {
      const found = await api.detectAllFaces(tensor as never, detector).withFaceLandmarks();
      return found.map((r) => ({
        box: plain(r.detection.box),
        score: r.detection.score,
        landmarks: r.landmarks.positions.map((p) => ({ x: p.x, y: p.y })),
      }));
    }
    const found = await api.detectAllFaces(tensor as never, detector);
    return found.map((d) => ({ box: plain(d.box), score: d.score }));
  } finally {
    tensor.dispose();
  }
}

const plain = (b: Box): Box => ({ x: b.x, y: b.y, width: b.width, height: b.height });

function shifted(face: Face, dx: number, dy: number): Face {
  return {
    ...face,
    box: { ...face.box, x: face.box.x + dx, y: face.box.y + dy },
    landmarks: face.landmarks?.map((p) => ({ x: p.x + dx, y: p.y + dy })),
  };
}

function scaled(faces: Face[], scale: number): Face[] {
  return faces.map((f) => ({
    box: { x: f.box.x * scale, y: f.box.y * scale, width: f.box.width * scale, height: f.box.height * scale },
    score: f.score,
    landmarks: f.landmarks?.map((p) => ({ x: p.x * scale, y: p.y * scale })),
  }));
}

const sorted = (faces: Face[]) => faces.sort((a, b) => area(b.box) - area(a.box));

export const area = (box: Box): number => box.width * box.height;

/** A face's size as vendors measure it: the shorter side of its box. */
export const faceSide = (box: Box): number => Math.min(box.width, box.height);

/** The bytes are not an image the decoder can read. */
export class UnreadableImageError extends Error {
  override readonly name = "UnreadableImageError";
}
