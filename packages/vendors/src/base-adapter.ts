import {
  CAPABILITIES,
  type ImageLimits,
  type InputRole,
  type Operation,
  type VendorId,
} from "@facegate/core";
import type { AdapterOptions } from "./adapter-options";
import { fetchResultUrl } from "./fetch-result";
import { HttpClient } from "./http";
import type { FetchedResult, VendorAdapter, VendorRequest, VendorResult } from "./types";

/**
 * What every adapter shares: its own HTTP client (timeouts, size cap), a clock, capability and
 * result-download plumbing. A vendor's folder adds only what is its own: the request, the
 * envelope, the error table, the limits.
 */
export abstract class BaseAdapter implements VendorAdapter {
  abstract readonly id: VendorId;
  protected readonly http: HttpClient;
  protected readonly now: () => number;

  constructor(vendor: VendorId, timeoutMs: number, options: AdapterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.http = new HttpClient({
      vendor,
      timeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
      maxResponseBytes: options.maxResponseBytes,
    });
  }

  supports(operation: Operation): boolean {
    return CAPABILITIES[operation].includes(this.id);
  }

  abstract limits(operation: Operation, role: InputRole): ImageLimits;
  abstract credentials(): string[];
  abstract call(request: VendorRequest): Promise<VendorResult>;

  fetchResult(url: string, signal?: AbortSignal): Promise<FetchedResult> {
    return fetchResultUrl(this.http, url, signal);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
