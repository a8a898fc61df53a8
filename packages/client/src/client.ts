import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { batchBody, jobBody } from "./bodies";
import { FacegateConnectionError, FacegateError, WaitTimeoutError } from "./errors";
import { encodeMultipart } from "./multipart";
import {
  type FacegateClientOptions,
  MAX_PREFER_WAIT_S,
  type RequestOptions,
  type UploadOptions,
  type WaitOptions,
} from "./options";
import { CLIENT_ROUTES, type RouteName, routePath } from "./routes";
import { cancellableTimeout, sleep } from "./timers";
import type {
  ApiKey,
  Batch,
  CreateBatchInput,
  CreatedApiKey,
  CreateJobInput,
  Job,
  JobList,
  ListJobsQuery,
} from "./types";

const FINAL = new Set(["succeeded", "failed", "canceled"]);
export const isFinished = (job: Pick<Job, "status">) => FINAL.has(job.status);

interface Send extends RequestOptions {
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: RequestInit["body"];
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Count a FormData body's bytes as they are sent. */
  onUploadProgress?: UploadOptions["onUploadProgress"];
  /** The timeout covers the wait for the answer's headers only, not reading a long body. */
  headersTimeoutOnly?: boolean;
}

/**
 * A typed client for facegate's HTTP API. Error answers throw `FacegateError` (status, stable
 * `code`, `detail`); an unreachable server throws `FacegateConnectionError`.
 */
export class FacegateClient {
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  constructor(options: FacegateClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  /**
   * Create a job. Files and bytes go up as multipart (streamed from disk); URLs, base64 and Tencent
   * `merges` as JSON. `wait` (seconds, at most 60) holds the answer until the job finishes.
   */
  async createJob(
    input: CreateJobInput,
    options: RequestOptions & { idempotencyKey?: string; wait?: number } = {},
  ): Promise<Job> {
    const headers: Record<string, string> = {};
    if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
    let timeoutMs = this.timeoutMs;
    if (options.wait !== undefined) {
      const wait = Math.min(MAX_PREFER_WAIT_S, Math.max(1, Math.ceil(options.wait)));
      headers.prefer = `wait=${wait}`;
      timeoutMs += wait * 1000;
    }
    const res = await this.send("createJob", {
      ...options,
      headers,
      body: await jobBody(input),
      timeoutMs,
    });
    return (await res.json()) as Job;
  }

  async getJob(id: string, options: RequestOptions = {}): Promise<Job> {
    return this.json("getJob", { ...options, params: { id } });
  }

  /** One page, newest first; pass `next_cursor` back as `cursor` for the next. */
  async listJobs(query: ListJobsQuery = {}, options: RequestOptions = {}): Promise<JobList> {
    return this.json("listJobs", { ...options, query: { ...query } });
  }

  /** Every job matching the filters, page after page. */
  async *jobs(query: ListJobsQuery = {}, options: RequestOptions = {}): AsyncGenerator<Job> {
    let cursor = query.cursor;
    do {
      const page = await this.listJobs({ ...query, cursor }, options);
      yield* page.data;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }

  async cancelJob(id: string, options: RequestOptions = {}): Promise<Job> {
    return this.json("cancelJob", { ...options, params: { id } });
  }

  /** Erase the job's inputs, output and payload; the answer is its tombstone. */
  async deleteJob(id: string, options: RequestOptions = {}): Promise<Job> {
    return this.json("deleteJob", { ...options, params: { id } });
  }

  /** Poll a job until it is finished (succeeded, failed or canceled). */
  async waitForJob(id: string, options: WaitOptions = {}): Promise<Job> {
    const deadline = Date.now() + (options.timeoutMs ?? 300_000);
    let pause = options.pollIntervalMs ?? 250;
    for (;;) {
      // Each poll is one ordinary request: the wait's own timeout is not a request timeout.
      const job = await this.getJob(id, { signal: options.signal });
      if (isFinished(job)) return job;
      if (Date.now() + pause > deadline) throw new WaitTimeoutError(job);
      await sleep(pause, options.signal);
      pause = Math.min(pause * 2, options.maxPollIntervalMs ?? 2_000);
    }
  }

  /**
   * Create a job and wait for it to finish: the server holds the answer (`Prefer: wait`) for up
   * to 60 s, then the job is polled for the rest of `timeoutMs`.
   */
  async runJob(input: CreateJobInput, options: WaitOptions & { idempotencyKey?: string } = {}): Promise<Job> {
    const timeoutMs = options.timeoutMs ?? 300_000;
    const started = Date.now();
    const job = await this.createJob(input, {
      ...options,
      wait: Math.min(MAX_PREFER_WAIT_S, timeoutMs / 1000),
    });
    if (isFinished(job)) return job;
    return this.waitForJob(job.id, {
      ...options,
      timeoutMs: Math.max(0, timeoutMs - (Date.now() - started)),
    });
  }

  /** A short-lived presigned URL of a succeeded job's output. */
  async getOutputUrl(id: string, options: RequestOptions = {}): Promise<string> {
    // Asked as JSON (the client's every request is), the API answers the link instead of a redirect.
    const { url } = await this.json<{ url: string }>("getOutput", { ...options, params: { id } });
    return new URL(url, this.baseUrl).toString();
  }

  /** Download a succeeded job's output (the presigned link is fetched without the API key). */
  async getOutput(
    id: string,
    options: RequestOptions = {},
  ): Promise<{ bytes: Uint8Array; contentType: string }> {
    const url = await this.getOutputUrl(id, options);
    const res = await this.fetchOutside(url, options);
    return {
      bytes: new Uint8Array(await res.arrayBuffer()),
      contentType: res.headers.get("content-type") ?? "application/octet-stream",
    };
  }

  /**
   * Create a batch: many `targets` (or one zip `archive`) with a shared `template`, operation,
   * vendor and params; one job per photo. Files are streamed from disk.
   */
  async createBatch(
    input: CreateBatchInput,
    options: UploadOptions & { idempotencyKey?: string } = {},
  ): Promise<Batch> {
    if (!input.targets?.length && !input.archive)
      throw new TypeError("createBatch: give targets or an archive");
    const headers: Record<string, string> = {};
    if (options.idempotencyKey) headers["idempotency-key"] = options.idempotencyKey;
    const res = await this.send("createBatch", { ...options, headers, body: await batchBody(input) });
    return (await res.json()) as Batch;
  }

  async getBatch(id: string, options: RequestOptions = {}): Promise<Batch> {
    return this.json("getBatch", { ...options, params: { id } });
  }

  async listBatchJobs(id: string, query: ListJobsQuery = {}, options: RequestOptions = {}): Promise<JobList> {
    return this.json("listBatchJobs", { ...options, params: { id }, query: { ...query } });
  }

  async cancelBatch(id: string, options: RequestOptions = {}): Promise<Batch> {
    return this.json("cancelBatch", { ...options, params: { id } });
  }

  /** Poll a batch until it completes; `onProgress` sees each state (for a progress bar). */
  async waitForBatch(
    id: string,
    options: WaitOptions & { onProgress?: (batch: Batch) => void } = {},
  ): Promise<Batch> {
    const deadline = Date.now() + (options.timeoutMs ?? 3_600_000);
    let pause = options.pollIntervalMs ?? 500;
    for (;;) {
      const batch = await this.getBatch(id, { signal: options.signal });
      options.onProgress?.(batch);
      if (batch.status === "completed") return batch;
      if (Date.now() + pause > deadline) throw new Error(`batch ${id} is still ${batch.status}`);
      await sleep(pause, options.signal);
      pause = Math.min(pause * 2, options.maxPollIntervalMs ?? 5_000);
    }
  }

  /** The batch's outputs and `manifest.csv` as a zip, streamed. */
  async downloadBatchOutput(id: string, options: RequestOptions = {}): Promise<ReadableStream<Uint8Array>> {
    // A large zip takes long: the request timeout covers only the start of the answer.
    const res = await this.send("downloadBatchOutput", {
      ...options,
      params: { id },
      headersTimeoutOnly: true,
    });
    if (!res.body)
      throw new FacegateError(res.status, { code: "empty_body", detail: "no zip in the answer" });
    return res.body;
  }

  /** Save the batch's zip to a file; returns its size in bytes. */
  async saveBatchOutput(id: string, path: string, options: RequestOptions = {}): Promise<number> {
    const body = await this.downloadBatchOutput(id, options);
    let bytes = 0;
    const counted = Readable.fromWeb(body as NodeReadableStream<Uint8Array>).on("data", (chunk: Buffer) => {
      bytes += chunk.length;
    });
    await pipeline(counted, createWriteStream(path));
    return bytes;
  }

  /** The tenant's secret (`whsec_…`) that signs the events sent to per-job `webhook_url`s. */
  async getWebhookSecret(
    options: RequestOptions = {},
  ): Promise<{ secret: string; previous_valid_until: string | null }> {
    return this.json("getWebhookSecret", options);
  }

  /**
   * Admin (the client built with ADMIN_API_KEY): a new API key for `tenant`. Its secret is in this
   * answer only.
   */
  async createApiKey(
    input: { tenant: string; name?: string },
    options: RequestOptions = {},
  ): Promise<CreatedApiKey> {
    return this.json("createApiKey", {
      ...options,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(input),
    });
  }

  /** Admin: API keys, every tenant's or one tenant's; never the secrets. */
  async listApiKeys(query: { tenant?: string } = {}, options: RequestOptions = {}): Promise<ApiKey[]> {
    const list = await this.json<{ data: ApiKey[] }>("listApiKeys", { ...options, query });
    return list.data;
  }

  /** Admin: revoke an API key (every API process refuses it at once); the answer is its details. */
  async revokeApiKey(id: string, options: RequestOptions = {}): Promise<ApiKey> {
    return this.json("revokeApiKey", { ...options, params: { id } });
  }

  private async json<T>(name: RouteName, send: Send): Promise<T> {
    const res = await this.send(name, send);
    return (await res.json()) as T;
  }

  private async send(name: RouteName, send: Send): Promise<Response> {
    const url = new URL(this.baseUrl + routePath(name, send.params));
    for (const [key, value] of Object.entries(send.query ?? {})) {
      if (value !== undefined && value !== "") url.searchParams.set(key, String(value));
    }
    const headers = new Headers(send.headers);
    headers.set("authorization", `Bearer ${this.apiKey}`);
    headers.set("accept", "application/json");
    let body = send.body;
    if (send.onUploadProgress && body instanceof FormData) {
      const encoded = encodeMultipart(body, send.onUploadProgress);
      headers.set("content-type", encoded.contentType);
      body = encoded.body;
    }
    const timeout = cancellableTimeout(send.timeoutMs ?? this.timeoutMs);
    let res: Response;
    try {
      res = await this.fetchOrThrow(url.toString(), {
        method: CLIENT_ROUTES[name].method,
        headers,
        body,
        // A stream body must say so (fetch then sends it as it is read).
        ...(body instanceof ReadableStream ? { duplex: "half" as const } : {}),
        signal: send.signal ? AbortSignal.any([send.signal, timeout.signal]) : timeout.signal,
      });
    } finally {
      if (send.headersTimeoutOnly) timeout.clear();
    }
    if (!res.ok) throw await FacegateError.fromResponse(res);
    return res;
  }

  /** A URL outside the API (a presigned S3 link): no API key goes with it. */
  private async fetchOutside(url: string, options: RequestOptions): Promise<Response> {
    const res = await this.fetchOrThrow(url, { signal: this.signal(options.signal) });
    if (!res.ok) throw await FacegateError.fromResponse(res);
    return res;
  }

  private async fetchOrThrow(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetch(url, init);
    } catch (error) {
      if ((error as Error).name === "AbortError") throw error;
      throw new FacegateConnectionError(new URL(url).origin, error);
    }
  }

  private signal(given: AbortSignal | undefined, timeoutMs = this.timeoutMs): AbortSignal {
    const timeout = AbortSignal.timeout(timeoutMs);
    return given ? AbortSignal.any([given, timeout]) : timeout;
  }
}
