import { isIP } from "node:net";
import { type AddressClass, classifyAddress } from "./address-policy";
import { type Allowlist, effectivePort } from "./allowlist";
import { EgressError } from "./errors";

/** Longer URLs are refused before parsing; no legitimate image or webhook URL comes near this. */
export const MAX_URL_LENGTH = 8192;

const ALLOWED_PROTOCOLS = new Set(["http:", "https:"]);

/**
 * Parse a user-given URL (or a redirect `Location` against the URL it came from) with the WHATWG
 * parser. The parser is what normalises `http://2130706433/`, `http://0x7f.1/` and
 * `http://0177.0.0.1/` to `127.0.0.1`, so every later check sees the canonical host.
 */
export function parseTargetUrl(raw: string, base?: URL): URL {
  if (raw.length > MAX_URL_LENGTH) {
    throw new EgressError({ code: "url_invalid", message: "The URL is too long.", url: raw.slice(0, 200) });
  }
  try {
    return new URL(raw, base);
  } catch (cause) {
    throw new EgressError({ code: "url_invalid", message: "The URL could not be parsed.", url: raw, cause });
  }
}

/**
 * Every check that needs no DNS: scheme, userinfo, and — for IP-literal hosts — the address
 * policy. Node's `net.connect` never calls `lookup` for an IP literal, so literals must be judged
 * here (and again in the connector), not left to the resolver hook.
 */
export function assertStaticallyAllowed(url: URL, allowlist: Allowlist): void {
  if (!ALLOWED_PROTOCOLS.has(url.protocol)) {
    throw refused(url, "Only http and https URLs are allowed.");
  }
  // Credentials in URLs leak into logs and let `http://trusted@evil/` look like something it is not.
  if (url.username !== "" || url.password !== "") {
    throw refused(url, "URLs with a user name or password are not allowed.");
  }
  if (url.hostname === "") {
    throw new EgressError({ code: "url_invalid", message: "The URL has no host.", url: url.href });
  }
  if (allowlist.has(url.hostname, effectivePort(url))) return;
  const literal = literalAddress(url.hostname);
  if (literal !== undefined) {
    const verdict = classifyAddress(literal);
    if (verdict !== "public") throw addressRefused(url.href, verdict, "is");
  }
}

/** The IP address a hostname spells, without IPv6 brackets; undefined for a DNS name. */
export function literalAddress(hostname: string): string | undefined {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return isIP(bare) === 0 ? undefined : bare;
}

/**
 * The refusal for a non-public address. Names the kind of range (helps a user who pasted a LAN
 * URL) but never the resolved address itself.
 */
export function addressRefused(url: string, verdict: AddressClass, verb: "is" | "resolves to"): EgressError {
  const kind = verdict.replaceAll("_", " ");
  return new EgressError({
    code: "url_not_allowed",
    message: `The URL's host ${verb} a non-public address (${kind}).`,
    url,
  });
}

/** The URL as errors show it: credentials removed (they are refused, but must not be echoed either). */
export function redactedHref(url: URL): string {
  if (url.username === "" && url.password === "") return url.href;
  const shown = new URL(url.href);
  shown.username = "";
  shown.password = "";
  return shown.href;
}

function refused(url: URL, message: string): EgressError {
  return new EgressError({ code: "url_not_allowed", message, url: redactedHref(url) });
}
