import {
  AUTH,
  BAD_IMAGE,
  BAD_REQUEST,
  type Classification,
  CONFIG,
  fallbackByStatus,
  lookup,
  NO_FACE,
  NOT_ACCEPTED,
  OVERLOADED,
  QUOTA,
  RATE_LIMITED,
  REJECTED,
  TOO_LARGE,
  TOO_SMALL,
  TRANSIENT,
  VENDOR_TIMEOUT,
} from "../classification";

/**
 * AILab `error_detail.code` → facegate, from the vendor's response description (the codes)
 * and its notes on what each means. The HTTP status is never used for a listed code: AILab moved codes between
 * statuses (EXCEEDING_LIMITS was 422, now 429 — the status it shares with ERROR_NOT_ENOUGH_CREDITS).
 * Codes leaves unclassified are placed by what they say; those choices are marked "(ours)".
 */
export const AILAB_ERRORS: Readonly<Record<string, Classification>> = {
  // rate limit or overload: back off without spending an attempt. Only the 429 says this caller
  // is too fast; the 503s (ours) are the service's own state, and teach adaptive pacing no rate.
  EXCEEDING_LIMITS: RATE_LIMITED,
  AI_SERVICE_FLOW_RESTRICTION: OVERLOADED,
  ERROR_INSUFFICIENT_RESOURCES: OVERLOADED,
  ERROR_RESOURCE_UNAVAILABLE: OVERLOADED,
  ERROR_RESOURCE_IN_TRANSIT: OVERLOADED,

  // balance: permanent until topped up. Also 429, hence classifying on the code.
  ERROR_NOT_ENOUGH_CREDITS: QUOTA,
  // (ours) account-level caps of other AILab products sharing the 429 status.
  ERROR_FACE_TRACE_LIMIT_EXCEEDED: QUOTA,
  ERROR_DATABASE_LIMIT_EXCEEDED: QUOTA,
  ERROR_BATCH_TASK_LIMIT_EXCEEDED: QUOTA,

  // invalid key or account.
  ERROR_APPLICATIONS_NOT_EXISTS: AUTH,
  ERROR_USER_NOT_EXISTS: AUTH,
  ERROR_USER_LOCKED: AUTH,
  ERROR_ILLEGAL_OPERATION: AUTH,
  ERROR_AI_NOT_EXISTS: AUTH,

  // bad request: every 400 and 406 code.
  ...all(BAD_REQUEST, [
    "ERROR_PARAMETERS",
    "MISSING_PARAMETERS",
    "ERROR_INVALID_PARAMETER",
    "PARAMETERS_CANNOT_EMPTY",
    "ERROR_MISSING_LIMIT_PARAMETER",
    "ERROR_MISSING_TASKS_PARAMETER",
    "ERROR_MISSING_ASSURE_DIRECTION_PARAMETER",
    "ERROR_MISSING_MIN_HEIGHT_PARAMETER",
    "ERROR_INVALID_SIDE_PARAMETER",
    "ERROR_INVALID_URL",
    "ERROR_UNSUPPORTED_RESPONSE_FORMAT",
    "ERROR_INVALID_OUTPUT_FORMAT",
    "ERROR_MISSING_OUTPUT_FORMAT",
    "UNSUPPORTED_PARAMETER_VALUES",
    "ERROR_INVALID_PARAMETER_FORMAT",
    "ERROR_PARAMETER_CONVERSION_FAILED",
    "ERROR_MASK_IMAGE_RESOLUTION_MISMATCH",
    "ERROR_QUALITY_CONTROL_ERROR",
    "ERROR_LIVENESS_CONTROL_ERROR",
    "ERROR_TOO_MANY_GROUPS_IN_GROUP_LIST",
    "ERROR_TOO_MANY_UIDS_IN_UID_LIST",
    "ERROR_TOO_MANY_APPS_IN_APP_LIST",
    "ERROR_INVALID_FACE_BOX_PARAMETER",
    "ERROR_INVALID_BIG_EYES_PARAMETER",
    "ERROR_INVALID_FACE_SLIMMING_PARAMETER",
    "ERROR_INVALID_SMOOTHING_PARAMETER",
    "ERROR_INVALID_SKIN_WHITENING_PARAMETER",
    "ERROR_INVALID_RESPONSE_FORMAT",
    // (ours) 404/409/410 resource and task codes of other AILab products; never a vendor outage.
    "ERROR_FILE_NOT_FOUND",
    "ERROR_USER_GROUP_NOT_FOUND",
    "ERROR_USER_NOT_FOUND",
    "ERROR_FACE_TOKEN_NOT_FOUND",
    "ERROR_CONTENT_NOT_FOUND",
    "ERROR_RESOURCE_NOT_FOUND",
    "ERROR_FACE_ALREADY_EXISTS",
    "ERROR_DATA_ALREADY_EXISTS",
    "ERROR_USER_GROUP_ALREADY_EXISTS",
    "ERROR_USER_ALREADY_EXISTS",
    "ERROR_DUPLICATE_GROUP_NAME",
    "ERROR_RESOURCE_IN_USE",
    "ERROR_TASK_CONFLICT",
    "ERROR_TASK_STOPPED_PROCESSING",
    "ERROR_TASK_REVOCATION_FAILED",
    "ERROR_TASK_REVOKED",
    "ERROR_RESOURCE_RECLAIMED",
    // (ours) 413/422 codes about request shape rather than the picture.
    "ERROR_TOO_MANY_FILES",
    "ERROR_CONTENT_TOO_LONG",
    "ERROR_VIDEO_DURATION_EXCEEDED",
    "ERROR_INCORRECT_FILE_COUNT",
  ]),

  // image or input problems: permanent for that input.
  ...all(TOO_LARGE, [
    "FILE_SIZE_EXCEEDS_LIMIT",
    "FILE_RESOLUTION_EXCEEDS_LIMITS",
    "ERROR_HIGH_RESOLUTION",
    "ERROR_REQUEST_BODY_TOO_LARGE",
  ]),
  ERROR_LOW_RESOLUTION: TOO_SMALL,
  ERROR_NO_FACE_IN_FILE: NO_FACE,
  // A face the vendor cannot find or use at all reads, to a user, as "no face detected".
  ERROR_FACE_UNRECOGNIZABLE: NO_FACE,
  ERROR_SMALL_FACE_SIZE: NO_FACE,
  ERROR_FACE_NOT_FOUND: NO_FACE, // (ours) 404, but its words are the user's problem
  ERROR_NO_RECOGNITION_TARGET_DETECTED: NO_FACE, // (ours)
  FILE_CONTENT_NON_COMPLIANCE: REJECTED,
  ERROR_CONTENT_NON_COMPLIANCE: REJECTED,
  ERROR_UNSUPPORTED_GRAYSCALE_IMAGE: NOT_ACCEPTED,
  ...all(BAD_IMAGE, [
    "UNSUPPORTED_FILE_TYPES",
    "FILE_DECODING_FAILURE",
    "ERROR_INVALID_FILE",
    "ERROR_ILLEGAL_FILE",
    // every 422 ERROR_*FACE* code not named above
    "ERROR_FACE_SIZE_NOT_MEET_REQUIREMENTS",
    "ERROR_FACE_SIZE_RATIO_NOT_MET",
    "ERROR_FACE_COPY_SCENE_MISMATCH",
    "ERROR_POOR_FACE_QUALITY",
    "ERROR_BLURRY_FACE",
    "ERROR_OBSTRUCTED_FACE",
    "ERROR_POOR_FACE_LIGHTING",
    "ERROR_INCOMPLETE_FACE",
    "ERROR_FACE_NOT_FACING_FORWARD",
    "ERROR_CARTOON_FACE_NOT_SUPPORTED",
    "ERROR_LEFT_FACE_OCCLUSION_TOO_HIGH",
    "ERROR_RIGHT_FACE_OCCLUSION_TOO_HIGH",
    "ERROR_FACE_COUNT_INVALID",
    // (ours) the other 422 codes judge the picture too
    "ERROR_QUALITY_SCORE_NOT_MEET_REQUIREMENTS",
    "ERROR_SCENE_TYPE_MISMATCH",
    "ERROR_TEMPLATE_IMAGE_QUALITY_TOO_LOW",
    "ERROR_ACTION_VERIFICATION_FAILED",
    "ERROR_LEFT_EYE_OCCLUSION_TOO_HIGH",
    "ERROR_RIGHT_EYE_OCCLUSION_TOO_HIGH",
    "ERROR_CHIN_OCCLUSION_TOO_HIGH",
    "ERROR_NOSE_OCCLUSION_TOO_HIGH",
    "ERROR_MOUTH_OCCLUSION_TOO_HIGH",
    "ERROR_SYNTHESIS_DETECTION_FAILED",
    "ERROR_LIVENESS_DETECTION_FAILED",
    "ERROR_IMAGE_RECOGNITION_FAILED",
    "ERROR_POSE_NOT_ENOUGH_KEYPOINTS",
  ]),

  // transient: retry a few times.
  ...all(TRANSIENT, [
    "PROCESSING_FAILURE",
    "UNKNOWN_ERROR",
    "SERVICE_INTERNAL_ERROR",
    "AI_SERVICE_ERROR",
    "AI_SERVICE_INTERNAL_ERROR",
    "AI_SERVICE_UNAUTHORIZED",
    "AI_SERVICE_NOT_FOUND",
    "ERROR_GATEWAY",
    "FILE_SERVICE_ERROR",
    "ERROR_FILE_DOWNLOAD_FAILED",
    "ERROR_FILE_UPLOAD_FAILED",
    "ERROR_DATA_TRANSFER_FAILED",
    // (ours) the remaining 502/503 codes: the vendor's back end failing
    "ERROR_GET_FACE_IMAGE_FAILED",
    "ERROR_FACE_IMAGE_ADDITION_FAILED",
    "ERROR_FACE_BLENDING_FAILED",
    "ERROR_CLEANING_USER_GROUP_DATA",
  ]),
  // transient; 504s are the vendor timing out, so they carry the `timeout` code.
  AI_SERVICE_TIMEOUT: VENDOR_TIMEOUT,
  ERROR_FILE_DOWNLOAD_TIMEOUT: VENDOR_TIMEOUT,

  // permanent. A result too large for the vendor to return shrinks with a smaller input;
  // unsupported image storage is about how facegate calls AILab, so another vendor may serve the job.
  ERROR_RESPONSE_BODY_TOO_LARGE: TOO_LARGE,
  ERROR_IMAGE_STORAGE_NOT_SUPPORTED: CONFIG,
};

function all(classification: Classification, codes: string[]): Record<string, Classification> {
  return Object.fromEntries(codes.map((code) => [code, classification]));
}

/**
 * Classify an AILab failure. `code` is `error_detail.code`, falling back on the legacy
 * `error_code_str`; an unknown or missing code falls back on the status (: `error_code` equals
 * the HTTP status for errors, so either serves): 5xx transient, anything else input/invalid_request.
 */
export function classifyAilab(code: string | undefined, status: number): Classification {
  return lookup(AILAB_ERRORS, code) ?? fallbackByStatus(status);
}
