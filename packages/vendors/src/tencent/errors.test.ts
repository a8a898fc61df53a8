import { describe, expect, it } from "vitest";
import { classifyTencent, TENCENT_ERRORS } from "./errors";

/** Expectations from vendors/README.md §2.7, written here independently of errors.ts. */
type Expected = [code: string, kind: string, normalised: string];

const CLASSIFIED: Expected[] = [
  // Rate limit
  ["RequestLimitExceeded", "rate_limited", "vendor_rate_limited"],
  ["RequestLimitExceeded.UinLimitExceeded", "rate_limited", "vendor_rate_limited"],
  ["RequestLimitExceeded.GlobalRegionUinLimitExceeded", "rate_limited", "vendor_rate_limited"],
  ["RequestLimitExceeded.IPLimitExceeded", "rate_limited", "vendor_rate_limited"],
  ["FailedOperation.FuseFreqCtrl", "rate_limited", "vendor_rate_limited"],
  // Transient
  ["InternalError", "transient", "vendor_unavailable"],
  ["ServiceUnavailable", "transient", "vendor_unavailable"],
  ["FailedOperation.InnerError", "transient", "vendor_unavailable"],
  ["FailedOperation.ServerError", "transient", "vendor_unavailable"],
  ["FailedOperation.RpcFail", "transient", "vendor_unavailable"],
  ["FailedOperation.RequestTimeout", "transient", "timeout"],
  ["FailedOperation.Unknown", "transient", "vendor_unavailable"],
  ["FailedOperation.UnKnowError", "transient", "vendor_unavailable"],
  ["FailedOperation.FuseInnerError", "transient", "vendor_unavailable"],
  ["FailedOperation.FuseSavePhotoFail", "transient", "vendor_unavailable"],
  ["ResourceInsufficient", "transient", "vendor_unavailable"],
  ["ResourceUnavailable.IsOpening", "transient", "vendor_unavailable"],
  ["ResourceUnavailable.Delivering", "transient", "vendor_unavailable"],
  ["FailedOperation.ImageDownloadError", "transient", "vendor_unavailable"],
  // Clock skew: re-sign and retry
  ["AuthFailure.SignatureExpire", "transient", "vendor_unavailable"],
  // Permanent, credentials
  ["AuthFailure.InvalidAuthorization", "auth", "vendor_auth_failed"],
  ["AuthFailure.InvalidSecretId", "auth", "vendor_auth_failed"],
  ["AuthFailure.MFAFailure", "auth", "vendor_auth_failed"],
  ["AuthFailure.SecretIdNotFound", "auth", "vendor_auth_failed"],
  ["AuthFailure.SignatureFailure", "auth", "vendor_auth_failed"],
  ["AuthFailure.TokenFailure", "auth", "vendor_auth_failed"],
  ["AuthFailure.UnauthorizedOperation", "auth", "vendor_auth_failed"],
  ["UnauthorizedOperation", "auth", "vendor_auth_failed"],
  ["IpInBlacklist", "auth", "vendor_auth_failed"],
  ["IpNotInWhitelist", "auth", "vendor_auth_failed"],
  // Permanent, configuration
  ["InvalidParameterValue.ActivityIdNotFound", "config", "vendor_config_error"],
  ["InvalidParameterValue.MaterialIdNotFound", "config", "vendor_config_error"],
  ["FailedOperation.FuseMaterialNotAuth", "config", "vendor_config_error"],
  ["FailedOperation.FuseMaterialNotExist", "config", "vendor_config_error"],
  ["FailedOperation.ProjectNotAuth", "config", "vendor_config_error"],
  ["FailedOperation.TemplateFaceIDNotExist", "config", "vendor_config_error"],
  ["InvalidAction", "config", "vendor_config_error"],
  ["NoSuchVersion", "config", "vendor_config_error"],
  ["UnsupportedRegion", "config", "vendor_config_error"],
  // Permanent, billing
  ["FailedOperation.BalanceInsufficient", "quota", "vendor_quota_exhausted"],
  ["ResourceUnavailable.InArrears", "quota", "vendor_quota_exhausted"],
  ["ResourceUnavailable.LowBalance", "quota", "vendor_quota_exhausted"],
  ["ResourceUnavailable.StopUsing", "quota", "vendor_quota_exhausted"],
  ["ResourceUnavailable.Freeze", "quota", "vendor_quota_exhausted"],
  ["ResourceUnavailable.NotExist", "quota", "vendor_quota_exhausted"],
  ["ResourceUnavailable.NotReady", "quota", "vendor_quota_exhausted"],
  ["ResourceUnavailable.Recover", "quota", "vendor_quota_exhausted"],
  ["ResourceUnavailable.UnknownStatus", "quota", "vendor_quota_exhausted"],
  ["ResourcesSoldOut.ChargeStatusException", "quota", "vendor_quota_exhausted"],
  ["LimitExceeded", "quota", "vendor_quota_exhausted"],
  // Permanent, image or input
  ["FailedOperation.ImageDecodeFailed", "input", "invalid_image"],
  ["FailedOperation.NoFaceDetected", "input", "no_face_detected"],
  ["FailedOperation.FaceSizeTooSmall", "input", "no_face_detected"],
  ["FailedOperation.ImageResolutionTooSmall", "input", "image_too_small"],
  ["FailedOperation.ImageResolutionExceed", "input", "image_too_large"],
  ["FailedOperation.ImagePixelExceed", "input", "image_too_large"],
  ["FailedOperation.ImageSizeExceed", "input", "image_too_large"],
  ["FailedOperation.ImageSizeInvalid", "input", "invalid_image"],
  ["FailedOperation.FaceBorderCheckFailed", "input", "invalid_image"],
  ["FailedOperation.FaceExceedBorder", "input", "invalid_image"],
  ["FailedOperation.FaceRectInvalid", "input", "invalid_request"],
  ["FailedOperation.FaceFusionError", "input", "invalid_image"],
  ["FailedOperation.FuseImageError", "input", "invalid_image"],
  ["FailedOperation.RequestEntityTooLarge", "input", "image_too_large"],
  ["FailedOperation.ModerationFailed", "input", "content_rejected"],
  ["FailedOperation.ParameterValueError", "input", "invalid_request"],
  ["InvalidParameterValue.FaceRectParameterValueError", "input", "invalid_request"],
  ["InvalidParameterValue.UrlIllegal", "input", "invalid_request"],
  ["InvalidParameterValue.ImageEmpty", "input", "invalid_image"],
  ["InvalidParameterValue.NoFaceInPhoto", "input", "no_face_detected"],
  ["InvalidParameterValue.ParameterValueError", "input", "invalid_request"],
  ["InvalidParameter", "input", "invalid_request"],
  ["MissingParameter", "input", "invalid_request"],
  ["UnknownParameter", "input", "invalid_request"],
  ["RequestSizeLimitExceeded", "input", "image_too_large"],
];

/** Codes §2.5/§2.6 list but §2.7 does not classify: our placement, pinned so a change is deliberate. */
const OURS: [code: string, kind: string][] = [
  ["ActionOffline", "config"],
  ["DryRunOperation", "config"],
  ["NoSuchProduct", "config"],
  ["UnsupportedOperation", "config"],
  ["UnsupportedProtocol", "config"],
  ["ResourceNotFound", "config"],
  ["FailedOperation.ModerationConfigError", "config"],
  ["FailedOperation.ModerationResultConfigError", "config"],
  ["FailedOperation.ModerationResponseError", "transient"],
  ["ResourceInUse", "transient"],
  ["ResourceUnavailable", "quota"],
  ["InvalidParameterValue", "input"],
  ["InvalidRequest", "input"],
  ["FailedOperation.MediaDataError", "input"],
  ["ResponseSizeLimitExceeded", "input"],
  ["FailedOperation", "input"],
];

describe("Tencent error table", () => {
  it.each(CLASSIFIED)("%s → %s / %s (README §2.7)", (code, kind, normalised) => {
    expect(classifyTencent(code)).toEqual({ kind, code: normalised });
  });

  it.each(OURS)("%s → %s", (code, kind) => {
    expect(classifyTencent(code).kind).toBe(kind);
  });

  it("lists every code of §2.7 explicitly (no documented code relies on a fallback)", () => {
    for (const [code] of CLASSIFIED) expect(Object.hasOwn(TENCENT_ERRORS, code), code).toBe(true);
  });

  it("gives unknown sub-codes their family's meaning, and input otherwise", () => {
    expect(classifyTencent("RequestLimitExceeded.SomethingNew").kind).toBe("rate_limited");
    expect(classifyTencent("AuthFailure.SomethingNew").kind).toBe("auth");
    expect(classifyTencent("InternalError.DbError")).toEqual({
      kind: "transient",
      code: "vendor_unavailable",
    });
    expect(classifyTencent("ResourceUnavailable.SomethingNew").kind).toBe("quota");
    expect(classifyTencent("FailedOperation.SomethingNew")).toEqual({
      kind: "input",
      code: "invalid_request",
    });
    expect(classifyTencent("hasOwnProperty")).toEqual({ kind: "input", code: "invalid_request" });
  });
});
