import type { ImageFormat, ImageInfo } from "@facegate/core";
import type { Metadata } from "sharp";
import { readBmpHeader } from "./bmp";
import { ImageError } from "./errors";
import { type HeaderFacts, readJpegHeader, readPngHeader } from "./header";
import { libvips } from "./libvips";
import { sniffFormat } from "./sniff";

/**
 * Default pixel ceiling: above a 48 MP phone photo, far below what exhausts a worker's memory.
 * Vendors take at most ~4096² pixels, so anything larger is shrunk anyway.
 */
export const DEFAULT_MAX_PIXELS = 50_000_000;

export interface ProbeOptions {
  /** Refuse images with more pixels (width × height) than this. @defaultValue DEFAULT_MAX_PIXELS */
  maxPixels?: number;
}

/** Facts read from an image's header, without decoding its pixels. */
export interface ProbedImage extends ImageInfo, Omit<HeaderFacts, "width" | "height"> {
  /** Width and height as displayed, i.e. after EXIF orientation (swapped for 5–8). */
  width: number;
  height: number;
  /** Width and height as stored in the file. */
  storedWidth: number;
  storedHeight: number;
}

/**
 * Read an image's header. Throws `invalid_image` for anything that is not a recognised image,
 * and `image_too_large` when the header claims more than `maxPixels` pixels — decided here,
 * before anything is decoded, so a decompression bomb never gets to allocate.
 */
export async function probeImage(bytes: Buffer, options: ProbeOptions = {}): Promise<ProbedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const format = sniffFormat(bytes);
  if (format === undefined) throw new ImageError("invalid_image", "the file is not a supported image format");
  const probed =
    format === "bmp"
      ? probeBmp(bytes)
      : (probeStructure(bytes, format) ?? (await probeWithSharp(bytes, format)));
  if (probed.storedWidth * probed.storedHeight > maxPixels) {
    throw new ImageError(
      "image_too_large",
      `the image is ${probed.width}×${probed.height} pixels; at most ${maxPixels} pixels are accepted`,
    );
  }
  return probed;
}

/** JPEG and PNG headers are read in JS; libvips is the fallback for anything unusual. */
function probeStructure(bytes: Buffer, format: ImageFormat): ProbedImage | undefined {
  const facts =
    format === "jpeg" ? readJpegHeader(bytes) : format === "png" ? readPngHeader(bytes) : undefined;
  return facts && fromHeader(format, bytes, facts);
}

async function probeWithSharp(bytes: Buffer, format: ImageFormat): Promise<ProbedImage> {
  let meta: Metadata;
  try {
    // Header only. The pixel limit is off here on purpose: sharp would refuse an oversized
    // header without telling its size, and we compare it ourselves just below. Every sharp
    // call that decodes passes `limitInputPixels`.
    const sharp = await libvips();
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (cause) {
    throw new ImageError("invalid_image", `the ${format} image header cannot be read`, { cause });
  }
  const sharpFormat = format === "avif" ? "heif" : format; // libvips loads AVIF through libheif
  if (meta.format !== sharpFormat || !(meta.width > 0 && meta.height > 0)) {
    throw new ImageError("invalid_image", `the ${format} image header cannot be read`);
  }
  const orientation =
    meta.orientation !== undefined && meta.orientation >= 1 && meta.orientation <= 8 ? meta.orientation : 1;
  return fromHeader(format, bytes, {
    width: meta.width,
    height: meta.height,
    orientation,
    channels: meta.channels,
    hasAlpha: meta.hasAlpha,
    isGrayscale: meta.space === "b-w" || meta.space === "grey16" || meta.channels <= 2,
    colourSpace: meta.space,
    pages: meta.pages ?? 1,
  });
}

function probeBmp(bytes: Buffer): ProbedImage {
  const header = readBmpHeader(bytes);
  return fromHeader("bmp", bytes, {
    width: header.width,
    height: header.height,
    orientation: 1,
    channels: header.hasAlpha ? 4 : 3,
    hasAlpha: header.hasAlpha,
    isGrayscale: header.isGrayscale,
    colourSpace: "srgb",
    pages: 1,
  });
}

/** The probe's answer from what a header says: the displayed size is the stored one, turned for EXIF 5–8. */
function fromHeader(format: ImageFormat, bytes: Buffer, facts: HeaderFacts): ProbedImage {
  const { width, height, ...rest } = facts;
  const swapped = facts.orientation >= 5; // 5–8 rotate by 90° one way or the other
  return {
    format,
    bytes: bytes.length,
    width: swapped ? height : width,
    height: swapped ? width : height,
    storedWidth: width,
    storedHeight: height,
    ...rest,
  };
}
