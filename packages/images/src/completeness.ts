import type { ImageFormat } from "@facegate/core";
import { walkJpeg } from "./jpeg-segments";
import { walkPng } from "./png-chunks";

/**
 * Cheap structural truncation checks. A truncated upload often still has a readable header
 * (so probing succeeds) and would only fail at the vendor, or worse, be accepted with a grey
 * lower half; these catch it before any decode.
 */

const PNG_IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);
/** Samsung appends an "SEF" trailer after EOI; it ends with these bytes. */
const SAMSUNG_TRAILER = Buffer.from("SEFT", "latin1");

/** How much of a file's end `isCompleteTail` wants to see; allows for some zero padding. */
export const TAIL_BYTES = 4096;

/**
 * Decide from the last bytes only (`TAIL_BYTES` is plenty): JPEG ends with EOI, PNG with the
 * IEND chunk, trailing zero padding tolerated; other formats are not checked (true).
 * A JPEG with an appended trailer that does not end that way (a motion photo's video) reads as
 * incomplete here; `isComplete`, which sees the whole file, gets those right, so treat a
 * `false` from the tail as "check the whole file" rather than as final.
 */
export function isCompleteTail(tail: Buffer, format: ImageFormat): boolean {
  if (format !== "jpeg" && format !== "png") return true;
  let end = tail.length;
  while (end > 0 && tail[end - 1] === 0) end--;
  const body = tail.subarray(0, end);
  if (format === "png") return endsWith(body, PNG_IEND);
  return endsWith(body, Buffer.from([0xff, 0xd9])) || endsWith(body, SAMSUNG_TRAILER);
}

/**
 * Whether the whole file is structurally complete: the tail check first (O(1)), then a walk of
 * the structure, which skips segments and chunks by their lengths and so finds the real end
 * even when other data has been appended after it.
 */
export function isComplete(bytes: Buffer, format: ImageFormat): boolean {
  if (isCompleteTail(bytes.subarray(-TAIL_BYTES), format)) return true;
  try {
    if (format === "jpeg") walkJpeg(bytes);
    else walkPng(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * Keeps the last `size` bytes of a stream, for callers that see an upload go by chunk-wise
 * (streamed to S3) and want `isCompleteTail` at the end without holding the file.
 */
export class TailWindow {
  private buffer = Buffer.alloc(0);
  private seen = 0;

  constructor(private readonly size = TAIL_BYTES) {}

  push(chunk: Buffer): void {
    this.seen += chunk.length;
    if (chunk.length >= this.size) {
      this.buffer = Buffer.from(chunk.subarray(chunk.length - this.size)); // copy: do not pin the chunk
      return;
    }
    const joined = Buffer.concat([this.buffer, chunk]);
    this.buffer = joined.length > this.size ? joined.subarray(joined.length - this.size) : joined;
  }

  tail(): Buffer {
    return this.buffer;
  }

  /** Total bytes pushed so far. */
  get bytesSeen(): number {
    return this.seen;
  }
}

function endsWith(bytes: Buffer, suffix: Buffer): boolean {
  return bytes.length >= suffix.length && bytes.subarray(bytes.length - suffix.length).equals(suffix);
}
