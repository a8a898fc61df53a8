/**
 * Downloads an input image given by URL (ai-gs `image_url`, Tencent `MergeInfos[].Url`).
 * Any URL is allowed, loopback included: tests serve their inputs from a local server, and the
 * simulator is not a place to enforce egress rules (the gateway does that before calling).
 */

export type FetchImageResult =
  | { ok: true; bytes: Buffer }
  | { ok: false; reason: "bad_url" | "unreachable" | "http_status" | "too_large" };

export interface FetchImageOptions {
  /** Larger bodies are refused with `too_large` (and not read further). */
  maxBytes: number;
  /** @defaultValue 10_000 */
  timeoutMs?: number;
}

export function parseHttpUrl(text: string): URL | null {
  try {
    const url = new URL(text);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

export async function fetchImage(text: string, options: FetchImageOptions): Promise<FetchImageResult> {
  const url = parseHttpUrl(text);
  if (!url) return { ok: false, reason: "bad_url" };
  const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: "follow" });
  } catch {
    return { ok: false, reason: "unreachable" };
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => undefined);
    return { ok: false, reason: "http_status" };
  }
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > options.maxBytes) {
    await response.body.cancel().catch(() => undefined);
    return { ok: false, reason: "too_large" };
  }

  const chunks: Buffer[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > options.maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: "too_large" };
      }
      chunks.push(Buffer.from(value));
    }
  } catch {
    return { ok: false, reason: "unreachable" };
  }
  return { ok: true, bytes: Buffer.concat(chunks) };
}
