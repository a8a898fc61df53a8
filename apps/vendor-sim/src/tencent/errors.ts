import { randomUUID } from "node:crypto";
import type { SimAnswer } from "../pipeline";

/**
 * Tencent Cloud error codes the simulated FuseFace can answer: the API 3.0 common codes
 * (README §2.5) and the union of both FuseFace business-code lists (§2.6), with the docs'
 * descriptions as messages. Every error is HTTP 200 with `Response.Error`.
 */

const COMMON: Record<string, string> = {
  ActionOffline: "This API has been taken offline.",
  "AuthFailure.InvalidAuthorization": "The Authorization header is invalid.",
  "AuthFailure.InvalidSecretId": "Invalid key (not a TencentCloud API key type).",
  "AuthFailure.MFAFailure": "MFA failed.",
  "AuthFailure.SecretIdNotFound": "The key does not exist.",
  "AuthFailure.SignatureExpire":
    "Signature expired. Timestamp and server time cannot differ by more than 5 minutes.",
  "AuthFailure.SignatureFailure": "The provided credentials could not be validated.",
  "AuthFailure.TokenFailure": "Token error.",
  "AuthFailure.UnauthorizedOperation": "The request is not authorized.",
  DryRunOperation: "DryRun operation: the request would have succeeded.",
  FailedOperation: "Operation failed.",
  InternalError: "Internal error.",
  InvalidAction: "The API does not exist.",
  InvalidParameter: "Incorrect parameter.",
  InvalidParameterValue: "Invalid parameter value.",
  InvalidRequest: "The request body could not be parsed.",
  IpInBlacklist: "Your IP is in the blocklist.",
  IpNotInWhitelist: "Your IP is not in the allowlist.",
  LimitExceeded: "Quota limit exceeded.",
  MissingParameter: "A required parameter is missing.",
  NoSuchProduct: "The product does not exist.",
  NoSuchVersion: "The API version does not exist.",
  RequestLimitExceeded: "The number of requests exceeded the rate limit.",
  "RequestLimitExceeded.UinLimitExceeded": "The account's request rate limit was exceeded.",
  "RequestLimitExceeded.GlobalRegionUinLimitExceeded":
    "The account's global request rate limit was exceeded.",
  "RequestLimitExceeded.IPLimitExceeded": "The IP's request rate limit was exceeded.",
  RequestSizeLimitExceeded: "The request size exceeds the limit.",
  ResponseSizeLimitExceeded: "The response size exceeds the limit.",
  ResourceInUse: "The resource is in use.",
  ResourceInsufficient: "Resources are insufficient.",
  ResourceNotFound: "The resource does not exist.",
  ResourceUnavailable: "The resource is unavailable.",
  ServiceUnavailable: "The service is temporarily unavailable.",
  UnauthorizedOperation: "Unauthorized operation.",
  UnknownParameter: "Unknown parameter.",
  UnsupportedOperation: "Unsupported operation.",
  UnsupportedProtocol: "HTTP(S) request protocol error; only GET and POST are supported.",
  UnsupportedRegion: "The API does not support the requested region.",
};

const FUSE_FACE: Record<string, string> = {
  "FailedOperation.BalanceInsufficient":
    "Insufficient balance, failed to open, please recharge and open again.",
  "FailedOperation.FaceSizeTooSmall":
    "The face was filtered because it was too small (at least 34x34 pixels).",
  "FailedOperation.FuseMaterialNotAuth": "The material has not been reviewed.",
  "FailedOperation.FuseMaterialNotExist": "The material does not exist.",
  "FailedOperation.ImageDecodeFailed": "Image decoding failed.",
  "FailedOperation.ImageDownloadError": "Image download failed.",
  "FailedOperation.ImagePixelExceed": "The material is larger than 1080x1080.",
  "FailedOperation.ImageResolutionTooSmall":
    "The short edge resolution of the image is lower than 64 pixels.",
  "FailedOperation.ImageSizeExceed": "The image after Base64 encoding exceeds in size.",
  "FailedOperation.ImageSizeInvalid":
    "The image size is too large or too small and does not meet algorithm requirements.",
  "FailedOperation.InnerError": "Internal service error.",
  "FailedOperation.MediaDataError": "Media data error.",
  "FailedOperation.ModerationConfigError": "Moderation configuration error.",
  "FailedOperation.ModerationFailed": "Moderation failed.",
  "FailedOperation.ModerationResponseError": "Moderation response error.",
  "FailedOperation.ModerationResultConfigError": "Moderation result configuration error.",
  "FailedOperation.NoFaceDetected": "The face cannot be detected because the face box is too small.",
  "FailedOperation.ParameterValueError": "Parameter or value is invalid.",
  "FailedOperation.RequestTimeout": "The backend service timed out.",
  "FailedOperation.RpcFail": "RPC request failed, typically due to algorithm service malfunction.",
  "FailedOperation.ServerError": "Server error.",
  "FailedOperation.TemplateFaceIDNotExist": "The material face ID does not exist.",
  "FailedOperation.UnKnowError": "Internal error.",
  "FailedOperation.Unknown": "Unknown error.",
  "InvalidParameterValue.ActivityIdNotFound": "Activity ID is not found.",
  "InvalidParameterValue.FaceRectParameterValueError":
    "Face box parameters are invalid, or the face box is too small.",
  "InvalidParameterValue.MaterialIdNotFound": "No material ID is found.",
  "InvalidParameterValue.ParameterValueError": "Parameter value error.",
  "InvalidParameterValue.UrlIllegal": "The URL format is invalid.",
  "ResourceUnavailable.Freeze": "The account has been frozen.",
  "ResourceUnavailable.InArrears": "The account is in arrears.",
  "ResourceUnavailable.IsOpening": "The service is being opened, please wait.",
  "ResourceUnavailable.NotExist":
    "The billing status is unknown. Check whether the service has been activated.",
  "ResourceUnavailable.Recover": "The resource has been possessed.",
  "ResourceUnavailable.StopUsing": "Services for the account has been stopped.",
  // The older per-action list (Go SDK c07d71b), accepted as well.
  "FailedOperation.FaceBorderCheckFailed": "Face border check failed.",
  "FailedOperation.FaceExceedBorder": "The face exceeds the image border.",
  "FailedOperation.FaceFusionError": "Face fusion failed; change the image and retry.",
  "FailedOperation.FaceRectInvalid": "The face rectangle is invalid.",
  "FailedOperation.FuseFreqCtrl": "Operations are too frequent; rate control triggered.",
  "FailedOperation.FuseImageError": "Fusion image error.",
  "FailedOperation.FuseInnerError": "Internal service error, please retry.",
  "FailedOperation.FuseSavePhotoFail": "Saving the fused photo failed.",
  "FailedOperation.ImageResolutionExceed": "The image resolution is too large; resize to 3000x3000 or below.",
  "FailedOperation.ProjectNotAuth": "The activity is not authorized.",
  "FailedOperation.RequestEntityTooLarge": "The request entity is too large.",
  "InvalidParameterValue.ImageEmpty": "The image is empty.",
  "InvalidParameterValue.NoFaceInPhoto": "No face in the photo.",
  "ResourceUnavailable.Delivering": "The resource is being delivered.",
  "ResourceUnavailable.GetAuthInfoError": "Getting the authorization information failed.",
  "ResourceUnavailable.LowBalance": "The balance is low.",
  "ResourceUnavailable.NotReady": "The resource is not ready.",
  "ResourceUnavailable.UnknownStatus": "The resource status is unknown.",
  "ResourcesSoldOut.ChargeStatusException": "Charge status exception.",
};

export const TENCENT_MESSAGES: Readonly<Record<string, string>> = { ...COMMON, ...FUSE_FACE };
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

/** HTTP 200 with `Response.Error`, as both official SDKs expect (README §2.4). */
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
