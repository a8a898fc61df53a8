import sharp, { type Sharp } from "sharp";
import { decodeBmp, isBmp, readBmpHeader } from "./bmp";
import { memo, pixels } from "./memo";

/**
 * Reading uploaded images the way a vendor's front door does, in the order vendors check: the
 * format from the leading bytes, the pixel size from the header (cheap), then a full decode for
 * colour and "is there anything in it" statistics.
 */

export type ImageFormat = "jpeg" | "png" | "bmp" | "webp" | "gif" | "tiff" | "heif";

export interface ImageProbe {
  format: ImageFormat;
  width: number;
  height: number;
}

export interface ImageAnalysis {
  /** No pixel carries noticeable colour (a black-and-white photo, whatever its channel count). */
  grayscale: boolean;
  /** Standard deviation of luma over a thumbnail; near zero means a blank image. */
  lumaStdDev: number;
}

/** Packed 8-bit RGB pixels: the working form of every effect. */
export interface RawImage {
  data: Buffer;
  width: number;
  height: number;
}

/** Below this luma spread an image is "uniform": the simulator's stand-in for "no face found". */
export const NO_FACE_STDDEV = 4;
/** A pixel counts as coloured when its channels differ by more than this (JPEG chroma noise is lower). */
const CHROMA_THRESHOLD = 12;
/** An image is colour when more than this share of its pixels are coloured. */
const COLOURED_SHARE = 0.01;
const THUMB_SIDE = 96;

export function detectFormat(bytes: Buffer): ImageFormat | null {
  const b = (i: number) => bytes[i] ?? -1;
  const ascii = (start: number, text: string) =>
    bytes.subarray(start, start + text.length).toString("latin1") === text;
  if (b(0) === 0xff && b(1) === 0xd8 && b(2) === 0xff) return "jpeg";
  if (b(0) === 0x89 && ascii(1, "PNG\r\n\x1a\n")) return "png";
  if (isBmp(bytes)) return "bmp";
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "webp";
  if (ascii(0, "GIF87a") || ascii(0, "GIF89a")) return "gif";
  if (ascii(0, "II*\0") || ascii(0, "MM\0*")) return "tiff";
  if (ascii(4, "ftyp")) return "heif";
  return null;
}

/** Format and size from the header only; null when the bytes are not a recognisable image. */
export async function probeImage(bytes: Buffer): Promise<ImageProbe | null> {
  const format = detectFormat(bytes);
  if (!format) return null;
  if (format === "bmp") {
    const header = readBmpHeader(bytes);
    return header ? { format, width: header.width, height: header.height } : null;
  }
  try {
    const meta = await sharp(bytes).metadata();
    if (!meta.width || !meta.height) return null;
    return { format, width: meta.width, height: meta.height };
  } catch {
    return null;
  }
}

/** A sharp pipeline over the image, whatever its format (BMP goes through the local decoder). */
export function openImage(bytes: Buffer, probe: ImageProbe): Sharp {
  if (probe.format === "bmp") {
    const pixels = decodeBmp(bytes);
    if (!pixels) throw new Error("undecodable BMP");
    return sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 3 } });
  }
  return sharp(bytes, { failOn: "warning" }).rotate();
}

/** Fully decodes the image to RGB; null when the data is truncated or corrupt. */
export function decodeImage(bytes: Buffer, probe: ImageProbe): Promise<RawImage | null> {
  return memo("decode", [bytes], () => decodeUncached(bytes, probe));
}

async function decodeUncached(bytes: Buffer, probe: ImageProbe): Promise<RawImage | null> {
  try {
    const { data, info } = await openImage(bytes, probe)
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch {
    return null;
  }
}

/** Colour and spread statistics from a small thumbnail (decoding the whole file on the way). */
export function analyseImage(bytes: Buffer, probe: ImageProbe): Promise<ImageAnalysis | null> {
  return memo("analyse", [bytes], () => analyseUncached(bytes, probe));
}

async function analyseUncached(bytes: Buffer, probe: ImageProbe): Promise<ImageAnalysis | null> {
  let thumb: Buffer;
  try {
    thumb = await openImage(bytes, probe)
      .resize(THUMB_SIDE, THUMB_SIDE, { fit: "inside" })
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer();
  } catch {
    return null;
  }
  return analysePixels(thumb);
}

export function analysePixels(rgb: Buffer): ImageAnalysis {
  const pixels = Math.floor(rgb.length / 3);
  let coloured = 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < pixels; i++) {
    const r = rgb[i * 3] ?? 0;
    const g = rgb[i * 3 + 1] ?? 0;
    const b = rgb[i * 3 + 2] ?? 0;
    if (Math.max(r, g, b) - Math.min(r, g, b) > CHROMA_THRESHOLD) coloured++;
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    sum += luma;
    sumSq += luma * luma;
  }
  const mean = pixels ? sum / pixels : 0;
  const variance = pixels ? Math.max(0, sumSq / pixels - mean * mean) : 0;
  return { grayscale: coloured <= pixels * COLOURED_SHARE, lumaStdDev: Math.sqrt(variance) };
}

export function rawToSharp(image: RawImage): Sharp {
  return sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
}

export function encodeRaw(image: RawImage, format: "jpeg" | "png"): Promise<Buffer> {
  return memo("encode", [pixels(image), format], () => {
    const pipeline = rawToSharp(image);
    return format === "png" ? pipeline.png().toBuffer() : pipeline.jpeg({ quality: 90 }).toBuffer();
  });
}
