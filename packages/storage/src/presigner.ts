import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { S3RequestPresigner } from "@aws-sdk/s3-request-presigner";

/** SHA-256 for the signer, on node:crypto (HMAC when given a key). */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash("sha256");
    const key = typeof this.secret === "string" ? this.secret : Buffer.from(this.secret as ArrayBuffer);
    return createHmac("sha256", key);
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === "string" ? data : Buffer.from(data as ArrayBuffer));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

/**
 * Presigned GET links, signed directly with S3's SigV4 presigner rather than through a client
 * command: the client's middleware stack costs milliseconds per link, and every job view shows
 * one. `endpoint` is where clients reach the bucket (S3_PUBLIC_ENDPOINT when it differs).
 */
export class GetPresigner {
  private readonly presigner: S3RequestPresigner;
  private readonly url: URL;

  constructor(options: {
    endpoint: string | undefined;
    region: string;
    bucket: string;
    forcePathStyle: boolean;
    accessKeyId: string;
    secretAccessKey: string;
  }) {
    this.presigner = new S3RequestPresigner({
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      region: options.region,
      sha256: Sha256,
    });
    const base = new URL(options.endpoint ?? `https://s3.${options.region}.amazonaws.com`);
    this.url = options.forcePathStyle
      ? new URL(`${base.origin}/${options.bucket}/`)
      : new URL(`${base.protocol}//${options.bucket}.${base.host}/`);
  }

  async presign(key: string, ttlS: number, query: Record<string, string> = {}): Promise<string> {
    const path = `${this.url.pathname}${key.split("/").map(encodeURIComponent).join("/")}`;
    const signed = await this.presigner.presign(
      {
        method: "GET",
        protocol: this.url.protocol,
        hostname: this.url.hostname,
        port: this.url.port ? Number(this.url.port) : undefined,
        path,
        query,
        headers: { host: this.url.host },
      },
      { expiresIn: ttlS },
    );
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(signed.query ?? {})) {
      for (const v of Array.isArray(value) ? value : [value])
        if (v !== null && v !== undefined) search.append(name, v);
    }
    return `${this.url.origin}${path}?${search.toString().replace(/\+/g, "%20")}`;
  }
}
