import type { Readable } from "node:stream";

export interface PutOptions {
  contentType: string;
  /** Known length lets a buffer go up in one PUT; streams of unknown length go up in parts. */
  contentLength?: number;
  metadata?: Record<string, string>;
}

export interface StoredObject {
  bytes: number;
  contentType: string | undefined;
  metadata: Record<string, string>;
}

/** The storage facegate needs, implemented for any S3-compatible server. */
export interface ObjectStore {
  readonly bucket: string;
  put(key: string, body: Buffer, options: PutOptions): Promise<void>;
  /** Stream of unknown length, uploaded as it is read; memory bounded by the part size. */
  upload(key: string, body: Readable, options: PutOptions): Promise<{ bytes: number }>;
  get(key: string): Promise<Buffer>;
  getStream(key: string, range?: { start: number; end: number }): Promise<Readable>;
  head(key: string): Promise<StoredObject | undefined>;
  delete(keys: string[]): Promise<void>;
  /** Keys under a prefix (a folder), at most `limit`. */
  list(prefix: string, limit?: number): Promise<string[]>;
  /** Delete everything under a prefix (a job's folder). */
  deletePrefix(prefix: string): Promise<number>;
  presignGet(key: string, ttlS: number, options?: { filename?: string }): Promise<string>;
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>;
  ensureBucket(): Promise<void>;
  destroy(): void;
}

/** The object does not exist. */
export class ObjectNotFoundError extends Error {
  constructor(readonly key: string) {
    super("object not found");
    this.name = "ObjectNotFoundError";
  }
}
