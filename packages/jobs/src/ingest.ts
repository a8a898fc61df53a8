import { createHash } from "node:crypto";
import { PassThrough, Readable } from "node:stream";
import { CONTENT_TYPES, type StoredInput } from "@facegate/core";
import type { Egress } from "@facegate/egress";
import {
  ImageError,
  isComplete,
  isCompleteTail,
  probeImage,
  showsColour,
  sniffFormat,
  TailWindow,
} from "@facegate/images";
import type { ObjectStore } from "@facegate/storage";
import { itemName, urlFileName } from "./item-name";

export interface IngestOptions {
  maxBytes: number;
  maxPixels: number;
  /** The name the user gave the file (kept for batch output names). */
  name?: string | undefined;
  /**
   * Look whether the photo shows colour (a vendor of the job needs it), while it is being stored,
   * so the worker need not. Only images read whole are looked at; the worker looks at the rest.
   */
  colour?: boolean | undefined;
  /** Handed the bytes of an image read whole, once it is stored (`inputHolder`). */
  hold?: ((key: string, bytes: Buffer) => void) | undefined;
}

/** Bytes read before the upload starts: enough for any image header (EXIF included). */
const HEAD_BYTES = 512 * 1024;

/**
 * Stream an uploaded image into S3 while checking it: the format is sniffed and the header
 * read from the first bytes (so a decompression bomb or a non-image is refused before the
 * upload starts), size is capped as it streams, and the tail is checked for truncation at the
 * end. Memory stays bounded by the head plus the S3 part size, whatever the file's size.
 * On any refusal nothing is left in S3.
 */
export async function ingestStream(
  store: ObjectStore,
  key: string,
  source: Readable,
  options: IngestOptions,
): Promise<StoredInput> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const headChunks: Buffer[] = [];
  let headBytes = 0;
  let ended = false;
  while (headBytes < HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    headChunks.push(next.value);
    headBytes += next.value.length;
  }
  const head = Buffer.concat(headChunks);
  if (ended) return ingestBuffer(store, key, head, options);
  if (!sniffFormat(head)) throw new ImageError("invalid_image", "the file is not a supported image format");
  const info = await probeImage(head, { maxPixels: options.maxPixels });

  const hash = createHash("sha256");
  const tail = new TailWindow();
  let bytes = 0;
  const body = new PassThrough();
  let refusal: ImageError | undefined;
  const feed = async () => {
    const push = async (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > options.maxBytes) {
        refusal = new ImageError("image_too_large", `the image is larger than ${options.maxBytes} bytes`);
        throw refusal;
      }
      hash.update(chunk);
      tail.push(chunk);
      if (body.destroyed) throw new Error("upload stopped");
      if (!body.write(chunk)) {
        await new Promise((resolve) => {
          body.once("drain", resolve);
          body.once("close", resolve);
        });
      }
    };
    try {
      await push(head);
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) await push(next.value);
      body.end();
    } catch (error) {
      body.destroy(error as Error);
      source.destroy();
    }
  };
  const uploaded = store.upload(key, body, { contentType: CONTENT_TYPES[info.format] });
  // If the upload fails (storage down), stop feeding it.
  uploaded.catch(() => body.destroy());
  await Promise.all([feed(), uploaded.catch(() => undefined)]);
  try {
    await uploaded;
  } catch (error) {
    await store.delete([key]).catch(() => undefined);
    throw refusal ?? error;
  }

  // A tail that does not end like a whole file is usually a truncated upload; appended data
  // (motion photos) needs the full structural walk, done on the stored copy in that rare case.
  if (!isCompleteTail(tail.tail(), info.format) && !isComplete(await store.get(key), info.format)) {
    await store.delete([key]).catch(() => undefined);
    throw new ImageError("invalid_image", "the image is truncated");
  }
  return {
    key,
    format: info.format,
    width: info.width,
    height: info.height,
    bytes,
    sha256: hash.digest("hex"),
    name: options.name,
  };
}

/** An image already in memory (base64 JSON input, a small upload): checked whole, one PUT. */
export async function ingestBuffer(
  store: ObjectStore,
  key: string,
  bytes: Buffer,
  options: IngestOptions,
): Promise<StoredInput> {
  if (bytes.length === 0) throw new ImageError("invalid_image", "the file is empty");
  if (bytes.length > options.maxBytes) {
    throw new ImageError("image_too_large", `the image is larger than ${options.maxBytes} bytes`);
  }
  const info = await probeImage(bytes, { maxPixels: options.maxPixels });
  if (!isComplete(bytes, info.format)) throw new ImageError("invalid_image", "the image is truncated");
  // An image that does not decode is judged where it is fitted to the vendor, as it would be unlooked at.
  const looked = options.colour
    ? showsColour(bytes, info, options.maxPixels).catch(() => undefined)
    : undefined;
  const [, colour] = await Promise.all([
    store.put(key, bytes, { contentType: CONTENT_TYPES[info.format] }),
    looked,
  ]);
  options.hold?.(key, bytes);
  return {
    key,
    format: info.format,
    width: info.width,
    height: info.height,
    bytes: bytes.length,
    sha256: createHash("sha256").update(bytes).digest("hex"),
    name: options.name,
    colour,
  };
}

/** An input given as a URL: fetched through the egress guard (redirects re-checked), then streamed in. */
export async function ingestUrl(
  store: ObjectStore,
  egress: Egress,
  key: string,
  url: string,
  options: IngestOptions & { timeoutMs: number },
): Promise<StoredInput> {
  const response = await egress.request(url, {
    redirect: "follow",
    maxBytes: options.maxBytes,
    timeoutMs: options.timeoutMs,
  });
  if (response.status < 200 || response.status >= 300) {
    throw new InputUnreachableError(`the image URL answered HTTP ${response.status}`);
  }
  const name = options.name ?? itemName(urlFileName(response.url), "");
  return ingestStream(store, key, Readable.from(response.body), { ...options, name: name || undefined });
}

/** The URL could be fetched but did not give an image (HTTP error). */
export class InputUnreachableError extends Error {
  readonly code = "input_unreachable";
  constructor(message: string) {
    super(message);
    this.name = "InputUnreachableError";
  }
}
