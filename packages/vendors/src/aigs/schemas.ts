import { z } from "zod";

/** Request body, base64 form (docs/vendors.md, ai-gs). facegate never sends URLs: inputs live in private storage. */
export interface AigsFaceswapBody {
  image_base64: string;
  template_base64: string;
}

/** Every ai-gs answer carries a `code`; errors add `detail` (and sometimes `task_id`). */
export const aigsEnvelope = z.looseObject({
  code: z.string().min(1),
  detail: z.string().nullish(),
  task_id: z.string().nullish(),
});

/** HTTP 200 `{"code":"success","image_url":…,"task_id":…}`; the image is kept 7 days (docs/vendors.md, ai-gs). */
export const aigsSuccess = z.looseObject({
  code: z.literal("success"),
  image_url: z.url({ protocol: /^https?$/ }),
  task_id: z.string().nullish(),
});
