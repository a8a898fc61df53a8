/**
 * Normalised job error codes: the same whichever vendor failed (docs/vendors.md, "Errors").
 * `retryable` says whether facegate itself retries a job that failed this way.
 */
export const JOB_ERROR_CODES = {
  invalid_request: { retryable: false },
  invalid_image: { retryable: false },
  /** A readable image this vendor does not take (AILab face fusion: black-and-white). */
  image_not_accepted: { retryable: false },
  image_too_large: { retryable: false },
  image_too_small: { retryable: false },
  no_face_detected: { retryable: false },
  face_too_small: { retryable: false },
  too_many_faces: { retryable: false },
  content_rejected: { retryable: false },
  vendor_rate_limited: { retryable: true },
  vendor_unavailable: { retryable: true },
  vendor_auth_failed: { retryable: false },
  vendor_quota_exhausted: { retryable: false },
  vendor_config_error: { retryable: false },
  vendor_result_expired: { retryable: false },
  storage_unavailable: { retryable: true },
  timeout: { retryable: true },
  canceled: { retryable: false },
  budget_exhausted: { retryable: false },
  internal_error: { retryable: true },
} as const;

export type JobErrorCode = keyof typeof JOB_ERROR_CODES;

export function isRetryableCode(code: JobErrorCode): boolean {
  return JOB_ERROR_CODES[code].retryable;
}
