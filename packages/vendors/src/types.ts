import type { ImageLimits, InputRole, Operation, VendorId } from "@facegate/core";

/** An image ready for the vendor: already normalised to the adapter's limits. */
export interface VendorImage {
  bytes: Buffer;
  contentType: "image/jpeg" | "image/png" | "image/bmp";
  width: number;
  height: number;
}

/** One face of Tencent's multi-face `MergeInfos`. */
export interface MergeFace {
  image: VendorImage;
  templateFaceId?: string | undefined;
  inputFaceRect?: FaceRect | undefined;
  templateFaceRect?: FaceRect | undefined;
}

export interface FaceRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface VendorRequest {
  operation: Operation;
  target?: VendorImage | undefined;
  template?: VendorImage | undefined;
  merges?: MergeFace[] | undefined;
  /** Operation parameters as accepted by the public API (already validated). */
  params: Record<string, unknown>;
  /** Index into `credentials()`, chosen by the rate limiter. */
  credential: number;
  signal?: AbortSignal | undefined;
}

/** What a vendor answered: the image itself, or a URL to copy before it expires. */
export type VendorResult =
  | { kind: "bytes"; bytes: Buffer; contentType: string }
  | { kind: "url"; url: string; expiresAt: number };

export interface FetchedResult {
  bytes: Buffer;
  contentType: string;
}

/**
 * One adapter per vendor. Adapters know nothing of queues or storage: they turn a request
 * into one HTTP call and classify failures (as VendorError) by the vendor's own codes.
 */
export interface VendorAdapter {
  readonly id: VendorId;
  supports(operation: Operation): boolean;
  /** Limits for each image role; `merges` faces use the `target` limits. */
  limits(operation: Operation, role: InputRole): ImageLimits;
  /** Credential labels (never the secrets), one per independently rate-limited credential. */
  credentials(): string[];
  call(request: VendorRequest): Promise<VendorResult>;
  /** Download a result URL this vendor returned. Expired or missing → VendorError `vendor_result_expired`. */
  fetchResult(url: string, signal?: AbortSignal): Promise<FetchedResult>;
  /** Release the adapter's connection pool (graceful shutdown). Optional so plain test doubles need none. */
  close?(): Promise<void>;
}
