import sharp from "sharp";
import { largestFace, WORK_SIDE } from "./fusion";
import { decodeRgb, type Raster } from "./raster";

/**
 * The baseline the local fusion is measured against (docs/benchmarks.md, "Faces"): the target's
 * face box stretched onto the template's face box and pasted through a soft ellipse, with no
 * landmarks, warp or colour matching.
 */
export async function naivePaste(target: Buffer, template: Buffer): Promise<Raster> {
  const base = await decodeRgb(template, WORK_SIDE);
  const source = await decodeRgb(target, WORK_SIDE);
  const from = (await largestFace(source, "target")).box;
  const to = (await largestFace(base, "template")).box;
  const patch = await sharp(source.data, { raw: { width: source.width, height: source.height, channels: 3 } })
    .extract({
      left: Math.round(from.x),
      top: Math.round(from.y),
      width: Math.round(from.width),
      height: Math.round(from.height),
    })
    .resize(Math.round(to.width), Math.round(to.height), { fit: "fill" })
    .raw()
    .toBuffer();
  const out = new Uint8Array(base.data);
  const w = Math.round(to.width);
  const h = Math.round(to.height);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const ex = (x - w / 2) / (w / 2);
      const ey = (y - h / 2) / (h / 2);
      const a = Math.min(1, Math.max(0, (1 - Math.sqrt(ex * ex + ey * ey)) * 5)); // a soft ellipse
      const ox = Math.round(to.x) + x;
      const oy = Math.round(to.y) + y;
      if (a <= 0 || ox < 0 || oy < 0 || ox >= base.width || oy >= base.height) continue;
      for (let c = 0; c < 3; c++) {
        const i = (oy * base.width + ox) * 3 + c;
        out[i] = Math.round(out[i]! * (1 - a) + patch[(y * w + x) * 3 + c]! * a);
      }
    }
  }
  return { data: out, width: base.width, height: base.height };
}
