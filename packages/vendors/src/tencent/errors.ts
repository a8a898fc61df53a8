import {
  AUTH,
  BAD_IMAGE,
  BAD_REQUEST,
  type Classification,
  CONFIG,
  lookup,
  NO_FACE,
  QUOTA,
  RATE_LIMITED,
  REJECTED,
  TOO_LARGE,
  TOO_SMALL,
  TRANSIENT,
  VENDOR_TIMEOUT,
} from "../classification";

/**
 * Tencent `Response.Error.Code` → facegate, from the API 3.0 common codes and FuseFace's code
 * lists, classified as the docs describe. Codes leaves unclassified are placed by what they say, marked "(ours)".
 */
export const TENCENT_ERRORS: Readonly<Record<string, Classification>> = {
  // Rate limit: back off without spending an attempt. Tencent's limit is per account, so scope "vendor".
  RequestLimitExceeded: RATE_LIMITED,
  "RequestLimitExceeded.UinLimitExceeded": RATE_LIMITED,
  "RequestLimitExceeded.GlobalRegionUinLimitExceeded": RATE_LIMITED,
  "RequestLimitExceeded.IPLimitExceeded": RATE_LIMITED,
  "FailedOperation.FuseFreqCtrl": RATE_LIMITED,

  // Transient: retry.
  InternalError: TRANSIENT,
  ServiceUnavailable: TRANSIENT,
  "FailedOperation.InnerError": TRANSIENT,
  "FailedOperation.ServerError": TRANSIENT,
  "FailedOperation.RpcFail": TRANSIENT,
  "FailedOperation.RequestTimeout": VENDOR_TIMEOUT,
  "FailedOperation.Unknown": TRANSIENT,
  "FailedOperation.UnKnowError": TRANSIENT,
  "FailedOperation.FuseInnerError": TRANSIENT,
  "FailedOperation.FuseSavePhotoFail": TRANSIENT,
  ResourceInsufficient: TRANSIENT,
  "ResourceUnavailable.IsOpening": TRANSIENT,
  "ResourceUnavailable.Delivering": TRANSIENT,
  // "Worth one retry, then permanent": transient here; the queue's attempt budget does the counting.
  "FailedOperation.ImageDownloadError": TRANSIENT,
  // Clock skew (> 5 min). The adapter learns Tencent's clock from the answer's Date header, so the
  // queue's retry is signed with a corrected timestamp.
  "AuthFailure.SignatureExpire": TRANSIENT,
  ResourceInUse: TRANSIENT, // (ours)
  "FailedOperation.ModerationResponseError": TRANSIENT, // (ours) the moderation service misbehaving

  // Permanent, credentials: every other AuthFailure.* (also matched as a family below).
  "AuthFailure.InvalidAuthorization": AUTH,
  "AuthFailure.InvalidSecretId": AUTH,
  "AuthFailure.MFAFailure": AUTH,
  "AuthFailure.SecretIdNotFound": AUTH,
  "AuthFailure.SignatureFailure": AUTH,
  "AuthFailure.TokenFailure": AUTH,
  "AuthFailure.UnauthorizedOperation": AUTH,
  UnauthorizedOperation: AUTH,
  IpInBlacklist: AUTH,
  IpNotInWhitelist: AUTH,

  // Permanent, configuration (project, material, API version).
  "InvalidParameterValue.ActivityIdNotFound": CONFIG,
  "InvalidParameterValue.MaterialIdNotFound": CONFIG,
  "FailedOperation.FuseMaterialNotAuth": CONFIG,
  "FailedOperation.FuseMaterialNotExist": CONFIG,
  "FailedOperation.ProjectNotAuth": CONFIG,
  "FailedOperation.TemplateFaceIDNotExist": CONFIG,
  InvalidAction: CONFIG,
  NoSuchVersion: CONFIG,
  UnsupportedRegion: CONFIG,
  // (ours) how facegate calls Tencent, or what the account has set up: not the user's input.
  ActionOffline: CONFIG,
  NoSuchProduct: CONFIG,
  UnsupportedOperation: CONFIG,
  UnsupportedProtocol: CONFIG,
  DryRunOperation: CONFIG,
  ResourceNotFound: CONFIG,
  "FailedOperation.ModerationConfigError": CONFIG,
  "FailedOperation.ModerationResultConfigError": CONFIG,

  // Permanent, billing.
  "FailedOperation.BalanceInsufficient": QUOTA,
  "ResourceUnavailable.InArrears": QUOTA,
  "ResourceUnavailable.LowBalance": QUOTA,
  "ResourceUnavailable.StopUsing": QUOTA,
  "ResourceUnavailable.Freeze": QUOTA,
  "ResourceUnavailable.NotExist": QUOTA,
  "ResourceUnavailable.NotReady": QUOTA,
  "ResourceUnavailable.Recover": QUOTA,
  "ResourceUnavailable.UnknownStatus": QUOTA,
  "ResourcesSoldOut.ChargeStatusException": QUOTA,
  LimitExceeded: QUOTA,
  ResourceUnavailable: QUOTA, // (ours) the bare family code: same account states

  // Permanent, image or input.
  "FailedOperation.ImageDecodeFailed": BAD_IMAGE,
  "FailedOperation.NoFaceDetected": NO_FACE,
  // "Filtered because it was too small": to the user, no usable face was found.
  "FailedOperation.FaceSizeTooSmall": NO_FACE,
  "FailedOperation.ImageResolutionTooSmall": TOO_SMALL,
  "FailedOperation.ImageResolutionExceed": TOO_LARGE,
  "FailedOperation.ImagePixelExceed": TOO_LARGE,
  "FailedOperation.ImageSizeExceed": TOO_LARGE,
  "FailedOperation.ImageSizeInvalid": BAD_IMAGE,
  "FailedOperation.FaceBorderCheckFailed": BAD_IMAGE,
  "FailedOperation.FaceExceedBorder": BAD_IMAGE,
  "FailedOperation.FaceRectInvalid": BAD_REQUEST,
  "FailedOperation.FaceFusionError": BAD_IMAGE,
  "FailedOperation.FuseImageError": BAD_IMAGE,
  "FailedOperation.RequestEntityTooLarge": TOO_LARGE,
  "FailedOperation.ModerationFailed": REJECTED,
  "FailedOperation.ParameterValueError": BAD_REQUEST,
  "FailedOperation.MediaDataError": BAD_IMAGE, // (ours)
  "InvalidParameterValue.FaceRectParameterValueError": BAD_REQUEST,
  "InvalidParameterValue.UrlIllegal": BAD_REQUEST,
  "InvalidParameterValue.ImageEmpty": BAD_IMAGE,
  "InvalidParameterValue.NoFaceInPhoto": NO_FACE,
  "InvalidParameterValue.ParameterValueError": BAD_REQUEST,
  InvalidParameter: BAD_REQUEST,
  InvalidParameterValue: BAD_REQUEST, // (ours)
  MissingParameter: BAD_REQUEST,
  UnknownParameter: BAD_REQUEST,
  InvalidRequest: BAD_REQUEST, // (ours) bad multipart
  RequestSizeLimitExceeded: TOO_LARGE,
  ResponseSizeLimitExceeded: TOO_LARGE, // (ours) only with base64 results; a smaller input shrinks it
};

/**
 * Tencent codes are `Family.Detail`. A detail code missing from the table takes its family's
 * meaning where the family has one meaning (docs/vendors.md, Tencent Cloud: "RequestLimitExceeded and its .* subcodes",
 * "every other AuthFailure.*"); the outage families stay transient.
 */
const FAMILIES: readonly (readonly [string, Classification])[] = [
  ["RequestLimitExceeded.", RATE_LIMITED],
  ["InternalError.", TRANSIENT],
  ["ServiceUnavailable.", TRANSIENT],
  ["AuthFailure.", AUTH],
  ["UnauthorizedOperation.", AUTH],
  ["LimitExceeded.", QUOTA],
  ["ResourceUnavailable.", QUOTA],
  ["ResourcesSoldOut.", QUOTA],
];

/**
 * Anything else (a new `FailedOperation.*`, `InvalidParameter*.*`…) is taken as a problem with this
 * request: input/invalid_request. Retrying an unknown code would bill the same call again; the
 * vendor-outage families above are the ones where waiting helps.
 */
export function classifyTencent(code: string): Classification {
  return (
    lookup(TENCENT_ERRORS, code) ?? FAMILIES.find(([prefix]) => code.startsWith(prefix))?.[1] ?? BAD_REQUEST
  );
}
