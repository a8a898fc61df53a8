/**
 * Failures of the caller's own making: what they sent (not an image, too small, no face) or
 * asked for (a budget spent, a job they canceled). facegate did its job; an operator has nothing
 * to act on, so these are logged at info. Everything else (a vendor refusing our credentials, an
 * outage, a deadline passed, a bug) is an error someone must look at.
 *
 * Codes, not types: some are added by features that may not be in this build (face pre-flight,
 * budgets); a code no one uses costs nothing here.
 */
const CALLER_CAUSED = new Set<string>([
  "invalid_request",
  "invalid_image",
  "image_not_accepted",
  "image_too_large",
  "image_too_small",
  "no_face_detected",
  "face_too_small",
  "too_many_faces",
  "content_rejected",
  "budget_exhausted",
  "canceled",
]);

export function isCallerCaused(code: string): boolean {
  return CALLER_CAUSED.has(code);
}

/** The level a job's final failure is logged at. */
export function failureLogLevel(code: string): "info" | "error" {
  return isCallerCaused(code) ? "info" : "error";
}
