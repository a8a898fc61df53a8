import { timingSafeEqual } from "node:crypto";
import type { Request } from "express";
import type { SimAnswer } from "../pipeline";
import { tencentError } from "./errors";
import {
  canonicalHeaders,
  canonicalRequest,
  parseAuthorization,
  stringToSign,
  TC3_TERMINATOR,
  tc3Signature,
  utcDate,
} from "./tc3";

/**
 * Tencent API 3.0 admission for FuseFace: the common parameters (headers) first, then the
 * TC3-HMAC-SHA256 signature rebuilt from the request as received.
 */

export const FUSE_FACE_ACTION = "FuseFace";
export const FUSE_FACE_VERSION = "2022-09-27";
export const FUSE_FACE_SERVICE = "facefusion";
/** "The timestamp must be within 5 minutes of server time" (docs/vendors.md, Tencent Cloud). */
const MAX_SKEW_SECONDS = 300;

export interface TencentAuthSettings {
  /** SecretId → SecretKey. */
  secrets: ReadonlyMap<string, string>;
  regions: ReadonlySet<string>;
  now: () => number;
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  if (Array.isArray(value)) return value.join(",");
  return value;
}

/** The SecretId named in the Authorization header, if it parses (for rate windows and labels). */
export function presentedSecretId(req: Request): string | undefined {
  const authorization = header(req, "authorization");
  return authorization ? parseAuthorization(authorization)?.secretId : undefined;
}

export function admitTencent(req: Request, body: Buffer, settings: TencentAuthSettings): SimAnswer | null {
  const missing = (name: string) =>
    tencentError("MissingParameter", `The request is missing a required parameter \`${name}\`.`);

  const action = header(req, "x-tc-action")?.trim();
  if (!action) return missing("Action");
  if (action !== FUSE_FACE_ACTION)
    return tencentError("InvalidAction", `The action \`${action}\` is not supported.`);
  const version = header(req, "x-tc-version")?.trim();
  if (!version) return missing("Version");
  if (version !== FUSE_FACE_VERSION) {
    return tencentError(
      "NoSuchVersion",
      `The version \`${version}\` of the action \`${action}\` does not exist.`,
    );
  }
  const region = header(req, "x-tc-region")?.trim();
  if (!region) return missing("Region");
  if (!settings.regions.has(region)) {
    return tencentError("UnsupportedRegion", `The region \`${region}\` is not supported by facefusion.`);
  }

  const authorization = header(req, "authorization");
  // An unsigned request is a credentials problem, so it gets an AuthFailure code, not MissingParameter.
  if (!authorization)
    return tencentError("AuthFailure.InvalidAuthorization", "The Authorization header is missing.");
  const auth = parseAuthorization(authorization);
  if (!auth || auth.terminator !== TC3_TERMINATOR) {
    return tencentError(
      "AuthFailure.InvalidAuthorization",
      "The Authorization header does not follow TC3-HMAC-SHA256.",
    );
  }
  const timestampText = header(req, "x-tc-timestamp")?.trim();
  if (!timestampText) return missing("Timestamp");
  if (!/^\d{1,12}$/.test(timestampText)) {
    return tencentError("InvalidParameter", "X-TC-Timestamp must be a Unix timestamp in seconds.");
  }
  const timestamp = Number(timestampText);
  const serverSeconds = Math.floor(settings.now() / 1000);
  if (Math.abs(serverSeconds - timestamp) > MAX_SKEW_SECONDS) {
    return tencentError(
      "AuthFailure.SignatureExpire",
      `Signature expired. Timestamp ${timestamp} and server time ${serverSeconds} differ by more than 5 minutes.`,
    );
  }
  const secretKey = settings.secrets.get(auth.secretId);
  if (secretKey === undefined) return tencentError("AuthFailure.SecretIdNotFound");
  // The simulator issues no temporary credentials, so any session token is one it cannot know.
  if (header(req, "x-tc-token"))
    return tencentError("AuthFailure.TokenFailure", "The X-TC-Token is invalid.");

  const signed = auth.signedHeaders;
  const sortedUnique = signed.every(
    (name, i) => name === name.toLowerCase() && (i === 0 || (signed[i - 1] ?? "") < name),
  );
  if (!sortedUnique || !signed.includes("content-type") || !signed.includes("host")) {
    return tencentError(
      "AuthFailure.InvalidAuthorization",
      "SignedHeaders must be sorted lower-case names and include content-type and host.",
    );
  }
  if (auth.date !== utcDate(timestamp) || auth.service !== FUSE_FACE_SERVICE) {
    return tencentError(
      "AuthFailure.SignatureFailure",
      `The credential scope must be ${utcDate(timestamp)}/${FUSE_FACE_SERVICE}/${TC3_TERMINATOR}.`,
    );
  }
  const headers = canonicalHeaders(signed, (name) => header(req, name));
  if (!headers.ok) {
    return tencentError(
      "AuthFailure.SignatureFailure",
      `The signed header \`${headers.missing}\` was not sent.`,
    );
  }
  const canonical = canonicalRequest({
    method: req.method,
    uri: "/",
    query: "",
    headers: headers.text,
    signedHeaders: signed.join(";"),
    payload: body,
  });
  const expected = tc3Signature(
    secretKey,
    auth.date,
    FUSE_FACE_SERVICE,
    stringToSign(timestamp, FUSE_FACE_SERVICE, canonical),
  );
  const given = Buffer.from(auth.signature.toLowerCase());
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
    return tencentError("AuthFailure.SignatureFailure");
  }
  return null;
}
