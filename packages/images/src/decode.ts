import type { OutputInfo, Sharp } from "sharp";
import { decodeBmp, readBmpHeader } from "./bmp";
import { ImageError } from "./errors";
import { libvips } from "./libvips";
import type { ProbedImage } from "./probe";

/**
 * A sharp pipeline over an already probed image. `limitInputPixels` is passed on every decode
 * as a second line of defence behind the header check in `probeImage`.
 *
 * Only the first frame or page is read (sharp's default, `pages: 1`), deliberately: vendors take
 * one still photo, and for animated GIF/WebP or multi-page TIFF/HEIF the first frame is the
 * one a person sees as "the picture".
 */
export async function openImage(bytes: Buffer, probed: ProbedImage, maxPixels: number): Promise<Sharp> {
  const sharp = await libvips();
  if (probed.format === "bmp") {
    const { data, channels } = decodeBmp(bytes, readBmpHeader(bytes));
    const raw = { width: probed.width, height: probed.height, channels };
    return sharp(data, { raw, limitInputPixels: maxPixels });
  }
  return sharp(bytes, { limitInputPixels: maxPixels, pages: 1 });
}

export interface Encoded {
  data: Buffer;
  info: OutputInfo;
}

/**
 * Run a pipeline. libvips decodes lazily, so broken pixel data (after a readable header)
 * surfaces only here; it is the input's fault, never worth a retry.
 */
export async function runPipeline(pipeline: Sharp): Promise<Encoded> {
  try {
    return await pipeline.toBuffer({ resolveWithObject: true });
  } catch (cause) {
    throw new ImageError("invalid_image", "the image data cannot be decoded", { cause });
  }
}
