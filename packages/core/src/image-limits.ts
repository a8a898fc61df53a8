/** Image formats facegate recognises by their bytes. */
export const IMAGE_FORMATS = ["jpeg", "png", "webp", "gif", "bmp", "tiff", "heif", "avif"] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

export const CONTENT_TYPES: Record<ImageFormat, string> = {
  jpeg: "image/jpeg",
  png: "image/png",
  webp: "image/webp",
  gif: "image/gif",
  bmp: "image/bmp",
  tiff: "image/tiff",
  heif: "image/heif",
  avif: "image/avif",
};

/**
 * What a vendor accepts for one image of one operation. Bounds are inclusive unless named
 * `exclusive`; sizes are of the raw file (base64 inflation is the adapter's concern).
 */
export interface ImageLimits {
  formats: readonly ImageFormat[];
  maxBytes: number;
  /** Each side must be at least this many pixels. */
  minSide: number;
  /** Each side must be at most this many pixels. */
  maxSide: number;
  /** Colour required (AILab face fusion refuses black-and-white images). */
  colorRequired?: boolean;
}

/** Facts about a stored image, read from its header. */
export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
  bytes: number;
}
