import { isIPv6 } from "node:net";

/**
 * The only exception to the address policy: exact `host:port` pairs from `EGRESS_ALLOWLIST`
 * (`127.0.0.1:9000,localhost:8081,[::1]:8080`). Exact on purpose — no wildcards, no CIDRs, no
 * "any port" — so that allowing a local test server never opens the rest of the host.
 */
export interface Allowlist {
  /** `hostname` as the URL parser spells it (`[::1]`) or bare IPv6 (`::1`, as undici's connector sees it). */
  has(hostname: string, port: number): boolean;
  readonly entries: readonly string[];
}

/**
 * Parse the entries once, at startup, and throw on any entry that is not `host:port` so a typo
 * in the environment fails the boot instead of silently allowing nothing (or something else).
 */
export function parseAllowlist(entries: readonly string[] = []): Allowlist {
  const keys = new Set<string>();
  const problems: string[] = [];
  for (const raw of entries) {
    const key = normaliseEntry(raw.trim());
    if (key) keys.add(key);
    else problems.push(`"${raw}"`);
  }
  if (problems.length > 0) {
    throw new Error(
      `EGRESS_ALLOWLIST entries must be host:port (e.g. 127.0.0.1:9000): ${problems.join(", ")}`,
    );
  }
  return {
    has: (hostname, port) => keys.has(`${bracketIPv6(hostname.toLowerCase())}:${port}`),
    entries: [...keys],
  };
}

/** The port a URL connects to, with the scheme's default filled in. */
export function effectivePort(url: URL): number {
  if (url.port !== "") return Number(url.port);
  return url.protocol === "https:" ? 443 : 80;
}

function normaliseEntry(entry: string): string | undefined {
  const match = /^(.+):(\d{1,5})$/.exec(entry);
  if (!match) return undefined;
  const [, host, portText] = match;
  const port = Number(portText);
  if (!host || port < 1 || port > 65_535) return undefined;
  // A colon outside brackets would be a second port (`host:80:90`), which the parser would half-accept.
  if (host.includes(":") && !/^\[[^\]]+\]$/.test(host)) return undefined;
  // Let the WHATWG parser spell the host exactly as it will spell it in request URLs:
  // lower case, IPv6 compressed, legacy IPv4 forms (`127.1`) expanded.
  let url: URL;
  try {
    url = new URL(`http://${host}/`);
  } catch {
    return undefined;
  }
  if (url.username || url.password || url.port || url.pathname !== "/" || url.search || url.hash) {
    return undefined;
  }
  // Plain names and IP literals only: a `*` would parse as a host name but never mean a wildcard here.
  if (!/^(?:[a-z0-9_.-]+|\[[0-9a-f:.]+\])$/.test(url.hostname)) return undefined;
  return `${url.hostname}:${port}`;
}

function bracketIPv6(hostname: string): string {
  return isIPv6(hostname) ? `[${hostname}]` : hostname;
}
