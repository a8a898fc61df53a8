import { createHash, createHmac } from "node:crypto";

/**
 * TC3-HMAC-SHA256, to the letter of (Tencent Cloud API 3.0 signature v3).
 * Pure: same inputs, same headers. The signed headers are `content-type;host`, as the official SDKs
 * sign them; the values signed are exactly the values sent, so the caller must send these headers
 * unchanged (Host included: with a non-default port it is `host:port`).
 */
export interface Tc3SignInput {
  secretId: string;
  secretKey: string;
  /** Product, e.g. `facefusion`; also the credential scope. */
  service: string;
  /** The Host header to send, e.g. `facefusion.tencentcloudapi.com`. */
  host: string;
  /** Unix time in seconds; must be within 5 minutes of Tencent's clock. */
  timestamp: number;
  /** Exactly as sent, charset included. */
  contentType: string;
  /** The request body, byte for byte. */
  payload: string | Buffer;
  action: string;
  version: string;
  region: string;
  /** Session token of temporary credentials, sent as X-TC-Token. */
  token?: string | undefined;
}

export interface Tc3Signature {
  /** Every header the request needs besides the body's own framing. */
  headers: Record<string, string>;
  /** Intermediate values, exposed so tests can check each step against the official worked example. */
  date: string;
  hashedPayload: string;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

const ALGORITHM = "TC3-HMAC-SHA256";

export function tc3Sign(input: Tc3SignInput): Tc3Signature {
  const date = utcDate(input.timestamp);

  // 1. CanonicalRequest: POST, URI "/", empty query for POST, headers lower-cased/trimmed and sorted.
  const headers: [string, string][] = [
    ["content-type", input.contentType],
    ["host", input.host],
  ];
  const canonical = headers
    .map(([key, value]) => [key.trim().toLowerCase(), value.trim().toLowerCase()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const canonicalHeaders = canonical.map(([key, value]) => `${key}:${value}\n`).join("");
  const signedHeaders = canonical.map(([key]) => key).join(";");
  const hashedPayload = sha256Hex(input.payload);
  const canonicalRequest = ["POST", "/", "", canonicalHeaders, signedHeaders, hashedPayload].join("\n");

  // 2. StringToSign, scoped to the UTC date of the timestamp and the service.
  const scope = `${date}/${input.service}/tc3_request`;
  const stringToSign = [ALGORITHM, String(input.timestamp), scope, sha256Hex(canonicalRequest)].join("\n");

  // 3. Key derivation, then the signature.
  const secretDate = hmac(`TC3${input.secretKey}`, date);
  const secretService = hmac(secretDate, input.service);
  const secretSigning = hmac(secretService, "tc3_request");
  const signature = hmac(secretSigning, stringToSign).toString("hex");

  // 4. Authorization.
  const authorization = `${ALGORITHM} Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;

  const out: Record<string, string> = {
    Authorization: authorization,
    "Content-Type": input.contentType,
    Host: input.host,
    "X-TC-Action": input.action,
    "X-TC-Timestamp": String(input.timestamp),
    "X-TC-Version": input.version,
    "X-TC-Region": input.region,
  };
  if (input.token) out["X-TC-Token"] = input.token;
  return { headers: out, date, hashedPayload, canonicalRequest, stringToSign, signature };
}

/** `YYYY-MM-DD` of a Unix timestamp in UTC (never local time: the scope must match Tencent's). */
export function utcDate(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, message: string): Buffer {
  return createHmac("sha256", key).update(message, "utf8").digest();
}
