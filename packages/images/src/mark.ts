import { createHash } from "node:crypto";
import { CONTENT_TYPES } from "@facegate/core";
import { isComplete } from "./completeness";
import { openImage, runPipeline } from "./decode";
import { encoder, type OutputFormat } from "./encode-to-fit";
import { ImageError } from "./errors";
import { rewriteJpeg } from "./jpeg-segments";
import { rewritePng } from "./png-chunks";
import { DEFAULT_MAX_PIXELS, type ProbedImage, probeImage } from "./probe";
import { buildXmpPacket, type DigitalSourceType } from "./xmp";

export interface MarkOptions {
  /** `compositeWithTrainedAlgorithmicMedia` for face fusion, `trainedAlgorithmicMedia` otherwise. */
  source: DigitalSourceType;
  /** @defaultValue DEFAULT_MAX_PIXELS */
  maxPixels?: number;
}

export interface MarkedImage {
  bytes: Buffer;
  format: OutputFormat;
  contentType: string;
  width: number;
  height: number;
  /** Hex SHA-256 of `bytes`. */
  sha256: string;
}

/**
 * Make an output deliverable: strip every input-derived metadata block and embed the IPTC
 * DigitalSourceType as XMP.
 *
 * JPEG and PNG that need no rotation are marked by segment/chunk surgery, without a decode.
 * A non-1 EXIF orientation is applied first (a re-encode), because the marked file carries no
 * EXIF to say how to turn it. Other formats are re-encoded, as PNG when they have alpha and as
 * JPEG otherwise, and then marked the same way.
 */
export async function markAiGenerated(bytes: Buffer, options: MarkOptions): Promise<MarkedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const probed = await probeImage(bytes, { maxPixels });
  if (!isComplete(bytes, probed.format)) {
    throw new ImageError("invalid_image", `the ${probed.format} image is truncated`);
  }
  const ready = await editableForm(bytes, probed, maxPixels);
  const xmp = buildXmpPacket(options.source);
  const marked =
    ready.format === "jpeg" ? rewriteJpeg(ready.bytes, { xmp }) : rewritePng(ready.bytes, { xmp });
  return {
    bytes: marked,
    format: ready.format,
    contentType: CONTENT_TYPES[ready.format],
    width: ready.width,
    height: ready.height,
    sha256: createHash("sha256").update(marked).digest("hex"),
  };
}

interface Editable {
  bytes: Buffer;
  format: OutputFormat;
  width: number;
  height: number;
}

/** The image as upright JPEG or PNG, re-encoded only when it is not one already. */
async function editableForm(bytes: Buffer, probed: ProbedImage, maxPixels: number): Promise<Editable> {
  const { format, orientation, width, height } = probed;
  if ((format === "jpeg" || format === "png") && orientation === 1) return { bytes, format, width, height };

  const target: OutputFormat =
    format === "jpeg" || format === "png" ? format : probed.hasAlpha ? "png" : "jpeg";
  const { data, info } = await runPipeline(
    encoder((await openImage(bytes, probed, maxPixels)).rotate(), target),
  );
  return { bytes: data, format: target, width: info.width, height: info.height };
}
