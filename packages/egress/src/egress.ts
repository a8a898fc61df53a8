import type { IncomingHttpHeaders } from "node:http";
import type { LookupFunction } from "node:net";
import { request as undiciRequest } from "undici";
import { effectivePort, parseAllowlist } from "./allowlist";
import { Deadline } from "./deadline";
import { EgressError } from "./errors";
import { refusedClass, resolveAll, systemLookup } from "./guarded-lookup";
import { createPinnedAgent } from "./pinned-agent";
import { type Hop, isRedirect, nextHop } from "./redirects";
import { createBody, destroyQuietly, type EgressBody } from "./response-body";
import { toEgressError } from "./transport-errors";
import {
  addressRefused,
  assertStaticallyAllowed,
  literalAddress,
  parseTargetUrl,
  redactedHref,
} from "./url-policy";

export interface EgressOptions {
  /** Exact `host:port` pairs exempt from the address policy (`EGRESS_ALLOWLIST`). @defaultValue [] */
  allowlist?: string[];
  /** TCP/TLS connect, DNS included, in milliseconds. @defaultValue 5_000 */
  connectTimeoutMs?: number;
  /** Request sent → response headers, and longest silence inside a body, in milliseconds. @defaultValue 15_000 */
  headersTimeoutMs?: number;
  /** Whole request, redirects and body reading included, in milliseconds. @defaultValue 30_000 */
  timeoutMs?: number;
  /** Largest body read, in bytes. @defaultValue 20 MiB */
  maxBytes?: number;
  /** Redirects followed when a request asks to follow them. @defaultValue 5 */
  maxRedirects?: number;
  /** @defaultValue "facegate-egress" */
  userAgent?: string;
  /** Resolver used for every name (checks and connections). Injectable for tests. @defaultValue dns.lookup */
  lookup?: LookupFunction;
}

export interface EgressRequestInit {
  /** @defaultValue "GET" */
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** "manual": a 3xx is returned as it is. "follow": each hop re-checked, up to `maxRedirects`. @defaultValue "manual" */
  redirect?: "follow" | "manual";
  maxBytes?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface EgressResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The URL that answered (differs from the one given after redirects). */
  url: string;
  /** Must be read or discarded: until then the connection and the request's timer stay in use. */
  body: EgressBody;
}

export interface EgressDownload {
  bytes: Buffer;
  contentType: string | undefined;
  url: string;
}

export interface Egress {
  /** Parse, static checks and DNS check, without connecting: for refusing a URL at the API. */
  check(url: string): Promise<URL>;
  /** A guarded request; the connection itself re-checks the address it connects to. */
  request(url: string, init?: EgressRequestInit): Promise<EgressResponse>;
  /** GET following redirects, whole body as a Buffer, capped; non-2xx fails with `http_status`. */
  download(
    url: string,
    opts?: { maxBytes?: number; timeoutMs?: number; signal?: AbortSignal },
  ): Promise<EgressDownload>;
  close(): Promise<void>;
}

const DEFAULTS = {
  connectTimeoutMs: 5_000,
  headersTimeoutMs: 15_000,
  timeoutMs: 30_000,
  maxBytes: 20 * 1024 * 1024,
  maxRedirects: 5,
  userAgent: "facegate-egress",
};

export function createEgress(options: EgressOptions = {}): Egress {
  const settings = { ...DEFAULTS, ...withoutUndefined(options) };
  // A NaN or negative cap would silently disable the very limit it configures.
  for (const key of [
    "connectTimeoutMs",
    "headersTimeoutMs",
    "timeoutMs",
    "maxBytes",
    "maxRedirects",
  ] as const) {
    const value = settings[key];
    if (!Number.isSafeInteger(value) || value < (key === "maxRedirects" ? 0 : 1)) {
      throw new RangeError(
        `egress option ${key} must be a ${key === "maxRedirects" ? "non-negative" : "positive"} integer`,
      );
    }
  }
  const allowlist = parseAllowlist(options.allowlist);
  const lookup = options.lookup ?? systemLookup;
  const agent = createPinnedAgent({
    allowlist,
    lookup,
    connectTimeoutMs: settings.connectTimeoutMs,
    headersTimeoutMs: settings.headersTimeoutMs,
    bodyTimeoutMs: settings.headersTimeoutMs,
  });

  async function check(raw: string): Promise<URL> {
    const url = parseTargetUrl(raw);
    assertStaticallyAllowed(url, allowlist);
    // Listed pairs are trusted as they are; literals were judged above. Only names need DNS.
    const needsDns =
      !allowlist.has(url.hostname, effectivePort(url)) && literalAddress(url.hostname) === undefined;
    if (!needsDns) return url;
    // Same budget as the connect phase: a resolver that never answers must not hang the API.
    const deadline = new Deadline(settings.connectTimeoutMs);
    try {
      const addresses = await withAbort(resolveAll(lookup, url.hostname), deadline.signal);
      if (addresses.length === 0) {
        throw new EgressError({
          code: "unresolvable",
          message: "The URL's host name does not resolve.",
          url: url.href,
        });
      }
      const verdict = refusedClass(addresses);
      if (verdict !== undefined) throw addressRefused(url.href, verdict, "resolves to");
      return url;
    } catch (err) {
      throw toEgressError(err, url.href, deadline);
    } finally {
      deadline.clear();
    }
  }

  async function request(raw: string, init: EgressRequestInit = {}): Promise<EgressResponse> {
    const maxBytes = init.maxBytes ?? settings.maxBytes;
    const deadline = new Deadline(init.timeoutMs ?? settings.timeoutMs, init.signal);
    let current: URL | undefined;
    try {
      current = parseTargetUrl(raw);
      let hop: Hop = {
        method: (init.method ?? "GET").toUpperCase(),
        headers: { "user-agent": settings.userAgent, ...init.headers },
        body: init.body,
      };
      for (let redirects = 0; ; redirects++) {
        // Early, friendly refusal; the connector repeats the address check where it cannot be raced.
        assertStaticallyAllowed(current, allowlist);
        const res = await undiciRequest(current, {
          dispatcher: agent,
          method: hop.method,
          headers: hop.headers,
          body: hop.body,
          signal: deadline.signal,
        });
        const location = firstHeader(res.headers.location);
        if (init.redirect !== "follow" || !isRedirect(res.statusCode) || location === undefined) {
          const url = current.href;
          return {
            status: res.statusCode,
            headers: flattenHeaders(res.headers),
            url,
            body: createBody({
              stream: res.body,
              maxBytes,
              declaredLength: contentLength(res.headers),
              url,
              mapError: (err) => toEgressError(err, url, deadline),
              onSettled: () => deadline.clear(),
            }),
          };
        }
        destroyQuietly(res.body);
        if (redirects >= settings.maxRedirects) {
          throw new EgressError({
            code: "too_many_redirects",
            message: `More than ${settings.maxRedirects} redirects.`,
            url: current.href,
          });
        }
        const next = parseTargetUrl(location, current);
        hop = nextHop(hop, res.statusCode, current, next);
        current = next;
      }
    } catch (err) {
      deadline.clear();
      throw toEgressError(err, current ? redactedHref(current) : raw, deadline);
    }
  }

  async function download(
    raw: string,
    opts: { maxBytes?: number; timeoutMs?: number; signal?: AbortSignal } = {},
  ): Promise<EgressDownload> {
    const res = await request(raw, { ...opts, method: "GET", redirect: "follow" });
    if (res.status < 200 || res.status > 299) {
      await res.body.discard();
      throw new EgressError({
        code: "http_status",
        message: `The server answered with HTTP status ${res.status}.`,
        url: res.url,
        status: res.status,
      });
    }
    const bytes = await res.body.buffer();
    return { bytes, contentType: res.headers["content-type"], url: res.url };
  }

  return { check, request, download, close: () => agent.close() };
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

function contentLength(headers: IncomingHttpHeaders): number | undefined {
  const value = Number(firstHeader(headers["content-length"]));
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function withAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
