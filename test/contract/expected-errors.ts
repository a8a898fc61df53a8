import type { JobErrorCode, VendorErrorKind } from "@facegate/core";

/**
 * What every documented vendor error code must become, written here from vendors/README.md —
 * the codes from §1.2, §2.5–2.6 and §3.2, the classes from §1.3, §2.7 and §3.3 — and NOT taken
 * from the adapters' tables: the contract suite checks the adapters against this reading.
 *
 * The README gives each code a class (rate limit, transient, credentials, billing, configuration,
 * bad request, image problem). The normalised code follows from the class, and for image problems
 * from what the code says (too large, too small, no face, content, undecodable). Where the README
 * says nothing about a code, or leaves the normalised code open, the entry asserts the adapter's
 * documented choice and is marked `adapter` with the reason.
 */
export interface Expected {
  kind: VendorErrorKind;
  code: JobErrorCode;
  /** Set when the README is silent and this is the adapter's (commented) choice. */
  adapter?: string;
}

const RATE: Expected = { kind: "rate_limited", code: "vendor_rate_limited" };
const TRANSIENT: Expected = { kind: "transient", code: "vendor_unavailable" };
const AUTH: Expected = { kind: "auth", code: "vendor_auth_failed" };
const QUOTA: Expected = { kind: "quota", code: "vendor_quota_exhausted" };
const CONFIG: Expected = { kind: "config", code: "vendor_config_error" };
const BAD_REQUEST: Expected = { kind: "input", code: "invalid_request" };
const INVALID_IMAGE: Expected = { kind: "input", code: "invalid_image" };
const TOO_LARGE: Expected = { kind: "input", code: "image_too_large" };
const TOO_SMALL: Expected = { kind: "input", code: "image_too_small" };
const NO_FACE: Expected = { kind: "input", code: "no_face_detected" };
const REJECTED: Expected = { kind: "input", code: "content_rejected" };

function all(expected: Expected, codes: string[], adapter?: string): Record<string, Expected> {
  return Object.fromEntries(codes.map((c) => [c, adapter ? { ...expected, adapter } : expected]));
}

// ───────────────────────────── AILab (§1.2 codes, §1.3 classes) ─────────────────────────────

export const AILAB_EXPECTED: Record<string, Expected> = {
  // §1.3 "Rate limit or overload, so retry with backoff".
  ...all(RATE, [
    "EXCEEDING_LIMITS",
    "AI_SERVICE_FLOW_RESTRICTION",
    "ERROR_INSUFFICIENT_RESOURCES",
    "ERROR_RESOURCE_UNAVAILABLE",
    "ERROR_RESOURCE_IN_TRANSIT",
  ]),
  // §1.3 "Insufficient balance, a permanent failure until the account is topped up".
  ERROR_NOT_ENOUGH_CREDITS: QUOTA,
  // §1.3 "Invalid key or account, permanent".
  ...all(AUTH, [
    "ERROR_APPLICATIONS_NOT_EXISTS",
    "ERROR_USER_NOT_EXISTS",
    "ERROR_USER_LOCKED",
    "ERROR_ILLEGAL_OPERATION",
    "ERROR_AI_NOT_EXISTS",
  ]),
  // §1.3 "Bad request, permanent: all 400, 406 and 415 codes" (the 415s are image problems below).
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
    "ERROR_INVALID_RESPONSE_FORMAT", // 406
  ]),
  // §1.3 image or input problems, 413.
  ...all(TOO_LARGE, [
    "FILE_SIZE_EXCEEDS_LIMIT",
    "FILE_RESOLUTION_EXCEEDS_LIMITS",
    "ERROR_HIGH_RESOLUTION",
    "ERROR_REQUEST_BODY_TOO_LARGE",
  ]),
  // §1.3 image problems, 415.
  ...all(INVALID_IMAGE, ["UNSUPPORTED_FILE_TYPES", "ERROR_UNSUPPORTED_GRAYSCALE_IMAGE"]),
  // §1.3 image problems, 422.
  ...all(INVALID_IMAGE, ["FILE_DECODING_FAILURE", "ERROR_INVALID_FILE"]),
  ERROR_LOW_RESOLUTION: TOO_SMALL,
  ERROR_NO_FACE_IN_FILE: NO_FACE,
  ...all(REJECTED, ["ERROR_CONTENT_NON_COMPLIANCE", "FILE_CONTENT_NON_COMPLIANCE"]),
  // §1.3 "every ERROR_*FACE* code" is an input problem; which normalised code is the adapter's call:
  // a face the vendor cannot find or use reads as "no face", a face it judges unfit as a bad image.
  ...all(
    NO_FACE,
    ["ERROR_FACE_UNRECOGNIZABLE", "ERROR_SMALL_FACE_SIZE", "ERROR_FACE_NOT_FOUND"],
    "README: an input problem; no_face_detected is the adapter's reading",
  ),
  ...all(
    INVALID_IMAGE,
    [
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
    ],
    "README: an input problem; invalid_image is the adapter's reading",
  ),
  // §1.3 transient, 500 / 502.
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
  ]),
  // §1.3 transient, 504: the vendor timing out, so the normalised code is `timeout`.
  ...all({ kind: "transient", code: "timeout" }, ["AI_SERVICE_TIMEOUT", "ERROR_FILE_DOWNLOAD_TIMEOUT"]),
  // §1.3 "Permanent" without a class: the adapter picks one that never retries.
  ERROR_RESPONSE_BODY_TOO_LARGE: { ...TOO_LARGE, adapter: "permanent; a smaller input shrinks the result" },
  ERROR_IMAGE_STORAGE_NOT_SUPPORTED: { ...CONFIG, adapter: "permanent; about how facegate calls AILab" },

  // README silent (codes of other AILab products, listed in §1.2 only): the adapter's choices.
  ...all(
    BAD_REQUEST,
    [
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
      "ERROR_TOO_MANY_FILES",
      "ERROR_CONTENT_TOO_LONG",
      "ERROR_VIDEO_DURATION_EXCEEDED",
      "ERROR_INCORRECT_FILE_COUNT",
    ],
    "README silent: 404/409/410 resource codes and request-shape codes, never an outage",
  ),
  ...all(
    INVALID_IMAGE,
    [
      "ERROR_ILLEGAL_FILE",
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
    ],
    "README silent: the other 422 codes judge the picture",
  ),
  ERROR_NO_RECOGNITION_TARGET_DETECTED: {
    ...NO_FACE,
    adapter: "README silent: nothing to work on was found",
  },
  ...all(
    QUOTA,
    ["ERROR_FACE_TRACE_LIMIT_EXCEEDED", "ERROR_DATABASE_LIMIT_EXCEEDED", "ERROR_BATCH_TASK_LIMIT_EXCEEDED"],
    "README silent: account-level caps sharing 429 with the credit code",
  ),
  ...all(
    TRANSIENT,
    [
      "ERROR_GET_FACE_IMAGE_FAILED",
      "ERROR_FACE_IMAGE_ADDITION_FAILED",
      "ERROR_FACE_BLENDING_FAILED",
      "ERROR_CLEANING_USER_GROUP_DATA",
    ],
    "README silent: the remaining 502/503 codes, the vendor's back end failing",
  ),
};

/** README §1.2: the legacy page put several codes on other statuses; classification must not follow. */
export const AILAB_LEGACY_STATUSES: [string, number][] = [
  ["EXCEEDING_LIMITS", 422],
  ["PROCESSING_FAILURE", 400],
  ["ERROR_INSUFFICIENT_RESOURCES", 400],
  ["ERROR_FILE_DOWNLOAD_FAILED", 400],
  ["ERROR_FACE_BLENDING_FAILED", 400],
  ["ERROR_RESOURCE_UNAVAILABLE", 400],
  ["ERROR_FILE_DOWNLOAD_TIMEOUT", 400],
  ["AI_SERVICE_ERROR", 500],
  ["AI_SERVICE_UNAUTHORIZED", 403],
  ["ERROR_ILLEGAL_FILE", 403],
];

// ─────────────────────────── Tencent (§2.5–2.6 codes, §2.7 classes) ───────────────────────────

export const TENCENT_EXPECTED: Record<string, Expected> = {
  // §2.7 rate limit.
  ...all(RATE, [
    "RequestLimitExceeded",
    "RequestLimitExceeded.UinLimitExceeded",
    "RequestLimitExceeded.GlobalRegionUinLimitExceeded",
    "RequestLimitExceeded.IPLimitExceeded",
    "FailedOperation.FuseFreqCtrl",
  ]),
  // §2.7 transient.
  ...all(TRANSIENT, [
    "InternalError",
    "ServiceUnavailable",
    "FailedOperation.InnerError",
    "FailedOperation.ServerError",
    "FailedOperation.RpcFail",
    "FailedOperation.Unknown",
    "FailedOperation.UnKnowError",
    "FailedOperation.FuseInnerError",
    "FailedOperation.FuseSavePhotoFail",
    "ResourceInsufficient",
    "ResourceUnavailable.IsOpening",
    "ResourceUnavailable.Delivering",
    // "worth one retry, then treat it as permanent": the queue's attempt budget bounds it.
    "FailedOperation.ImageDownloadError",
  ]),
  "FailedOperation.RequestTimeout": {
    kind: "transient",
    code: "timeout",
    adapter: "README: transient; `timeout` as it is the vendor's back end timing out",
  },
  // §2.7 clock skew: "re-sign with a corrected clock and retry once" — transient.
  "AuthFailure.SignatureExpire": { ...TRANSIENT, adapter: "README: retry once re-signed; code left open" },
  // §2.7 permanent, credentials.
  ...all(AUTH, [
    "AuthFailure.InvalidAuthorization",
    "AuthFailure.InvalidSecretId",
    "AuthFailure.MFAFailure",
    "AuthFailure.SecretIdNotFound",
    "AuthFailure.SignatureFailure",
    "AuthFailure.TokenFailure",
    "AuthFailure.UnauthorizedOperation",
    "UnauthorizedOperation",
    "IpInBlacklist",
    "IpNotInWhitelist",
  ]),
  // §2.7 permanent, configuration.
  ...all(CONFIG, [
    "InvalidParameterValue.ActivityIdNotFound",
    "InvalidParameterValue.MaterialIdNotFound",
    "FailedOperation.FuseMaterialNotAuth",
    "FailedOperation.FuseMaterialNotExist",
    "FailedOperation.ProjectNotAuth",
    "FailedOperation.TemplateFaceIDNotExist",
    "InvalidAction",
    "NoSuchVersion",
    "UnsupportedRegion",
  ]),
  // §2.7 permanent, billing.
  ...all(QUOTA, [
    "FailedOperation.BalanceInsufficient",
    "ResourceUnavailable.InArrears",
    "ResourceUnavailable.LowBalance",
    "ResourceUnavailable.StopUsing",
    "ResourceUnavailable.Freeze",
    "ResourceUnavailable.NotExist",
    "ResourceUnavailable.NotReady",
    "ResourceUnavailable.Recover",
    "ResourceUnavailable.UnknownStatus",
    "ResourcesSoldOut.ChargeStatusException",
    "LimitExceeded",
  ]),
  // §2.7 permanent, image or input; the normalised code from what each code says.
  "FailedOperation.ImageDecodeFailed": INVALID_IMAGE,
  "FailedOperation.NoFaceDetected": NO_FACE,
  "FailedOperation.FaceSizeTooSmall": {
    ...NO_FACE,
    adapter: "README: input; the face was filtered out as too small, so no usable face",
  },
  "FailedOperation.ImageResolutionTooSmall": TOO_SMALL,
  ...all(TOO_LARGE, [
    "FailedOperation.ImageResolutionExceed",
    "FailedOperation.ImagePixelExceed",
    "FailedOperation.ImageSizeExceed",
    "FailedOperation.RequestEntityTooLarge",
    "RequestSizeLimitExceeded",
  ]),
  ...all(INVALID_IMAGE, [
    "FailedOperation.ImageSizeInvalid", // "too large or too small": either way the picture is unusable
    "FailedOperation.FaceBorderCheckFailed",
    "FailedOperation.FaceExceedBorder",
    "FailedOperation.FaceFusionError",
    "FailedOperation.FuseImageError",
    "InvalidParameterValue.ImageEmpty",
  ]),
  "FailedOperation.ModerationFailed": REJECTED,
  "InvalidParameterValue.NoFaceInPhoto": NO_FACE,
  ...all(BAD_REQUEST, [
    "FailedOperation.FaceRectInvalid", // the face rectangle is a request field
    "FailedOperation.ParameterValueError",
    "InvalidParameterValue.FaceRectParameterValueError",
    "InvalidParameterValue.UrlIllegal",
    "InvalidParameterValue.ParameterValueError",
    "InvalidParameter",
    "MissingParameter",
    "UnknownParameter",
  ]),

  // README silent (§2.5 common codes and §2.6 codes §2.7 does not place): the adapter's choices.
  ...all(
    CONFIG,
    [
      "ActionOffline",
      "NoSuchProduct",
      "UnsupportedOperation",
      "UnsupportedProtocol",
      "DryRunOperation",
      "ResourceNotFound",
      "FailedOperation.ModerationConfigError",
      "FailedOperation.ModerationResultConfigError",
    ],
    "README silent: how facegate calls Tencent or what the account set up",
  ),
  ResourceInUse: { ...TRANSIENT, adapter: "README silent: busy now, free later" },
  "FailedOperation.ModerationResponseError": {
    ...TRANSIENT,
    adapter: "README silent: the moderation service misbehaving",
  },
  ResourceUnavailable: { ...QUOTA, adapter: "README silent: the bare family code of the billing states" },
  "ResourceUnavailable.GetAuthInfoError": {
    ...QUOTA,
    adapter: "README silent: takes the ResourceUnavailable.* family's meaning",
  },
  "FailedOperation.MediaDataError": { ...INVALID_IMAGE, adapter: "README silent: the media sent is bad" },
  ...all(
    BAD_REQUEST,
    ["FailedOperation", "InvalidParameterValue", "InvalidRequest"],
    "README silent: a problem with this request (unknown codes default here too)",
  ),
  ResponseSizeLimitExceeded: {
    ...TOO_LARGE,
    adapter: "README silent: only with base64 results; a smaller input shrinks it",
  },
};

// ─────────────────────────────── ai-gs (§3.2 codes, §3.3 classes) ───────────────────────────────

export const AIGS_EXPECTED: Record<string, Expected & { scope?: "credential" | "vendor" }> = {
  // §3.3 rate limit: 1 request/s per token, so the token is throttled, not ai-gs.
  request_rate_limit: { ...RATE, scope: "credential" },
  // §3.3 permanent, balance or key — of that token.
  used_up: { ...QUOTA, scope: "credential" },
  invalid_api_key: { ...AUTH, scope: "credential" },
  // §3.3 permanent, client bug.
  invalid_post: BAD_REQUEST,
  no_token: {
    ...CONFIG,
    adapter: "README: permanent client bug; a missing token is facegate's configuration, not the input",
  },
  // §3.3 permanent per image.
  invalid_input_image: INVALID_IMAGE,
  no_face_detected: NO_FACE,
  forbidden: REJECTED,
  image_size_limited: TOO_LARGE,
  // §3.3 transient; `false` is "retry once" (the queue's attempts bound it).
  unknown: TRANSIENT,
  false: TRANSIENT,
};
