import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIPv6, type LookupFunction } from "node:net";
import { type AddressClass, classifyAddress } from "./address-policy";
import { addressRefused } from "./url-policy";

/** `dns.lookup` (getaddrinfo: /etc/hosts, then DNS), the resolver Node itself uses by default. */
export const systemLookup: LookupFunction = dnsLookup as LookupFunction;

/** Every address a lookup function gives for a name, whatever shape it answers in. */
export function resolveAll(
  lookup: LookupFunction,
  hostname: string,
  options: LookupOptions = {},
): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    lookup(hostname, { ...options, all: true }, (err, address, family) => {
      if (err) reject(err);
      else if (Array.isArray(address)) resolve(address);
      else resolve([{ address, family: family ?? (isIPv6(address) ? 6 : 4) }]);
    });
  });
}

/**
 * The first refused class among the addresses, if any. One bad answer refuses the whole name:
 * with several addresses the socket may try any of them (happy eyeballs), so all must be safe.
 */
export function refusedClass(addresses: readonly LookupAddress[]): AddressClass | undefined {
  for (const { address } of addresses) {
    const verdict = classifyAddress(address);
    if (verdict !== "public") return verdict;
  }
  return undefined;
}

/**
 * A `lookup` for `net.connect`/`tls.connect` that resolves once, judges every answer, and hands
 * the socket exactly the addresses it judged. Because the check runs inside the connection's own
 * resolution, a name that answers public to an earlier check and private to the connection (DNS
 * rebinding) is refused instead of connected: there is no second resolution to race.
 */
export function guardedLookup(lookup: LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    resolveAll(lookup, hostname, options).then(
      (addresses) => {
        if (addresses.length === 0) {
          callback(notFound(hostname), "");
          return;
        }
        const verdict = refusedClass(addresses);
        if (verdict !== undefined) {
          callback(addressRefused(hostname, verdict, "resolves to") as NodeJS.ErrnoException, "");
          return;
        }
        // Node asks for `all` when it may race IPv4 and IPv6 (autoSelectFamily); give it the whole
        // judged list then, and otherwise the first judged address — never a fresh answer.
        if (options.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ""),
    );
  };
}

/** Same shape as the resolver's own error, so callers map both alike. */
export function notFound(hostname: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
  err.code = "ENOTFOUND";
  err.syscall = "getaddrinfo";
  return err;
}
