import { randomUUID } from "node:crypto";
import type { Meaning } from "../meaning";
import type { SimAnswer } from "../pipeline";

/**
 * Tencent Cloud error codes the simulated FuseFace can answer: the API 3.0 common codes and the
 * union of both FuseFace business-code lists, each with the docs' description as its message and
 * what the docs say it means (see ../meaning.ts). Every error is HTTP 200 with `Response.Error`.
 */
type Entry = readonly [message: string, meaning: Meaning];

const COMMON: Record<string, Entry> = {
  ActionOffline: ["This API has been taken offline.", "configuration"],
  "AuthFailure.InvalidAuthorization": ["The Authorization header is invalid.", "credentials"],
  "AuthFailure.InvalidSecretId": ["Invalid key (not a TencentCloud API key type).", "credentials"],
  "AuthFailure.MFAFailure": ["MFA failed.", "credentials"],
  "AuthFailure.SecretIdNotFound": ["The key does not exist.", "credentials"],
  "AuthFailure.SignatureExpire": [
    "Signature expired. Timestamp and server time cannot differ by more than 5 minutes.",
    "transient",
  ],
  "AuthFailure.SignatureFailure": ["The provided credentials could not be validated.", "credentials"],
  "AuthFailure.TokenFailure": ["Token error.", "credentials"],
  "AuthFailure.UnauthorizedOperation": ["The request is not authorized.", "credentials"],
  DryRunOperation: ["DryRun operation: the request would have succeeded.", "configuration"],
  FailedOperation: ["Operation failed.", "bad_request"],
  InternalError: ["Internal error.", "transient"],
  InvalidAction: ["The API does not exist.", "configuration"],
  InvalidParameter: ["Incorrect parameter.", "bad_request"],
  InvalidParameterValue: ["Invalid parameter value.", "bad_request"],
  InvalidRequest: ["The request body could not be parsed.", "bad_request"],
  IpInBlacklist: ["Your IP is in the blocklist.", "credentials"],
  IpNotInWhitelist: ["Your IP is not in the allowlist.", "credentials"],
  LimitExceeded: ["Quota limit exceeded.", "billing"],
  MissingParameter: ["A required parameter is missing.", "bad_request"],
  NoSuchProduct: ["The product does not exist.", "configuration"],
  NoSuchVersion: ["The API version does not exist.", "configuration"],
  RequestLimitExceeded: ["The number of requests exceeded the rate limit.", "rate_limit"],
  "RequestLimitExceeded.UinLimitExceeded": ["The account's request rate limit was exceeded.", "rate_limit"],
  "RequestLimitExceeded.GlobalRegionUinLimitExceeded": [
    "The account's global request rate limit was exceeded.",
    "rate_limit",
  ],
  "RequestLimitExceeded.IPLimitExceeded": ["The IP's request rate limit was exceeded.", "rate_limit"],
  RequestSizeLimitExceeded: ["The request size exceeds the limit.", "image_too_large"],
  ResponseSizeLimitExceeded: ["The response size exceeds the limit.", "image_too_large"],
  ResourceInUse: ["The resource is in use.", "transient"],
  ResourceInsufficient: ["Resources are insufficient.", "transient"],
  ResourceNotFound: ["The resource does not exist.", "configuration"],
  ResourceUnavailable: ["The resource is unavailable.", "billing"],
  ServiceUnavailable: ["The service is temporarily unavailable.", "transient"],
  UnauthorizedOperation: ["Unauthorized operation.", "credentials"],
  UnknownParameter: ["Unknown parameter.", "bad_request"],
  UnsupportedOperation: ["Unsupported operation.", "configuration"],
  UnsupportedProtocol: ["HTTP(S) request protocol error; only GET and POST are supported.", "configuration"],
  UnsupportedRegion: ["The API does not support the requested region.", "configuration"],
};

const FUSE_FACE: Record<string, Entry> = {
  "FailedOperation.BalanceInsufficient": [
    "Insufficient balance, failed to open, please recharge and open again.",
    "billing",
  ],
  "FailedOperation.FaceSizeTooSmall": [
    "The face was filtered because it was too small (at least 34x34 pixels).",
    "no_face",
  ],
  "FailedOperation.FuseMaterialNotAuth": ["The material has not been reviewed.", "configuration"],
  "FailedOperation.FuseMaterialNotExist": ["The material does not exist.", "configuration"],
  "FailedOperation.ImageDecodeFailed": ["Image decoding failed.", "bad_image"],
  "FailedOperation.ImageDownloadError": ["Image download failed.", "transient"],
  "FailedOperation.ImagePixelExceed": ["The material is larger than 1080x1080.", "image_too_large"],
  "FailedOperation.ImageResolutionTooSmall": [
    "The short edge resolution of the image is lower than 64 pixels.",
    "image_too_small",
  ],
  "FailedOperation.ImageSizeExceed": ["The image after Base64 encoding exceeds in size.", "image_too_large"],
  "FailedOperation.ImageSizeInvalid": [
    "The image size is too large or too small and does not meet algorithm requirements.",
    "bad_image",
  ],
  "FailedOperation.InnerError": ["Internal service error.", "transient"],
  "FailedOperation.MediaDataError": ["Media data error.", "bad_image"],
  "FailedOperation.ModerationConfigError": ["Moderation configuration error.", "configuration"],
  "FailedOperation.ModerationFailed": ["Moderation failed.", "content"],
  "FailedOperation.ModerationResponseError": ["Moderation response error.", "transient"],
  "FailedOperation.ModerationResultConfigError": ["Moderation result configuration error.", "configuration"],
  "FailedOperation.NoFaceDetected": [
    "The face cannot be detected because the face box is too small.",
    "no_face",
  ],
  "FailedOperation.ParameterValueError": ["Parameter or value is invalid.", "bad_request"],
  "FailedOperation.RequestTimeout": ["The backend service timed out.", "vendor_timeout"],
  "FailedOperation.RpcFail": [
    "RPC request failed, typically due to algorithm service malfunction.",
    "transient",
  ],
  "FailedOperation.ServerError": ["Server error.", "transient"],
  "FailedOperation.TemplateFaceIDNotExist": ["The material face ID does not exist.", "configuration"],
  "FailedOperation.UnKnowError": ["Internal error.", "transient"],
  "FailedOperation.Unknown": ["Unknown error.", "transient"],
  "InvalidParameterValue.ActivityIdNotFound": ["Activity ID is not found.", "configuration"],
  "InvalidParameterValue.FaceRectParameterValueError": [
    "Face box parameters are invalid, or the face box is too small.",
    "bad_request",
  ],
  "InvalidParameterValue.MaterialIdNotFound": ["No material ID is found.", "configuration"],
  "InvalidParameterValue.ParameterValueError": ["Parameter value error.", "bad_request"],
  "InvalidParameterValue.UrlIllegal": ["The URL format is invalid.", "bad_request"],
  "ResourceUnavailable.Freeze": ["The account has been frozen.", "billing"],
  "ResourceUnavailable.InArrears": ["The account is in arrears.", "billing"],
  "ResourceUnavailable.IsOpening": ["The service is being opened, please wait.", "transient"],
  "ResourceUnavailable.NotExist": [
    "The billing status is unknown. Check whether the service has been activated.",
    "billing",
  ],
  "ResourceUnavailable.Recover": ["The resource has been possessed.", "billing"],
  "ResourceUnavailable.StopUsing": ["Services for the account has been stopped.", "billing"],
  "FailedOperation.FaceBorderCheckFailed": ["Face border check failed.", "bad_image"],
  "FailedOperation.FaceExceedBorder": ["The face exceeds the image border.", "bad_image"],
  "FailedOperation.FaceFusionError": ["Face fusion failed; change the image and retry.", "bad_image"],
  "FailedOperation.FaceRectInvalid": ["The face rectangle is invalid.", "bad_request"],
  "FailedOperation.FuseFreqCtrl": ["Operations are too frequent; rate control triggered.", "rate_limit"],
  "FailedOperation.FuseImageError": ["Fusion image error.", "bad_image"],
  "FailedOperation.FuseInnerError": ["Internal service error, please retry.", "transient"],
  "FailedOperation.FuseSavePhotoFail": ["Saving the fused photo failed.", "transient"],
  "FailedOperation.ImageResolutionExceed": [
    "The image resolution is too large; resize to 3000x3000 or below.",
    "image_too_large",
  ],
  "FailedOperation.ProjectNotAuth": ["The activity is not authorized.", "configuration"],
  "FailedOperation.RequestEntityTooLarge": ["The request entity is too large.", "image_too_large"],
  "InvalidParameterValue.ImageEmpty": ["The image is empty.", "bad_image"],
  "InvalidParameterValue.NoFaceInPhoto": ["No face in the photo.", "no_face"],
  "ResourceUnavailable.Delivering": ["The resource is being delivered.", "transient"],
  "ResourceUnavailable.GetAuthInfoError": ["Getting the authorization information failed.", "billing"],
  "ResourceUnavailable.LowBalance": ["The balance is low.", "billing"],
  "ResourceUnavailable.NotReady": ["The resource is not ready.", "billing"],
  "ResourceUnavailable.UnknownStatus": ["The resource status is unknown.", "billing"],
  "ResourcesSoldOut.ChargeStatusException": ["Charge status exception.", "billing"],
};

const CODES: Readonly<Record<string, Entry>> = { ...COMMON, ...FUSE_FACE };

export const TENCENT_MESSAGES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(CODES).map(([code, [message]]) => [code, message]),
);
export const TENCENT_MEANING: ReadonlyMap<string, Meaning> = new Map(
  Object.entries(CODES).map(([code, [, meaning]]) => [code, meaning] as const),
);
export const TENCENT_CODES: readonly string[] = Object.keys(TENCENT_MESSAGES);

/** What the fault injector answers for a "transient" failure: codes a retry may cure. */
export const TENCENT_TRANSIENT_CODES = [
  "InternalError",
  "FailedOperation.InnerError",
  "FailedOperation.RpcFail",
  "FailedOperation.ServerError",
  "FailedOperation.RequestTimeout",
] as const;

export function checkTencentCode(code: string): void {
  if (!Object.hasOwn(TENCENT_MESSAGES, code)) throw new Error(`unknown Tencent error code: ${code}`);
}

/** HTTP 200 with `Response.Error`, as both official SDKs expect. */
export function tencentError(code: string, message?: string): SimAnswer {
  const body = {
    Response: {
      Error: { Code: code, Message: message ?? TENCENT_MESSAGES[code] ?? "Operation failed." },
      RequestId: randomUUID(),
    },
  };
  return { status: 200, body, code };
}

export function tencentSuccess(fusedImage: string): SimAnswer {
  return { status: 200, body: { Response: { FusedImage: fusedImage, RequestId: randomUUID() } }, code: null };
}

export const TENCENT_SUCCESS_PREFIX = JSON.stringify({
  Response: { FusedImage: "https://", RequestId: randomUUID() },
});
