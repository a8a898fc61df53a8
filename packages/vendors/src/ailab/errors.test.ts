import { describe, expect, it } from "vitest";
import { AILAB_ERRORS, classifyAilab } from "./errors";

/**
 * Expectations written from vendors/README.md, not from errors.ts: §1.2 lists the codes by status,
 * §1.3 says what each group means. A wrong row in the table fails here.
 */
type Expected = [code: string, kind: string, normalised: string];

// §1.3, every code it names, with the normalised code facegate reports.
const CLASSIFIED: Expected[] = [
  // Rate limit or overload
  ["EXCEEDING_LIMITS", "rate_limited", "vendor_rate_limited"],
  ["AI_SERVICE_FLOW_RESTRICTION", "rate_limited", "vendor_rate_limited"],
  ["ERROR_INSUFFICIENT_RESOURCES", "rate_limited", "vendor_rate_limited"],
  ["ERROR_RESOURCE_UNAVAILABLE", "rate_limited", "vendor_rate_limited"],
  ["ERROR_RESOURCE_IN_TRANSIT", "rate_limited", "vendor_rate_limited"],
  // Insufficient balance
  ["ERROR_NOT_ENOUGH_CREDITS", "quota", "vendor_quota_exhausted"],
  // Invalid key or account
  ["ERROR_APPLICATIONS_NOT_EXISTS", "auth", "vendor_auth_failed"],
  ["ERROR_USER_NOT_EXISTS", "auth", "vendor_auth_failed"],
  ["ERROR_USER_LOCKED", "auth", "vendor_auth_failed"],
  ["ERROR_ILLEGAL_OPERATION", "auth", "vendor_auth_failed"],
  ["ERROR_AI_NOT_EXISTS", "auth", "vendor_auth_failed"],
  // Image or input problems
  ["FILE_SIZE_EXCEEDS_LIMIT", "input", "image_too_large"],
  ["FILE_RESOLUTION_EXCEEDS_LIMITS", "input", "image_too_large"],
  ["ERROR_HIGH_RESOLUTION", "input", "image_too_large"],
  ["ERROR_REQUEST_BODY_TOO_LARGE", "input", "image_too_large"],
  ["UNSUPPORTED_FILE_TYPES", "input", "invalid_image"],
  ["ERROR_UNSUPPORTED_GRAYSCALE_IMAGE", "input", "invalid_image"],
  ["FILE_DECODING_FAILURE", "input", "invalid_image"],
  ["ERROR_INVALID_FILE", "input", "invalid_image"],
  ["ERROR_LOW_RESOLUTION", "input", "image_too_small"],
  ["ERROR_NO_FACE_IN_FILE", "input", "no_face_detected"],
  ["ERROR_CONTENT_NON_COMPLIANCE", "input", "content_rejected"],
  ["FILE_CONTENT_NON_COMPLIANCE", "input", "content_rejected"],
  // Transient
  ["PROCESSING_FAILURE", "transient", "vendor_unavailable"],
  ["UNKNOWN_ERROR", "transient", "vendor_unavailable"],
  ["SERVICE_INTERNAL_ERROR", "transient", "vendor_unavailable"],
  ["AI_SERVICE_ERROR", "transient", "vendor_unavailable"],
  ["AI_SERVICE_INTERNAL_ERROR", "transient", "vendor_unavailable"],
  ["AI_SERVICE_UNAUTHORIZED", "transient", "vendor_unavailable"],
  ["AI_SERVICE_NOT_FOUND", "transient", "vendor_unavailable"],
  ["ERROR_GATEWAY", "transient", "vendor_unavailable"],
  ["FILE_SERVICE_ERROR", "transient", "vendor_unavailable"],
  ["ERROR_FILE_DOWNLOAD_FAILED", "transient", "vendor_unavailable"],
  ["ERROR_FILE_UPLOAD_FAILED", "transient", "vendor_unavailable"],
  ["ERROR_DATA_TRANSFER_FAILED", "transient", "vendor_unavailable"],
  ["AI_SERVICE_TIMEOUT", "transient", "timeout"],
  ["ERROR_FILE_DOWNLOAD_TIMEOUT", "transient", "timeout"],
  // Permanent
  ["ERROR_RESPONSE_BODY_TOO_LARGE", "input", "image_too_large"],
  ["ERROR_IMAGE_STORAGE_NOT_SUPPORTED", "config", "vendor_config_error"],
];

// §1.2 codes by HTTP status (the current docs' table), to check that every documented code is in the table.
const BY_STATUS: Record<number, string[]> = {
  400: [
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
  ],
  401: ["ERROR_USER_NOT_EXISTS", "ERROR_APPLICATIONS_NOT_EXISTS"],
  403: ["ERROR_USER_LOCKED", "ERROR_ILLEGAL_OPERATION"],
  404: [
    "ERROR_AI_NOT_EXISTS",
    "ERROR_FILE_NOT_FOUND",
    "ERROR_FACE_NOT_FOUND",
    "ERROR_USER_GROUP_NOT_FOUND",
    "ERROR_USER_NOT_FOUND",
    "ERROR_FACE_TOKEN_NOT_FOUND",
    "ERROR_CONTENT_NOT_FOUND",
    "ERROR_RESOURCE_NOT_FOUND",
  ],
  406: ["ERROR_INVALID_RESPONSE_FORMAT"],
  409: [
    "ERROR_FACE_ALREADY_EXISTS",
    "ERROR_DATA_ALREADY_EXISTS",
    "ERROR_USER_GROUP_ALREADY_EXISTS",
    "ERROR_USER_ALREADY_EXISTS",
    "ERROR_DUPLICATE_GROUP_NAME",
    "ERROR_RESOURCE_IN_USE",
    "ERROR_TASK_CONFLICT",
    "ERROR_TASK_STOPPED_PROCESSING",
    "ERROR_TASK_REVOCATION_FAILED",
  ],
  410: ["ERROR_TASK_REVOKED", "ERROR_RESOURCE_RECLAIMED"],
  413: [
    "ERROR_TOO_MANY_FILES",
    "FILE_SIZE_EXCEEDS_LIMIT",
    "FILE_RESOLUTION_EXCEEDS_LIMITS",
    "ERROR_HIGH_RESOLUTION",
    "ERROR_REQUEST_BODY_TOO_LARGE",
  ],
  415: ["UNSUPPORTED_FILE_TYPES", "ERROR_UNSUPPORTED_GRAYSCALE_IMAGE"],
  422: [
    "FILE_DECODING_FAILURE",
    "ERROR_ILLEGAL_FILE",
    "ERROR_INVALID_FILE",
    "ERROR_LOW_RESOLUTION",
    "FILE_CONTENT_NON_COMPLIANCE",
    "ERROR_CONTENT_NON_COMPLIANCE",
    "ERROR_CONTENT_TOO_LONG",
    "ERROR_VIDEO_DURATION_EXCEEDED",
    "ERROR_INCORRECT_FILE_COUNT",
    "ERROR_NO_FACE_IN_FILE",
    "ERROR_FACE_SIZE_NOT_MEET_REQUIREMENTS",
    "ERROR_FACE_SIZE_RATIO_NOT_MET",
    "ERROR_SMALL_FACE_SIZE",
    "ERROR_FACE_COPY_SCENE_MISMATCH",
    "ERROR_FACE_UNRECOGNIZABLE",
    "ERROR_POOR_FACE_QUALITY",
    "ERROR_BLURRY_FACE",
    "ERROR_OBSTRUCTED_FACE",
    "ERROR_POOR_FACE_LIGHTING",
    "ERROR_INCOMPLETE_FACE",
    "ERROR_FACE_NOT_FACING_FORWARD",
    "ERROR_QUALITY_SCORE_NOT_MEET_REQUIREMENTS",
    "ERROR_SCENE_TYPE_MISMATCH",
    "ERROR_CARTOON_FACE_NOT_SUPPORTED",
    "ERROR_TEMPLATE_IMAGE_QUALITY_TOO_LOW",
    "ERROR_ACTION_VERIFICATION_FAILED",
    "ERROR_LEFT_EYE_OCCLUSION_TOO_HIGH",
    "ERROR_RIGHT_EYE_OCCLUSION_TOO_HIGH",
    "ERROR_LEFT_FACE_OCCLUSION_TOO_HIGH",
    "ERROR_RIGHT_FACE_OCCLUSION_TOO_HIGH",
    "ERROR_CHIN_OCCLUSION_TOO_HIGH",
    "ERROR_NOSE_OCCLUSION_TOO_HIGH",
    "ERROR_MOUTH_OCCLUSION_TOO_HIGH",
    "ERROR_SYNTHESIS_DETECTION_FAILED",
    "ERROR_LIVENESS_DETECTION_FAILED",
    "ERROR_NO_RECOGNITION_TARGET_DETECTED",
    "ERROR_IMAGE_RECOGNITION_FAILED",
    "ERROR_POSE_NOT_ENOUGH_KEYPOINTS",
    "ERROR_FACE_COUNT_INVALID",
  ],
  429: [
    "ERROR_NOT_ENOUGH_CREDITS",
    "ERROR_FACE_TRACE_LIMIT_EXCEEDED",
    "ERROR_DATABASE_LIMIT_EXCEEDED",
    "ERROR_BATCH_TASK_LIMIT_EXCEEDED",
    "EXCEEDING_LIMITS",
  ],
  500: ["PROCESSING_FAILURE", "ERROR_RESPONSE_BODY_TOO_LARGE", "UNKNOWN_ERROR", "SERVICE_INTERNAL_ERROR"],
  501: ["ERROR_IMAGE_STORAGE_NOT_SUPPORTED"],
  502: [
    "ERROR_FILE_DOWNLOAD_FAILED",
    "ERROR_FILE_UPLOAD_FAILED",
    "ERROR_DATA_TRANSFER_FAILED",
    "ERROR_GET_FACE_IMAGE_FAILED",
    "ERROR_FACE_IMAGE_ADDITION_FAILED",
    "ERROR_FACE_BLENDING_FAILED",
    "FILE_SERVICE_ERROR",
    "AI_SERVICE_ERROR",
    "AI_SERVICE_INTERNAL_ERROR",
    "AI_SERVICE_UNAUTHORIZED",
    "AI_SERVICE_NOT_FOUND",
    "ERROR_GATEWAY",
  ],
  503: [
    "ERROR_CLEANING_USER_GROUP_DATA",
    "ERROR_INSUFFICIENT_RESOURCES",
    "ERROR_RESOURCE_IN_TRANSIT",
    "ERROR_RESOURCE_UNAVAILABLE",
    "AI_SERVICE_FLOW_RESTRICTION",
  ],
  504: ["ERROR_FILE_DOWNLOAD_TIMEOUT", "AI_SERVICE_TIMEOUT"],
};

describe("AILab error table", () => {
  it.each(CLASSIFIED)("%s → %s / %s (README §1.3)", (code, kind, normalised) => {
    // A status that would classify differently, to prove the code alone decides.
    expect(classifyAilab(code, 418)).toEqual({ kind, code: normalised });
  });

  const documented = Object.entries(BY_STATUS).flatMap(([status, codes]) =>
    codes.map((c) => [c, Number(status)]),
  );

  it.each(documented)("%s (HTTP %i in §1.2) has an explicit entry", (code) => {
    expect(Object.hasOwn(AILAB_ERRORS, code)).toBe(true);
  });

  it("classifies §1.3's groups as a whole", () => {
    // "Bad request, permanent: all 400, 406 and 415 codes"
    for (const code of [...BY_STATUS[400]!, ...BY_STATUS[406]!, ...BY_STATUS[415]!]) {
      expect(classifyAilab(code, 400).kind, code).toBe("input");
    }
    // "422: … every ERROR_*FACE* code": input, for the picture's sake
    for (const code of BY_STATUS[422]!.filter((c) => /^ERROR_.*FACE/.test(c))) {
      expect(classifyAilab(code, 422).kind, code).toBe("input");
      expect(["no_face_detected", "invalid_image"], code).toContain(classifyAilab(code, 422).code);
    }
    // "every 502 AI_SERVICE_*": transient
    for (const code of BY_STATUS[502]!.filter((c) => c.startsWith("AI_SERVICE_"))) {
      expect(classifyAilab(code, 502).kind, code).toBe("transient");
    }
  });

  it("shares HTTP 429 between a rate limit and an empty balance, told apart by the code", () => {
    expect(classifyAilab("EXCEEDING_LIMITS", 429).kind).toBe("rate_limited");
    expect(classifyAilab("ERROR_NOT_ENOUGH_CREDITS", 429).kind).toBe("quota");
    // legacy status of EXCEEDING_LIMITS
    expect(classifyAilab("EXCEEDING_LIMITS", 422).kind).toBe("rate_limited");
  });

  it("falls back on the status class for unknown or missing codes", () => {
    expect(classifyAilab("SOMETHING_NEW", 503)).toEqual({ kind: "transient", code: "vendor_unavailable" });
    expect(classifyAilab(undefined, 500)).toEqual({ kind: "transient", code: "vendor_unavailable" });
    expect(classifyAilab("SOMETHING_NEW", 422)).toEqual({ kind: "input", code: "invalid_request" });
    expect(classifyAilab("constructor", 400)).toEqual({ kind: "input", code: "invalid_request" });
  });
});
