import type { Readable } from "node:stream";
import { EgressError } from "./errors";

/**
 * A response body that can be read once, with the byte cap enforced while it streams: the chunk
 * that would cross the cap is never handed out, and the connection is torn down instead of
 * drained, so an endless body costs at most `maxBytes` of reading.
 */
export interface EgressBody extends AsyncIterable<Buffer> {
  /** The whole body; fails with `too_large` past the cap. */
  buffer(): Promise<Buffer>;
  /**
   * Without `limit`: the whole body as UTF-8, capped like `buffer()`. With `limit`: at most that
   * many bytes (and never more than the cap), the rest discarded without error — for logging.
   */
  text(limit?: number): Promise<string>;
  /** Drop the body without reading it; closes the connection. Safe to call after reading. */
  discard(): Promise<void>;
  readonly used: boolean;
}

export interface BodySource {
  stream: Readable;
  maxBytes: number;
  /** `Content-Length`, when the server sent one; lets an oversized body fail before any read. */
  declaredLength: number | undefined;
  url: string;
  mapError(err: unknown): unknown;
  /** Called once when the body is finished, failed or discarded (frees the request's timer). */
  onSettled(): void;
}

/**
 * Close a body we will not read. undici reports the abort as an 'error' event; nobody is
 * listening for it any more, and an unheard 'error' would crash the process.
 */
export function destroyQuietly(stream: Readable): void {
  stream.on("error", () => {});
  stream.destroy();
}

export function createBody(source: BodySource): EgressBody {
  return new CappedBody(source);
}

class CappedBody implements EgressBody {
  readonly #source: BodySource;
  #used = false;
  #settled = false;

  constructor(source: BodySource) {
    this.#source = source;
  }

  get used(): boolean {
    return this.#used;
  }

  [Symbol.asyncIterator](): AsyncIterator<Buffer> {
    return this.#read(undefined);
  }

  async buffer(): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.#read(undefined)) chunks.push(chunk);
    return Buffer.concat(chunks);
  }

  async text(limit?: number): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.#read(limit)) chunks.push(chunk);
    return Buffer.concat(chunks).toString("utf8");
  }

  async discard(): Promise<void> {
    if (this.#used) return;
    this.#used = true;
    destroyQuietly(this.#source.stream);
    this.#settle();
  }

  async *#read(truncateAt: number | undefined): AsyncGenerator<Buffer> {
    if (this.#used) throw new TypeError("The response body has already been read or discarded.");
    this.#used = true;
    const { stream, maxBytes, declaredLength } = this.#source;
    // Truncating reads stop at or below the cap, so they never fail for size.
    const stopAt = truncateAt === undefined ? undefined : Math.max(0, Math.min(truncateAt, maxBytes));
    let received = 0;
    let complete = false;
    try {
      if (stopAt === undefined && declaredLength !== undefined && declaredLength > maxBytes) {
        throw this.#tooLarge();
      }
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (stopAt !== undefined && received + chunk.length >= stopAt) {
          yield chunk.subarray(0, stopAt - received);
          return;
        }
        received += chunk.length;
        if (received > maxBytes) throw this.#tooLarge();
        yield chunk;
      }
      complete = true;
    } catch (err) {
      throw this.#source.mapError(err);
    } finally {
      // Anything but a clean end (cap, truncation, consumer stopped early, error) closes the
      // socket: an unread remainder must not be drained at the server's pace.
      if (!complete) destroyQuietly(stream);
      this.#settle();
    }
  }

  #tooLarge(): EgressError {
    return new EgressError({
      code: "too_large",
      message: `The response is larger than ${this.#source.maxBytes} bytes.`,
      url: this.#source.url,
    });
  }

  #settle(): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#source.onSettled();
  }
}
