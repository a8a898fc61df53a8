/** What the client and its methods take. */

export interface FacegateClientOptions {
  /** Where facegate answers, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** A tenant's API key. */
  apiKey: string;
  /** Time for one request, uploads included, in milliseconds. @defaultValue 120_000 */
  timeoutMs?: number;
  /** A fetch to use instead of the global one (a proxy agent, a test double). */
  fetch?: typeof fetch;
}

export interface RequestOptions {
  signal?: AbortSignal;
}

export interface UploadOptions extends RequestOptions {
  /** Called as the request body is sent, with bytes sent so far and the body's total size. */
  onUploadProgress?: (sentBytes: number, totalBytes: number) => void;
  /** Time for this request, the upload included, in milliseconds. @defaultValue the client's `timeoutMs` */
  timeoutMs?: number;
}

export interface WaitOptions extends RequestOptions {
  /** Give up after this long, in milliseconds. @defaultValue 300_000 */
  timeoutMs?: number;
  /** First pause between polls; it doubles up to `maxPollIntervalMs`. @defaultValue 250 */
  pollIntervalMs?: number;
  /** @defaultValue 2_000 */
  maxPollIntervalMs?: number;
}

/** The longest `Prefer: wait` the API honours, in seconds. */
export const MAX_PREFER_WAIT_S = 60;
