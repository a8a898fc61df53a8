import sharp from "sharp";

/** RGB pixels, 3 bytes each, row after row: what the local vendor's pixel work runs on. */
export interface Raster {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Decode to RGB (EXIF orientation applied), shrunk to at most `maxSide`: the CPU cost is per pixel. */
export async function decodeRgb(file: Buffer, maxSide: number): Promise<Raster> {
  const { data, info } = await sharp(file, { failOn: "error" })
    .rotate()
    .resize({ width: maxSide, height: maxSide, fit: "inside", withoutEnlargement: true })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

export function encodeJpeg(image: Raster): Promise<Buffer> {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .jpeg({ quality: 92, chromaSubsampling: "4:4:4" })
    .toBuffer();
}

/** Blur a one-channel float mask (0..1) with a Gaussian of `sigma` px. */
export async function blurMask(
  mask: Float32Array,
  width: number,
  height: number,
  sigma: number,
): Promise<Float32Array> {
  const bytes = Buffer.alloc(mask.length);
  for (let i = 0; i < mask.length; i++) bytes[i] = Math.round(mask[i]! * 255);
  const blurred = await sharp(bytes, { raw: { width, height, channels: 1 } })
    .blur(Math.max(0.3, sigma))
    .extractChannel(0) // libvips hands a one-band raw image back as sRGB otherwise
    .raw()
    .toBuffer();
  const out = new Float32Array(mask.length);
  for (let i = 0; i < out.length; i++) out[i] = blurred[i]! / 255;
  return out;
}

/** Bilinear sample of channel `c` at (x, y); edges are clamped. */
export function sample(image: Raster, x: number, y: number, c: number): number {
  const { width, height, data } = image;
  const cx = Math.min(Math.max(x, 0), width - 1);
  const cy = Math.min(Math.max(y, 0), height - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, width - 1);
  const y1 = Math.min(y0 + 1, height - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const at = (px: number, py: number) => data[(py * width + px) * 3 + c]!;
  return (
    (at(x0, y0) * (1 - fx) + at(x1, y0) * fx) * (1 - fy) + (at(x0, y1) * (1 - fx) + at(x1, y1) * fx) * fy
  );
}
