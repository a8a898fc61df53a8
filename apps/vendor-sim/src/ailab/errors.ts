import type { Meaning } from "../meaning";

/**
 * AILabTools `error_detail.code` values with their HTTP status (the current response description)
 * and what the docs say each means (see ../meaning.ts). Written here from the vendor's pages on
 * purpose: the gateway's adapter keeps its own table, and the contract suite compares the two.
 */
const CODES: Readonly<Record<string, readonly [status: number, meaning: Meaning]>> = {
  // HTTP 400
  ERROR_PARAMETERS: [400, "bad_request"],
  MISSING_PARAMETERS: [400, "bad_request"],
  ERROR_INVALID_PARAMETER: [400, "bad_request"],
  PARAMETERS_CANNOT_EMPTY: [400, "bad_request"],
  ERROR_MISSING_LIMIT_PARAMETER: [400, "bad_request"],
  ERROR_MISSING_TASKS_PARAMETER: [400, "bad_request"],
  ERROR_MISSING_ASSURE_DIRECTION_PARAMETER: [400, "bad_request"],
  ERROR_MISSING_MIN_HEIGHT_PARAMETER: [400, "bad_request"],
  ERROR_INVALID_SIDE_PARAMETER: [400, "bad_request"],
  ERROR_INVALID_URL: [400, "bad_request"],
  ERROR_UNSUPPORTED_RESPONSE_FORMAT: [400, "bad_request"],
  ERROR_INVALID_OUTPUT_FORMAT: [400, "bad_request"],
  ERROR_MISSING_OUTPUT_FORMAT: [400, "bad_request"],
  UNSUPPORTED_PARAMETER_VALUES: [400, "bad_request"],
  ERROR_INVALID_PARAMETER_FORMAT: [400, "bad_request"],
  ERROR_PARAMETER_CONVERSION_FAILED: [400, "bad_request"],
  ERROR_MASK_IMAGE_RESOLUTION_MISMATCH: [400, "bad_request"],
  ERROR_QUALITY_CONTROL_ERROR: [400, "bad_request"],
  ERROR_LIVENESS_CONTROL_ERROR: [400, "bad_request"],
  ERROR_TOO_MANY_GROUPS_IN_GROUP_LIST: [400, "bad_request"],
  ERROR_TOO_MANY_UIDS_IN_UID_LIST: [400, "bad_request"],
  ERROR_TOO_MANY_APPS_IN_APP_LIST: [400, "bad_request"],
  ERROR_INVALID_FACE_BOX_PARAMETER: [400, "bad_request"],
  ERROR_INVALID_BIG_EYES_PARAMETER: [400, "bad_request"],
  ERROR_INVALID_FACE_SLIMMING_PARAMETER: [400, "bad_request"],
  ERROR_INVALID_SMOOTHING_PARAMETER: [400, "bad_request"],
  ERROR_INVALID_SKIN_WHITENING_PARAMETER: [400, "bad_request"],
  // HTTP 401
  ERROR_USER_NOT_EXISTS: [401, "credentials"],
  ERROR_APPLICATIONS_NOT_EXISTS: [401, "credentials"],
  // HTTP 403
  ERROR_USER_LOCKED: [403, "credentials"],
  ERROR_ILLEGAL_OPERATION: [403, "credentials"],
  // HTTP 404
  ERROR_AI_NOT_EXISTS: [404, "credentials"],
  ERROR_FILE_NOT_FOUND: [404, "bad_request"],
  ERROR_FACE_NOT_FOUND: [404, "no_face"],
  ERROR_USER_GROUP_NOT_FOUND: [404, "bad_request"],
  ERROR_USER_NOT_FOUND: [404, "bad_request"],
  ERROR_FACE_TOKEN_NOT_FOUND: [404, "bad_request"],
  ERROR_CONTENT_NOT_FOUND: [404, "bad_request"],
  ERROR_RESOURCE_NOT_FOUND: [404, "bad_request"],
  // HTTP 406
  ERROR_INVALID_RESPONSE_FORMAT: [406, "bad_request"],
  // HTTP 409
  ERROR_FACE_ALREADY_EXISTS: [409, "bad_request"],
  ERROR_DATA_ALREADY_EXISTS: [409, "bad_request"],
  ERROR_USER_GROUP_ALREADY_EXISTS: [409, "bad_request"],
  ERROR_USER_ALREADY_EXISTS: [409, "bad_request"],
  ERROR_DUPLICATE_GROUP_NAME: [409, "bad_request"],
  ERROR_RESOURCE_IN_USE: [409, "bad_request"],
  ERROR_TASK_CONFLICT: [409, "bad_request"],
  ERROR_TASK_STOPPED_PROCESSING: [409, "bad_request"],
  ERROR_TASK_REVOCATION_FAILED: [409, "bad_request"],
  // HTTP 410
  ERROR_TASK_REVOKED: [410, "bad_request"],
  ERROR_RESOURCE_RECLAIMED: [410, "bad_request"],
  // HTTP 413
  ERROR_TOO_MANY_FILES: [413, "bad_request"],
  FILE_SIZE_EXCEEDS_LIMIT: [413, "image_too_large"],
  FILE_RESOLUTION_EXCEEDS_LIMITS: [413, "image_too_large"],
  ERROR_HIGH_RESOLUTION: [413, "image_too_large"],
  ERROR_REQUEST_BODY_TOO_LARGE: [413, "image_too_large"],
  // HTTP 415
  UNSUPPORTED_FILE_TYPES: [415, "bad_image"],
  ERROR_UNSUPPORTED_GRAYSCALE_IMAGE: [415, "image_not_accepted"],
  // HTTP 422
  FILE_DECODING_FAILURE: [422, "bad_image"],
  ERROR_ILLEGAL_FILE: [422, "bad_image"],
  ERROR_INVALID_FILE: [422, "bad_image"],
  ERROR_LOW_RESOLUTION: [422, "image_too_small"],
  FILE_CONTENT_NON_COMPLIANCE: [422, "content"],
  ERROR_CONTENT_NON_COMPLIANCE: [422, "content"],
  ERROR_CONTENT_TOO_LONG: [422, "bad_request"],
  ERROR_VIDEO_DURATION_EXCEEDED: [422, "bad_request"],
  ERROR_INCORRECT_FILE_COUNT: [422, "bad_request"],
  ERROR_NO_FACE_IN_FILE: [422, "no_face"],
  ERROR_FACE_SIZE_NOT_MEET_REQUIREMENTS: [422, "bad_image"],
  ERROR_FACE_SIZE_RATIO_NOT_MET: [422, "bad_image"],
  ERROR_SMALL_FACE_SIZE: [422, "no_face"],
  ERROR_FACE_COPY_SCENE_MISMATCH: [422, "bad_image"],
  ERROR_FACE_UNRECOGNIZABLE: [422, "no_face"],
  ERROR_POOR_FACE_QUALITY: [422, "bad_image"],
  ERROR_BLURRY_FACE: [422, "bad_image"],
  ERROR_OBSTRUCTED_FACE: [422, "bad_image"],
  ERROR_POOR_FACE_LIGHTING: [422, "bad_image"],
  ERROR_INCOMPLETE_FACE: [422, "bad_image"],
  ERROR_FACE_NOT_FACING_FORWARD: [422, "bad_image"],
  ERROR_QUALITY_SCORE_NOT_MEET_REQUIREMENTS: [422, "bad_image"],
  ERROR_SCENE_TYPE_MISMATCH: [422, "bad_image"],
  ERROR_CARTOON_FACE_NOT_SUPPORTED: [422, "bad_image"],
  ERROR_TEMPLATE_IMAGE_QUALITY_TOO_LOW: [422, "bad_image"],
  ERROR_ACTION_VERIFICATION_FAILED: [422, "bad_image"],
  ERROR_LEFT_EYE_OCCLUSION_TOO_HIGH: [422, "bad_image"],
  ERROR_RIGHT_EYE_OCCLUSION_TOO_HIGH: [422, "bad_image"],
  ERROR_LEFT_FACE_OCCLUSION_TOO_HIGH: [422, "bad_image"],
  ERROR_RIGHT_FACE_OCCLUSION_TOO_HIGH: [422, "bad_image"],
  ERROR_CHIN_OCCLUSION_TOO_HIGH: [422, "bad_image"],
  ERROR_NOSE_OCCLUSION_TOO_HIGH: [422, "bad_image"],
  ERROR_MOUTH_OCCLUSION_TOO_HIGH: [422, "bad_image"],
  ERROR_SYNTHESIS_DETECTION_FAILED: [422, "bad_image"],
  ERROR_LIVENESS_DETECTION_FAILED: [422, "bad_image"],
  ERROR_NO_RECOGNITION_TARGET_DETECTED: [422, "no_face"],
  ERROR_IMAGE_RECOGNITION_FAILED: [422, "bad_image"],
  ERROR_POSE_NOT_ENOUGH_KEYPOINTS: [422, "bad_image"],
  ERROR_FACE_COUNT_INVALID: [422, "bad_image"],
  // HTTP 429
  ERROR_NOT_ENOUGH_CREDITS: [429, "billing"],
  ERROR_FACE_TRACE_LIMIT_EXCEEDED: [429, "billing"],
  ERROR_DATABASE_LIMIT_EXCEEDED: [429, "billing"],
  ERROR_BATCH_TASK_LIMIT_EXCEEDED: [429, "billing"],
  EXCEEDING_LIMITS: [429, "rate_limit"],
  // HTTP 500
  PROCESSING_FAILURE: [500, "transient"],
  ERROR_RESPONSE_BODY_TOO_LARGE: [500, "image_too_large"],
  UNKNOWN_ERROR: [500, "transient"],
  SERVICE_INTERNAL_ERROR: [500, "transient"],
  // HTTP 501
  ERROR_IMAGE_STORAGE_NOT_SUPPORTED: [501, "configuration"],
  // HTTP 502
  ERROR_FILE_DOWNLOAD_FAILED: [502, "transient"],
  ERROR_FILE_UPLOAD_FAILED: [502, "transient"],
  ERROR_DATA_TRANSFER_FAILED: [502, "transient"],
  ERROR_GET_FACE_IMAGE_FAILED: [502, "transient"],
  ERROR_FACE_IMAGE_ADDITION_FAILED: [502, "transient"],
  ERROR_FACE_BLENDING_FAILED: [502, "transient"],
  FILE_SERVICE_ERROR: [502, "transient"],
  AI_SERVICE_ERROR: [502, "transient"],
  AI_SERVICE_INTERNAL_ERROR: [502, "transient"],
  AI_SERVICE_UNAUTHORIZED: [502, "transient"],
  AI_SERVICE_NOT_FOUND: [502, "transient"],
  ERROR_GATEWAY: [502, "transient"],
  // HTTP 503
  ERROR_CLEANING_USER_GROUP_DATA: [503, "transient"],
  ERROR_INSUFFICIENT_RESOURCES: [503, "rate_limit"],
  ERROR_RESOURCE_IN_TRANSIT: [503, "rate_limit"],
  ERROR_RESOURCE_UNAVAILABLE: [503, "rate_limit"],
  AI_SERVICE_FLOW_RESTRICTION: [503, "rate_limit"],
  // HTTP 504
  ERROR_FILE_DOWNLOAD_TIMEOUT: [504, "vendor_timeout"],
  AI_SERVICE_TIMEOUT: [504, "vendor_timeout"],
};

export const AILAB_STATUS: ReadonlyMap<string, number> = new Map(
  Object.entries(CODES).map(([code, [status]]) => [code, status] as const),
);

export const AILAB_MEANING: ReadonlyMap<string, Meaning> = new Map(
  Object.entries(CODES).map(([code, [, meaning]]) => [code, meaning] as const),
);

/** Codes the fault injector picks from for a "transient" failure: the 5xx a retry may cure. */
export const AILAB_TRANSIENT_CODES = [
  "PROCESSING_FAILURE",
  "SERVICE_INTERNAL_ERROR",
  "AI_SERVICE_ERROR",
  "ERROR_GATEWAY",
  "ERROR_INSUFFICIENT_RESOURCES",
  "AI_SERVICE_TIMEOUT",
] as const;

/** `code_message` for the codes whose wording the docs give; others get one derived from the name. */
const MESSAGES: Record<string, string> = {
  ERROR_NO_FACE_IN_FILE: "No face detected in the file.",
  ERROR_NOT_ENOUGH_CREDITS: "Insufficient credits.",
  EXCEEDING_LIMITS: "Exceeds limit",
  AI_SERVICE_FLOW_RESTRICTION: "AI service is rate-limited. Please try again later",
  ERROR_APPLICATIONS_NOT_EXISTS: "The application does not exist, check if the API KEY is correct.",
  ERROR_UNSUPPORTED_GRAYSCALE_IMAGE: "Black and white images are not supported.",
};

export function ailabCodeMessage(code: string): string {
  const known = MESSAGES[code];
  if (known) return known;
  const words = code
    .replace(/^ERROR_/, "")
    .toLowerCase()
    .replaceAll("_", " ");
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}.`;
}

/**
 * The legacy, coarser `error_code_str` ("gradually deprecated"): the documented examples keep
 * auth, credit and parameter codes as they are and fold content problems into
 * FILE_CONTENT_NON_COMPLIANCE.
 */
export function ailabLegacyCode(code: string): string {
  const status = AILAB_STATUS.get(code) ?? 500;
  if (status === 400 && code !== "MISSING_PARAMETERS") return "ERROR_PARAMETERS";
  if (status === 413 || status === 415 || status === 422) return "FILE_CONTENT_NON_COMPLIANCE";
  if (status >= 500) return "AI_SERVICE_ERROR";
  return code;
}

export function checkAilabCode(code: string): void {
  if (!AILAB_STATUS.has(code)) throw new Error(`unknown AILab error code: ${code}`);
}
