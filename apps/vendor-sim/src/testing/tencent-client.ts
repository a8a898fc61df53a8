import { createHash, createHmac } from "node:crypto";

/**
 * A test-side Tencent API 3.0 client with its own TC3-HMAC-SHA256 signer, written again from the
 * README's steps rather than reusing src/tencent/tc3.ts, so the tests check the verifier against
 * an independent reading of the algorithm. Knobs let tests break exactly one thing at a time.
 */

export interface SignInput {
  secretId: string;
  secretKey: string;
  /** Unix seconds. */
  timestamp: number;
  host: string;
  contentType: string;
  body: string;
  service?: string;
  /** Extra signed headers (lower-case name → value), e.g. x-tc-action. */
  extraSigned?: Record<string, string>;
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");
const hmac = (key: Buffer | string, text: string) => createHmac("sha256", key).update(text, "utf8").digest();

export function signTc3(input: SignInput): string {
  const service = input.service ?? "facefusion";
  const date = new Date(input.timestamp * 1000).toISOString().slice(0, 10);
  const headers: Record<string, string> = {
    "content-type": input.contentType,
    host: input.host,
    ...input.extraSigned,
  };
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${(headers[n] ?? "").trim().toLowerCase()}\n`).join("");
  const signedHeaders = names.join(";");
  const canonicalRequest = `POST\n/\n\n${canonicalHeaders}\n${signedHeaders}\n${sha256(input.body)}`;
  const scope = `${date}/${service}/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${input.timestamp}\n${scope}\n${sha256(canonicalRequest)}`;
  const kDate = hmac(`TC3${input.secretKey}`, date);
  const kService = hmac(kDate, service);
  const kSigning = hmac(kService, "tc3_request");
  const signature = createHmac("sha256", kSigning).update(stringToSign, "utf8").digest("hex");
  return `TC3-HMAC-SHA256 Credential=${input.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

export interface TencentCallOptions {
  endpoint: string;
  secretId: string;
  secretKey: string;
  body: unknown;
  /** Unix seconds used in the header and the signature. @defaultValue now */
  timestamp?: number;
  action?: string;
  version?: string;
  region?: string;
  contentType?: string;
  /** Sign this body instead of the one sent (a tampered request). */
  signedBody?: string;
  /** Sign this host instead of the one sent. */
  signedHost?: string;
  service?: string;
  authorization?: string | null;
}

export interface TencentJson {
  Response: { FusedImage?: string; RequestId: string; Error?: { Code: string; Message: string } };
}

export async function callTencent(
  options: TencentCallOptions,
): Promise<{ status: number; json: TencentJson }> {
  const url = new URL(options.endpoint);
  const body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const contentType = options.contentType ?? "application/json";
  const headers: Record<string, string> = {
    "Content-Type": contentType,
    "X-TC-Action": options.action ?? "FuseFace",
    "X-TC-Version": options.version ?? "2022-09-27",
    "X-TC-Region": options.region ?? "ap-guangzhou",
    "X-TC-Timestamp": String(timestamp),
  };
  const authorization =
    options.authorization === undefined
      ? signTc3({
          secretId: options.secretId,
          secretKey: options.secretKey,
          timestamp,
          host: options.signedHost ?? url.host,
          contentType,
          body: options.signedBody ?? body,
          service: options.service,
        })
      : options.authorization;
  if (authorization !== null) headers.Authorization = authorization;
  const response = await fetch(`${options.endpoint}/`, { method: "POST", headers, body });
  return { status: response.status, json: (await response.json()) as TencentJson };
}
