import { largestFace } from "./fusion";
import { decodeRgb, type Raster, sample } from "./raster";

/** How far the jaw's outer points move toward the face's middle at `slim_degree` 1, as a share of their distance. */
const PULL_PER_DEGREE = 0.05;
/** The spread of each jaw point's pull, in face widths. */
const SPREAD = 0.12;

/**
 * Face slimming on the CPU: the jaw line (landmarks 2–14) is pulled toward the nose's vertical
 * line, the outer points most and the chin hardly at all, through one smooth displacement field
 * (a normalised Gaussian blend of the points' moves, so neighbouring moves never add up and
 * nothing tears). `degree` 0..2 as AILab's `slim_degree`.
 */
export async function slimFace(file: Buffer, degree: number, maxSide: number): Promise<Raster> {
  const image = await decodeRgb(file, maxSide);
  if (degree <= 0) return image;
  const face = await largestFace(image, "target");
  const points = face.landmarks!.slice(2, 15);
  const middle = face.landmarks![30]!.x; // the nose tip
  const moves = points.map((p) => (middle - p.x) * PULL_PER_DEGREE * degree);
  const sigma = face.box.width * SPREAD;
  const twoS2 = 2 * sigma * sigma;
  const out = new Uint8Array(image.data);
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const minX = Math.max(0, Math.floor(Math.min(...xs) - 3 * sigma));
  const maxX = Math.min(image.width - 1, Math.ceil(Math.max(...xs) + 3 * sigma));
  const minY = Math.max(0, Math.floor(Math.min(...ys) - 3 * sigma));
  const maxY = Math.min(image.height - 1, Math.ceil(Math.max(...ys) + 3 * sigma));
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      let total = 0;
      let move = 0;
      for (let k = 0; k < points.length; k++) {
        const dx = x - points[k]!.x;
        const dy = y - points[k]!.y;
        const w = Math.exp(-(dx * dx + dy * dy) / twoS2);
        total += w;
        move += w * moves[k]!;
      }
      const shift = move / Math.max(1, total);
      if (Math.abs(shift) < 0.01) continue;
      // Backward map: this pixel shows what was `shift` further out.
      const i = (y * image.width + x) * 3;
      for (let c = 0; c < 3; c++) out[i + c] = Math.round(sample(image, x - shift, y, c));
    }
  }
  return { data: out, width: image.width, height: image.height };
}
