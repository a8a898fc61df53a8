import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { Readable } from "node:stream";
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { uploadStream } from "./multipart-upload";
import { ObjectNotFoundError, type ObjectStore, type PutOptions, type StoredObject } from "./object-store";
import { GetPresigner } from "./presigner";

/*
 * facegate supports Node 22 and newer (README, "Two commands"). Node 20 still runs it, and the
 * README says once that it is past end of life; the SDK's own multi-line notice would otherwise
 * repeat that at every start of every process. This is the SDK's documented opt-out; setting the
 * variable to anything but "true" brings the notice back.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

export interface S3StoreOptions {
  endpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  /** Where clients reach the bucket, when it is not `endpoint` (presigned links use it). */
  publicEndpoint?: string | undefined;
  /** Observes each operation's latency (metrics). */
  onOperation?: (operation: string, ms: number, ok: boolean) => void;
}

export class S3Store implements ObjectStore {
  readonly bucket: string;
  private readonly client: S3Client;
  private readonly presigner: GetPresigner;
  private readonly observe: S3StoreOptions["onOperation"];

  constructor(options: S3StoreOptions) {
    this.bucket = options.bucket;
    this.presigner = new GetPresigner({ ...options, endpoint: options.publicEndpoint ?? options.endpoint });
    this.observe = options.onOperation;
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region,
      forcePathStyle: options.forcePathStyle,
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      // Checksums only where S3 requires them: many S3-compatible servers reject the SDK's
      // newer default (flexible CRC32 checksums with aws-chunked bodies).
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      // Two quick tries at most; longer outages are the job queue's to wait out.
      maxAttempts: 2,
      requestHandler: {
        connectionTimeout: 5_000,
        requestTimeout: 60_000,
        httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 128 }),
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: 128 }),
      },
    });
  }

  private async timed<T>(operation: string, run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    let ok = false;
    try {
      const result = await run();
      ok = true;
      return result;
    } finally {
      this.observe?.(operation, performance.now() - started, ok);
    }
  }

  put(key: string, body: Buffer, options: PutOptions): Promise<void> {
    return this.timed("put", async () => {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: options.contentType,
          ContentLength: body.length,
          Metadata: options.metadata,
        }),
      );
    });
  }

  upload(key: string, body: Readable, options: PutOptions): Promise<{ bytes: number }> {
    return this.timed("upload", () =>
      uploadStream(
        this.client,
        { bucket: this.bucket, key, contentType: options.contentType, metadata: options.metadata },
        body,
      ),
    );
  }

  get(key: string): Promise<Buffer> {
    return this.timed("get", async () => {
      const stream = await this.open(key);
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    });
  }

  getStream(key: string, range?: { start: number; end: number }): Promise<Readable> {
    return this.timed("get", () => this.open(key, range));
  }

  private async open(key: string, range?: { start: number; end: number }): Promise<Readable> {
    try {
      const out = await this.client.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      );
      return out.Body as Readable;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === "NoSuchKey") {
        throw new ObjectNotFoundError(key);
      }
      throw error;
    }
  }

  head(key: string): Promise<StoredObject | undefined> {
    return this.timed("head", async () => {
      try {
        const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
        return { bytes: out.ContentLength ?? 0, contentType: out.ContentType, metadata: out.Metadata ?? {} };
      } catch (error) {
        if (error instanceof NotFound || (error as { name?: string }).name === "NotFound") return undefined;
        throw error;
      }
    });
  }

  delete(keys: string[]): Promise<void> {
    return this.timed("delete", async () => {
      for (let i = 0; i < keys.length; i += 1000) {
        const chunk = keys.slice(i, i + 1000);
        if (chunk.length === 0) continue;
        await this.client.send(
          new DeleteObjectsCommand({
            Bucket: this.bucket,
            Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true },
          }),
        );
      }
    });
  }

  async list(prefix: string, limit = 10_000): Promise<string[]> {
    const found: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.timed("list", () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
        ),
      );
      for (const o of page.Contents ?? []) if (o.Key) found.push(o.Key);
      token = page.IsTruncated && found.length < limit ? page.NextContinuationToken : undefined;
    } while (token);
    return found.slice(0, limit);
  }

  async deletePrefix(prefix: string): Promise<number> {
    let deleted = 0;
    let token: string | undefined;
    do {
      const page = await this.timed("list", () =>
        this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${prefix}/`, ContinuationToken: token }),
        ),
      );
      const found = (page.Contents ?? []).map((o) => o.Key!).filter(Boolean);
      await this.delete(found);
      deleted += found.length;
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return deleted;
  }

  presignGet(key: string, ttlS: number, options: { filename?: string } = {}): Promise<string> {
    const query: Record<string, string> = {};
    if (options.filename) {
      query["response-content-disposition"] =
        `inline; filename="${options.filename.replace(/[^\w.-]/g, "_")}"`;
    }
    return this.presigner.presign(key, ttlS, query);
  }

  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
  }

  async ensureBucket(): Promise<void> {
    try {
      await this.ping();
    } catch {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}

/** Collect a stream into memory (bounded by the caller's own limits). */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
