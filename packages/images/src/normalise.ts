import type { ImageLimits } from "@facegate/core";
import { showsColour } from "./colour";
import { isComplete } from "./completeness";
import { openImage } from "./decode";
import { encodeToFit, type OutputFormat } from "./encode-to-fit";
import { ImageError } from "./errors";
import { DEFAULT_MAX_PIXELS, type ProbedImage, probeImage } from "./probe";
import { stripMetadata } from "./strip";

export interface NormaliseOptions {
  /** @defaultValue DEFAULT_MAX_PIXELS */
  maxPixels?: number;
  /** Whether the image shows colour, when already known (the API looks at ingest); else looked at here. */
  colour?: boolean | undefined;
}

export interface NormalisedImage {
  bytes: Buffer;
  contentType: "image/jpeg" | "image/png" | "image/bmp";
  width: number;
  height: number;
  /** False when the input's own compressed data is sent (only its metadata removed). */
  reencoded: boolean;
}

/** Formats that can be sent as they are once metadata is stripped in place. */
type PassThroughFormat = "jpeg" | "png" | "bmp";
const CONTENT_TYPE = { jpeg: "image/jpeg", png: "image/png", bmp: "image/bmp" } as const;

/**
 * Bring an input within a vendor's limits, so users never have to learn them.
 *
 * An image that already fits is passed through with only its metadata removed (no decode: CPU
 * per job is budgeted against the job's I/O). Otherwise it is re-encoded once: EXIF orientation
 * applied, converted to an accepted format, shrunk to `maxSide`, then stepped down in quality
 * and size until it fits `maxBytes`. What cannot be fixed honestly is refused: too small
 * (`image_too_small`; upscaling would only invent detail), black-and-white for a vendor that
 * needs colour (`image_not_accepted`), undecodable or truncated (`invalid_image`).
 */
export async function normaliseForVendor(
  bytes: Buffer,
  limits: ImageLimits,
  options: NormaliseOptions = {},
): Promise<NormalisedImage> {
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  const output = outputFormat(limits);
  const probed = await probeImage(bytes, { maxPixels });
  if (!isComplete(bytes, probed.format)) {
    throw new ImageError("invalid_image", `the ${probed.format} image is truncated`);
  }
  if (Math.min(probed.width, probed.height) < limits.minSide) {
    throw new ImageError(
      "image_too_small",
      `the image is ${probed.width}×${probed.height} pixels; each side must be at least ${limits.minSide}`,
    );
  }
  if (limits.colorRequired && !(options.colour ?? (await showsColour(bytes, probed, maxPixels)))) {
    throw new ImageError("image_not_accepted", "black-and-white images are not accepted by this vendor");
  }

  const passFormat = passThroughFormat(probed, limits);
  if (passFormat !== undefined) {
    const stripped = stripMetadata(bytes, passFormat);
    if (stripped.length <= limits.maxBytes) {
      const { width, height } = probed;
      return { bytes: stripped, contentType: CONTENT_TYPE[passFormat], width, height, reencoded: false };
    }
  }
  return reencode(bytes, probed, limits, output, maxPixels);
}

/** The format to send the input in as it is, when it already fits every limit but the byte count. */
function passThroughFormat(probed: ProbedImage, limits: ImageLimits): PassThroughFormat | undefined {
  const format = probed.format;
  if (format !== "jpeg" && format !== "png" && format !== "bmp") return undefined;
  const fits =
    limits.formats.includes(format) &&
    probed.orientation === 1 &&
    probed.pages === 1 &&
    probed.colourSpace !== "cmyk" && // web and vendor decoders expect RGB; convert rather than gamble
    Math.max(probed.width, probed.height) <= limits.maxSide;
  return fits ? format : undefined;
}

/**
 * JPEG whenever the vendor takes it, even for inputs with alpha (flattened onto white): vendors
 * look for faces in photos, transparency means nothing to them, and JPEG is what lets a photo
 * meet a byte limit through quality rather than through lost pixels.
 */
function outputFormat(limits: ImageLimits): OutputFormat {
  if (limits.formats.includes("jpeg")) return "jpeg";
  if (limits.formats.includes("png")) return "png";
  throw new TypeError(`ImageLimits.formats must include jpeg or png, got ${limits.formats.join(", ")}`);
}

async function reencode(
  bytes: Buffer,
  probed: ProbedImage,
  limits: ImageLimits,
  format: OutputFormat,
  maxPixels: number,
): Promise<NormalisedImage> {
  const scale = Math.min(1, limits.maxSide / Math.max(probed.width, probed.height));
  const width = Math.max(1, Math.round(probed.width * scale));
  const height = Math.max(1, Math.round(probed.height * scale));
  if (Math.min(width, height) < limits.minSide) {
    throw new ImageError(
      "image_too_small",
      `the image is ${probed.width}×${probed.height} pixels; at most ${limits.maxSide} on the long side ` +
        `leaves the short side below ${limits.minSide}`,
    );
  }
  // rotate() with no angle applies the EXIF orientation; resize then works in displayed terms.
  let pipeline = (await openImage(bytes, probed, maxPixels)).rotate();
  if (scale < 1) pipeline = pipeline.resize(width, height, { fit: "fill" });
  if (format === "jpeg" && probed.hasAlpha) pipeline = pipeline.flatten({ background: "#ffffff" });
  const { data, info } = await encodeToFit(pipeline, format, limits);
  return {
    bytes: data,
    contentType: CONTENT_TYPE[format],
    width: info.width,
    height: info.height,
    reencoded: true,
  };
}
