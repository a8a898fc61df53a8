import {
  AUTH,
  BAD_IMAGE,
  BAD_REQUEST,
  type Classification,
  CONFIG,
  fallbackByStatus,
  lookup,
  NO_FACE,
  QUOTA,
  RATE_LIMITED,
  REJECTED,
  TOO_LARGE,
  TRANSIENT,
} from "../classification";

/** ai-gs `code` → facegate, from the vendor's page (codes and what each means). */
export const AIGS_ERRORS: Readonly<Record<string, Classification>> = {
  // 401 "permanent, client bug". A missing token is facegate's configuration, not the user's input,
  // so it is `config` (another vendor may serve the job); a refused body is the request's fault.
  no_token: CONFIG,
  invalid_post: BAD_REQUEST,
  // 402 image-processing errors: permanent per image…
  invalid_input_image: BAD_IMAGE,
  no_face_detected: NO_FACE,
  forbidden: REJECTED,
  image_size_limited: TOO_LARGE,
  // …except the per-token rate limit (1 request/s), and `false` ("other reasons, see detail",
  // meaning unconfirmed), which says to retry once: transient, the queue's attempts bound it.
  request_rate_limit: RATE_LIMITED,
  false: TRANSIENT,
  // 403 account errors: this token is used up or wrong.
  used_up: QUOTA,
  invalid_api_key: AUTH,
  // 500
  unknown: TRANSIENT,
};

/** Codes whose failure belongs to one token of the pool, not to ai-gs as a whole. */
export const AIGS_TOKEN_SCOPED = new Set(["request_rate_limit", "used_up", "invalid_api_key"]);

/** "Wait at least 1 s and retry" (docs/vendors.md, ai-gs): the documented limit is once per second per token. */
export const AIGS_RATE_LIMIT_WAIT_MS = 1_000;

/** Unknown codes fall back on the status: 5xx transient, anything else input/invalid_request. */
export function classifyAigs(code: string | undefined, status: number): Classification {
  return lookup(AIGS_ERRORS, code) ?? fallbackByStatus(status);
}
