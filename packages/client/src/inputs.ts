import { openAsBlob } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import type { ImageSource } from "./types";

/** Sources sent as multipart file parts: files are streamed from disk, never read whole. */
export function isUpload(
  source: ImageSource,
): source is Extract<ImageSource, { file: string } | { bytes: unknown }> {
  return "file" in source || "bytes" in source;
}

export async function toBlob(
  source: ImageSource,
  fallbackName: string,
): Promise<{ blob: Blob; name: string }> {
  if ("file" in source) return { blob: await openAsBlob(source.file), name: basename(source.file) };
  if ("bytes" in source) {
    const { bytes } = source;
    const blob =
      bytes instanceof Blob ? bytes : new Blob([bytes instanceof Uint8Array ? new Uint8Array(bytes) : bytes]);
    return { blob, name: source.filename ?? fallbackName };
  }
  if ("base64" in source)
    return { blob: new Blob([Buffer.from(source.base64, "base64")]), name: fallbackName };
  throw new TypeError("an image URL cannot be uploaded as a file; give a file, bytes or base64");
}

/** Sources as the JSON body takes them: URLs as they are, anything else inline as base64. */
export async function toJsonImage(source: ImageSource): Promise<{ url: string } | { base64: string }> {
  if ("url" in source) return { url: source.url };
  if ("base64" in source) return { base64: source.base64 };
  if ("file" in source) return { base64: (await readFile(source.file)).toString("base64") };
  const { bytes } = source;
  const buffer =
    bytes instanceof Blob
      ? Buffer.from(await bytes.arrayBuffer())
      : Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes));
  return { base64: buffer.toString("base64") };
}
