import { createHash } from "node:crypto";

/**
 * Image work memoised by content. A vendor's result depends only on the bytes and parameters it
 * was given, so the simulator need not redo a decode or a fusion it has just done: benchmarks
 * send the same photos thousands of times, and the simulator must not be what they measure.
 * Small and bounded (least recently used go first).
 */
const MAX_ENTRIES = 64;
const entries = new Map<string, Promise<unknown>>();

type KeyPart = Buffer | string | number | boolean | null | undefined | object;

/**
 * Decoded images are themselves memoised, so the same pixels arrive as the same object: an
 * identity number keys them without hashing hundreds of kilobytes of raw pixels again.
 * File bytes (a new Buffer per request) are keyed by content.
 */
const identities = new WeakMap<object, number>();
let nextIdentity = 0;

/** A decoded image, keyed by identity. */
export function pixels(image: { data: Buffer }): { pixels: number } {
  let id = identities.get(image.data);
  if (id === undefined) {
    id = ++nextIdentity;
    identities.set(image.data, id);
  }
  return { pixels: id };
}

export function memo<T>(namespace: string, parts: KeyPart[], compute: () => Promise<T>): Promise<T> {
  const hash = createHash("sha1").update(namespace);
  for (const part of parts) {
    hash.update("\0");
    if (Buffer.isBuffer(part)) hash.update(part);
    else hash.update(JSON.stringify(part) ?? "undefined");
  }
  const key = hash.digest("hex");
  const hit = entries.get(key);
  if (hit) {
    entries.delete(key);
    entries.set(key, hit);
    return hit as Promise<T>;
  }
  const value = compute();
  entries.set(key, value);
  // Failures are not remembered.
  value.catch(() => entries.delete(key));
  while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  return value;
}
