import { VendorError } from "@facegate/core";
import { malformed } from "./classification";
import type { HttpClient } from "./http";
import { sniffImageType } from "./image-bytes";
import type { FetchedResult } from "./types";

/** Object stores answer an expired or deleted result with one of these (S3/COS: 403 on an expired signature). */
const GONE = new Set([403, 404, 410]);
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Result URLs may sit behind a CDN hop or two; more than this is a loop. */
const MAX_REDIRECTS = 3;

/**
 * Download a result URL a vendor returned, with the vendor's own HTTP client (same timeouts and
 * size cap). Expired → `input`/`vendor_result_expired` (no retry will bring it back); anything
 * else that goes wrong is transient.
 */
export async function fetchResultUrl(
  http: HttpClient,
  url: string,
  signal?: AbortSignal,
): Promise<FetchedResult> {
  const vendor = http.vendor;
  let target = httpUrl(url);
  if (!target) throw malformed(vendor, "result URL is not an http(s) URL");
  for (let hop = 0; ; hop++) {
    const res = await http.send({ method: "GET", url: target, signal });
    const location = res.headers.location;
    if (REDIRECTS.has(res.status) && typeof location === "string" && hop < MAX_REDIRECTS) {
      target = httpUrl(location, target);
      if (!target) throw malformed(vendor, "result URL redirects to a non-http(s) URL");
      continue;
    }
    if (GONE.has(res.status)) {
      throw new VendorError({
        vendor,
        kind: "input",
        code: "vendor_result_expired",
        vendorCode: `http_${res.status}`,
        message: `The ${vendor} result URL has expired or was deleted`,
      });
    }
    if (res.status < 200 || res.status > 299) {
      throw new VendorError({
        vendor,
        kind: "transient",
        code: "vendor_unavailable",
        vendorCode: `http_${res.status}`,
        message: `Downloading the ${vendor} result failed with HTTP ${res.status}`,
      });
    }
    const contentType = sniffImageType(res.body);
    if (!contentType) throw malformed(vendor, "result URL did not serve an image");
    return { bytes: res.body, contentType };
  }
}

function httpUrl(text: string, base?: URL): URL | undefined {
  try {
    const url = new URL(text, base);
    return url.protocol === "http:" || url.protocol === "https:" ? url : undefined;
  } catch {
    return undefined;
  }
}
