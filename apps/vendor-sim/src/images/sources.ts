/**
 * Where input images come from besides uploads: a URL to download (ai-gs `image_url`, Tencent
 * `MergeInfos[].Url`) or a base64 string in the JSON body.
 */

/**
 * Strict base64 for image fields. Node's decoder skips characters it does not know, which would
 * turn garbage into "some bytes"; vendors decode strictly, so an adapter that sends a data: URL
 * or URL-safe base64 must see it refused here as it would be there. Line breaks are tolerated
 * (MIME-style wrapping is common and harmless).
 */
const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function decodeBase64Strict(text: string): Buffer | null {
  const compact = text.replace(/[\r\n]/g, "");
  if (compact.length === 0 || compact.length % 4 !== 0 || !STRICT_BASE64.test(compact)) return null;
  return Buffer.from(compact, "base64");
}

/**
 * Downloads allow any URL, loopback included: tests serve their inputs from a local server, and
 * the simulator is not the place to enforce egress rules (the gateway does that before calling).
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
