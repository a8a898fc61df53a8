import { VendorError, type VendorId } from "@facegate/core";
import { Agent, type Dispatcher, type FormData, request } from "undici";
import { classifyNetworkError } from "./network-errors";

/** 32 MiB: room for an AILab base64 result of a 4096² image, small enough to never threaten the worker. */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024;
/** Connecting takes milliseconds when a vendor is up; waiting a whole `timeoutMs` for it hides an outage. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface HttpClientOptions {
  vendor: VendorId;
  /** Wait for the response headers, and for each gap between body chunks, in ms (`VENDOR_TIMEOUT_MS`). */
  timeoutMs: number;
  /** TCP and TLS connect timeout in ms. @defaultValue min(timeoutMs, 10_000) */
  connectTimeoutMs?: number | undefined;
  /** Largest response body accepted, in bytes. @defaultValue 32 MiB */
  maxResponseBytes?: number | undefined;
}

export interface HttpRequest {
  method: "GET" | "POST";
  url: URL;
  headers?: Record<string, string> | undefined;
  body?: string | Buffer | FormData | undefined;
  /** Aborting rejects the call with `signal.reason` (the caller's own error, e.g. "job canceled"). */
  signal?: AbortSignal | undefined;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * The one way vendor adapters talk HTTP: a dedicated undici Agent (its own pool, so a slow vendor
 * cannot starve another), explicit timeouts, a response-size cap, and network failures turned into
 * `transient` VendorErrors. Statuses are returned, not thrown: their meaning is the vendor's.
 */
export class HttpClient {
  readonly vendor: VendorId;
  private readonly agent: Agent;
  private readonly maxResponseBytes: number;

  constructor(options: HttpClientOptions) {
    this.vendor = options.vendor;
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    this.agent = new Agent({
      connect: {
        timeout: options.connectTimeoutMs ?? Math.min(options.timeoutMs, DEFAULT_CONNECT_TIMEOUT_MS),
      },
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
  }

  async send(req: HttpRequest): Promise<HttpResponse> {
    req.signal?.throwIfAborted();
    let response: Dispatcher.ResponseData;
    try {
      response = await this.dispatch(req);
    } catch (error) {
      // No in-process retry, not even on a reset: the vendor may have processed (and billed) the
      // call before the connection dropped, so each try must spend one of the job's attempts.
      // Every retry is the queue's.
      throw this.failure(error, req.signal);
    }
    try {
      return { status: response.statusCode, headers: response.headers, body: await this.readBody(response) };
    } catch (error) {
      throw this.failure(error, req.signal);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private dispatch(req: HttpRequest): Promise<Dispatcher.ResponseData> {
    return request(req.url, {
      dispatcher: this.agent,
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal: req.signal,
    });
  }

  /** Reads the whole body, refusing (and dropping the connection) past the cap. */
  private async readBody(response: Dispatcher.ResponseData): Promise<Buffer> {
    const declared = Number(response.headers["content-length"]);
    if (Number.isFinite(declared) && declared > this.maxResponseBytes) {
      discard(response.body);
      throw this.tooLarge();
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of response.body) {
      total += (chunk as Buffer).length;
      if (total > this.maxResponseBytes) {
        discard(response.body);
        throw this.tooLarge();
      }
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks, total);
  }

  /**
   * Too large is the vendor misbehaving (documented answers are far smaller), not the user's input:
   * transient, so the queue's bounded retries decide, and failover can pick another vendor.
   */
  private tooLarge(): VendorError {
    return new VendorError({
      vendor: this.vendor,
      kind: "transient",
      code: "vendor_unavailable",
      vendorCode: "response_too_large",
      message: `${this.vendor} response exceeds ${this.maxResponseBytes} bytes`,
    });
  }

  private failure(error: unknown, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted) return signal.reason;
    if (error instanceof VendorError) return error;
    return classifyNetworkError(this.vendor, error) ?? error;
  }
}

/** Drop a body we will not read; undici reports the drop as an error nobody else is listening for. */
function discard(body: Dispatcher.ResponseData["body"]): void {
  body.on("error", () => {});
  body.destroy();
}
