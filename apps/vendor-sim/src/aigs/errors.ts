import { randomUUID } from "node:crypto";
import type { Meaning } from "../meaning";
import type { SimAnswer } from "../pipeline";

/**
 * ai-gs faceswap error codes with their HTTP statuses, what the docs say each means (see
 * ../meaning.ts) and the vendor page's own `detail` texts. Errors are non-200 `{code, detail}`; the
 * image-processing ones (402) also carry the `task_id` of the attempt, as the page shows.
 */

interface AigsCode {
  status: number;
  meaning: Meaning;
  detail: string;
}

export const AIGS_CODES: Readonly<Record<string, AigsCode>> = {
  no_token: { status: 401, meaning: "configuration", detail: "No token specified in url query." },
  invalid_post: { status: 401, meaning: "bad_request", detail: "Your image_url is empty." },
  invalid_input_image: { status: 402, meaning: "bad_image", detail: "get input image error." },
  no_face_detected: { status: 402, meaning: "no_face", detail: "no face detected in image." },
  forbidden: { status: 402, meaning: "content", detail: "input image contain sensitive contents." },
  image_size_limited: {
    status: 402,
    meaning: "image_too_large",
    detail: "Image size exceeds the maximum allowed size.",
  },
  request_rate_limit: { status: 402, meaning: "rate_limit", detail: "Request rate limit, once per second." },
  false: { status: 402, meaning: "transient", detail: "Error details" },
  used_up: {
    status: 403,
    meaning: "billing",
    detail: "Your account does not have enough credits, please recharge.",
  },
  invalid_api_key: { status: 403, meaning: "credentials", detail: "You provide an invalid Image API key." },
  unknown: {
    status: 500,
    meaning: "transient",
    detail: "Image's server failure occurred, please contact the administrator",
  },
};

/** The only 5xx ai-gs documents; the fault injector's "transient" failure. */
export const AIGS_TRANSIENT_CODE = "unknown";

export function checkAigsCode(code: string): void {
  if (!Object.hasOwn(AIGS_CODES, code)) throw new Error(`unknown ai-gs error code: ${code}`);
}

export interface AigsErrorBody {
  code: string;
  detail: string;
  task_id?: string;
}

/** `status` overrides the table (a script may want to test an undocumented status). */
export function aigsError(code: string, detail?: string, status?: number): SimAnswer {
  const known = AIGS_CODES[code];
  const httpStatus = status ?? known?.status ?? 500;
  const body: AigsErrorBody = { code, detail: detail ?? known?.detail ?? "Error details" };
  if (httpStatus === 402) body.task_id = randomUUID();
  return { status: httpStatus, body, code };
}

export function aigsSuccess(imageUrl: string): SimAnswer {
  return { status: 200, body: { code: "success", image_url: imageUrl, task_id: randomUUID() }, code: null };
}

export const AIGS_SUCCESS_PREFIX = JSON.stringify({
  code: "success",
  image_url: "https://",
  task_id: randomUUID(),
});
