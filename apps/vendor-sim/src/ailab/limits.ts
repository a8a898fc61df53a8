import {
  analyseImage,
  decodeImage,
  type ImageFormat,
  NO_FACE_STDDEV,
  probeImage,
  type RawImage,
} from "../images/inspect";
import type { SimAnswer } from "../pipeline";
import { ailabError } from "./envelope";
import type { UploadedFile } from "./multipart";

/**
 * AILab's documented image requirements per endpoint and field (the vendor's pages and the
 * pages in vendors/docs), checked in the order a front door checks them: presence, bytes, format,
 * pixel bounds, then the decoded content (colour for fusion, any face at all).
 */

export interface AilabImageRule {
  field: string;
  formats: readonly ImageFormat[];
  maxBytes: number;
  /** Each side must be larger than this (exclusive); 0 when the docs give no minimum. */
  minSideExclusive: number;
  /** Each side must be smaller than this (exclusive). */
  maxSideExclusive: number;
  /** Black-and-white images are refused (face fusion only). */
  colourRequired: boolean;
}

const MB = 1024 * 1024;

export const FUSION_TARGET: AilabImageRule = {
  field: "image_target",
  formats: ["jpeg", "png", "bmp"],
  maxBytes: 4 * MB,
  minSideExclusive: 128,
  maxSideExclusive: 4096,
  colourRequired: true,
};

export const FUSION_TEMPLATE: AilabImageRule = {
  ...FUSION_TARGET,
  field: "image_template",
  minSideExclusive: 200,
  // The page says "Black and white images are not supported" of image_target only.
  colourRequired: false,
};

export const EMOTION_TARGET: AilabImageRule = {
  field: "image_target",
  formats: ["jpeg", "png"],
  maxBytes: 5 * MB,
  minSideExclusive: 0,
  maxSideExclusive: 4096,
  colourRequired: false,
};

export const SLIMMING_IMAGE: AilabImageRule = {
  field: "image",
  formats: ["jpeg", "png"],
  maxBytes: 6 * MB,
  minSideExclusive: 128,
  maxSideExclusive: 5000,
  colourRequired: false,
};

export type CheckedImage = { ok: true; image: RawImage } | { ok: false; answer: SimAnswer };

export async function checkAilabImage(
  file: UploadedFile | undefined,
  rule: AilabImageRule,
): Promise<CheckedImage> {
  const fail = (code: string, message: string): CheckedImage => ({
    ok: false,
    answer: ailabError(code, message),
  });
  if (!file) return fail("MISSING_PARAMETERS", `Missing file parameter: ${rule.field}.`);
  if (file.bytes.length === 0) return fail("PARAMETERS_CANNOT_EMPTY", `${rule.field} is empty.`);
  if (file.bytes.length > rule.maxBytes) {
    return fail("FILE_SIZE_EXCEEDS_LIMIT", `${rule.field} is larger than ${rule.maxBytes / MB} MB.`);
  }

  const probe = await probeImage(file.bytes);
  if (!probe) return fail("FILE_DECODING_FAILURE", `${rule.field} could not be decoded as an image.`);
  if (!rule.formats.includes(probe.format)) {
    return fail("UNSUPPORTED_FILE_TYPES", `${rule.field}: ${probe.format} is not supported.`);
  }
  const { width, height } = probe;
  if (width >= rule.maxSideExclusive || height >= rule.maxSideExclusive) {
    const max = rule.maxSideExclusive;
    return fail(
      "FILE_RESOLUTION_EXCEEDS_LIMITS",
      `${rule.field} is ${width}x${height}; must be under ${max}x${max}.`,
    );
  }
  if (width <= rule.minSideExclusive || height <= rule.minSideExclusive) {
    const min = rule.minSideExclusive;
    return fail(
      "ERROR_LOW_RESOLUTION",
      `${rule.field} is ${width}x${height}; must be larger than ${min}x${min}.`,
    );
  }

  const analysis = await analyseImage(file.bytes, probe);
  const image = analysis ? await decodeImage(file.bytes, probe) : null;
  if (!analysis || !image) return fail("FILE_DECODING_FAILURE", `${rule.field} is truncated or corrupt.`);
  if (rule.colourRequired && analysis.grayscale) {
    return fail("ERROR_UNSUPPORTED_GRAYSCALE_IMAGE", `${rule.field} is a black-and-white image.`);
  }
  if (analysis.lumaStdDev < NO_FACE_STDDEV) return fail("ERROR_NO_FACE_IN_FILE", "pic not has face");
  return { ok: true, image };
}
