import { createHash, createHmac } from "node:crypto";

/**
 * TC3-HMAC-SHA256, step by step as Tencent documents it (docs/vendors.md, Tencent Cloud). The verifier
 * rebuilds the canonical request from what actually arrived (method, Host, Content-Type, body
 * bytes), so a client that signs anything other than what it sends is caught.
 */

export const TC3_ALGORITHM = "TC3-HMAC-SHA256";
export const TC3_TERMINATOR = "tc3_request";

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: string | Buffer, message: string): Buffer {
  return createHmac("sha256", key).update(message, "utf8").digest();
}

/** `YYYY-MM-DD` of a Unix timestamp (seconds), in UTC as the credential scope requires. */
export function utcDate(timestampSeconds: number): string {
  return new Date(timestampSeconds * 1000).toISOString().slice(0, 10);
}

/**
 * `key:value\n` for each signed header in the given order, keys and values lower-cased and
 * trimmed. Returns the first name the request lacks instead, if any.
 */
export function canonicalHeaders(
  signedHeaders: readonly string[],
  lookup: (name: string) => string | undefined,
): { ok: true; text: string } | { ok: false; missing: string } {
  let text = "";
  for (const name of signedHeaders) {
    const value = lookup(name);
    if (value === undefined) return { ok: false, missing: name };
    text += `${name.trim().toLowerCase()}:${value.trim().toLowerCase()}\n`;
  }
  return { ok: true, text };
}

export interface CanonicalRequestParts {
  method: string;
  /** Always "/" for API 3.0. */
  uri: string;
  /** "" for POST. */
  query: string;
  /** Output of canonicalHeaders (ends with "\n"). */
  headers: string;
  /** Sorted, ";"-joined lower-case names. */
  signedHeaders: string;
  payload: string | Buffer;
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
  return [
    parts.method.toUpperCase(),
    parts.uri,
    parts.query,
    parts.headers,
    parts.signedHeaders,
    sha256Hex(parts.payload),
  ].join("\n");
}

export function stringToSign(timestampSeconds: number, service: string, canonical: string): string {
  const scope = `${utcDate(timestampSeconds)}/${service}/${TC3_TERMINATOR}`;
  return `${TC3_ALGORITHM}\n${timestampSeconds}\n${scope}\n${sha256Hex(canonical)}`;
}

/** Derives the signing key from the secret, date and service, then signs. Lowercase hex. */
export function tc3Signature(secretKey: string, date: string, service: string, toSign: string): string {
  const secretDate = hmac(`TC3${secretKey}`, date);
  const secretService = hmac(secretDate, service);
  const secretSigning = hmac(secretService, TC3_TERMINATOR);
  return createHmac("sha256", secretSigning).update(toSign, "utf8").digest("hex");
}

export interface ParsedAuthorization {
  secretId: string;
  date: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

/**
 * `TC3-HMAC-SHA256 Credential=<id>/<date>/<service>/tc3_request, SignedHeaders=a;b, Signature=<hex>`.
 * Spaces after the commas are optional. Null when the header does not have that shape.
 */
export function parseAuthorization(header: string): ParsedAuthorization | null {
  const match =
    /^TC3-HMAC-SHA256\s+Credential=([^/,\s]+)\/([^/,\s]+)\/([^/,\s]+)\/([^/,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)$/.exec(
      header.trim(),
    );
  if (!match) return null;
  const [, secretId, date, service, terminator, signed, signature] = match;
  if (!secretId || !date || !service || !terminator || !signed || !signature) return null;
  return { secretId, date, service, terminator, signedHeaders: signed.split(";"), signature };
}
