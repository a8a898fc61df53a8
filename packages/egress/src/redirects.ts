const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Headers that describe a request body; they go when the body goes. */
const BODY_HEADERS = new Set([
  "content-type",
  "content-length",
  "content-encoding",
  "content-language",
  "content-location",
]);

/** Credentials meant for one origin; never forwarded to another (as fetch does). */
const ORIGIN_BOUND_HEADERS = new Set(["authorization", "cookie", "proxy-authorization"]);

export interface Hop {
  method: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
}

export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/**
 * The request to send to a redirect's target, following the fetch standard's rules: 303 turns
 * anything but HEAD into a bodiless GET, 301/302 turn POST into GET (what every browser does),
 * 307/308 repeat the request as it was. Per-origin credentials are dropped when the origin
 * changes so a redirect cannot carry them to a host the caller never named.
 */
export function nextHop(previous: Hop, status: number, from: URL, to: URL): Hop {
  const toGet =
    (status === 303 && previous.method !== "GET" && previous.method !== "HEAD") ||
    ((status === 301 || status === 302) && previous.method === "POST");
  const crossOrigin = from.origin !== to.origin;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(previous.headers)) {
    const lower = name.toLowerCase();
    if (toGet && BODY_HEADERS.has(lower)) continue;
    if (crossOrigin && ORIGIN_BOUND_HEADERS.has(lower)) continue;
    headers[name] = value;
  }
  return {
    method: toGet ? "GET" : previous.method,
    headers,
    body: toGet ? undefined : previous.body,
  };
}
