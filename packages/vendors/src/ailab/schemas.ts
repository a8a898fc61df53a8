import { z } from "zod";

/**
 * AILab's public envelope (docs/vendors.md, AILabTools). Only what facegate reads is constrained; the rest may be
 * absent or null, since the current OpenAPI schema and the examples disagree on which fields exist.
 */
export const ailabEnvelope = z.looseObject({
  request_id: z.string().nullish(),
  log_id: z.string().nullish(),
  error_code: z.number().int().nullish(),
  error_code_str: z.string().nullish(),
  error_msg: z.string().nullish(),
  error_detail: z
    .looseObject({
      status_code: z.number().int().nullish(),
      code: z.string().nullish(),
      code_message: z.string().nullish(),
      message: z.string().nullish(),
    })
    .nullish(),
  data: z.unknown().optional(),
});
export type AilabEnvelope = z.output<typeof ailabEnvelope>;

/** face-fusion and emotion-editor: the result as base64. */
export const ailabImageData = z.looseObject({ image: z.string().min(1) });

/** smart-face-slimming: a temporary URL, valid 24 h (docs/vendors.md, AILabTools). */
export const ailabImageUrlData = z.looseObject({ image_url: z.url({ protocol: /^https?$/ }) });
