import type { Request } from "express";

/**
 * Reads a request body with a cap. Past the cap the rest is drained and dropped rather than the
 * socket cut, so the client still receives the vendor's "too large" answer instead of EPIPE;
 * past four times the cap the connection is dropped (nobody needs to upload that much to us).
 */

export interface BodyRead {
  bytes: Buffer;
  /** The body was longer than the cap; `bytes` holds only the first `cap` bytes. */
  tooLarge: boolean;
  /** Total bytes the client sent (or tried to). */
  total: number;
}

export function readBody(req: Request, cap: number): Promise<BodyRead> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    let total = 0;
    req.on("data", (chunk: Buffer) => {
      total += chunk.length;
      if (kept < cap) {
        const part = chunk.subarray(0, cap - kept);
        chunks.push(part);
        kept += part.length;
      }
      if (total > cap * 4) req.socket.destroy();
    });
    req.on("end", () => resolve({ bytes: Buffer.concat(chunks), tooLarge: total > cap, total }));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("client closed the request"));
    });
  });
}

/** First value of a header or query parameter, trimmed; undefined when absent or empty. */
export function single(value: unknown): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (typeof first !== "string") return undefined;
  const trimmed = first.trim();
  return trimmed === "" ? undefined : trimmed;
}
