import { JobFailure } from "@facegate/core";

/**
 * `invalid_image`: not an image facegate can read. `image_not_accepted`: a good image that the
 * chosen vendor does not take (black-and-white where it needs colour); another vendor may.
 */
export type ImageErrorCode = "invalid_image" | "image_not_accepted" | "image_too_large" | "image_too_small";

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
