import { JobFailure } from "@facegate/core";

export type ImageErrorCode = "invalid_image" | "image_too_large" | "image_too_small";

/**
 * An input image facegate cannot use (or cannot honestly fix). Never retryable: the same bytes
 * fail the same way every time, so the job ends at once.
 */
export class ImageError extends JobFailure {
  declare readonly code: ImageErrorCode;

  constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, false);
    this.name = "ImageError";
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
