import ipaddr from "ipaddr.js";

/**
 * Which kind of address an IP is, for deciding whether facegate may connect to it on a user's
 * behalf. Only `public` is allowed; everything else is refused unless the exact host:port is on
 * the allowlist. Pure: no DNS, no I/O.
 */
export type AddressClass =
  | "public"
  | "invalid"
  | "unspecified"
  | "loopback"
  | "private"
  | "link_local"
  | "cgnat"
  | "multicast"
  | "broadcast"
  | "reserved"
  | "documentation"
  | "benchmarking"
  | "unique_local"
  | "site_local"
  | "cloud_metadata"
  | "nat64_local";

type Range = readonly [ipaddr.IPv4 | ipaddr.IPv6, number];
type RangeTable = ReadonlyArray<readonly [AddressClass, Range]>;

const table = (rows: ReadonlyArray<readonly [AddressClass, string]>): RangeTable =>
  rows.map(([label, cidr]) => [label, ipaddr.parseCIDR(cidr)] as const);

/**
 * Cloud metadata and host-platform endpoints, named first so the refusal says what was aimed at.
 * Most also fall in a range below; 168.63.129.16 (Azure WireServer) is a public address, so it
 * must be listed or it would pass.
 */
const METADATA = table([
  ["cloud_metadata", "169.254.169.254/32"], // AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle
  ["cloud_metadata", "169.254.170.2/32"], // AWS ECS task metadata
  ["cloud_metadata", "100.100.100.200/32"], // Alibaba Cloud
  ["cloud_metadata", "168.63.129.16/32"], // Azure WireServer
  ["cloud_metadata", "192.0.0.192/32"], // Oracle Cloud (legacy)
  ["cloud_metadata", "fd00:ec2::254/128"], // AWS IMDS over IPv6
  ["cloud_metadata", "fd00:ec2::253/128"], // AWS DNS over IPv6
]);

/** IANA IPv4 special-purpose registry, the parts that are not globally reachable destinations. */
const IPV4 = table([
  ["broadcast", "255.255.255.255/32"],
  ["unspecified", "0.0.0.0/8"],
  ["private", "10.0.0.0/8"],
  ["cgnat", "100.64.0.0/10"],
  ["loopback", "127.0.0.0/8"],
  ["link_local", "169.254.0.0/16"],
  ["private", "172.16.0.0/12"],
  ["reserved", "192.0.0.0/24"],
  ["documentation", "192.0.2.0/24"],
  ["reserved", "192.88.99.0/24"], // deprecated 6to4 relay anycast
  ["private", "192.168.0.0/16"],
  ["benchmarking", "198.18.0.0/15"],
  ["documentation", "198.51.100.0/24"],
  ["documentation", "203.0.113.0/24"],
  ["multicast", "224.0.0.0/4"],
  ["reserved", "240.0.0.0/4"],
]);

/**
 * IPv6 ranges refused inside 2000::/3. Everything outside 2000::/3 that does not embed an IPv4
 * address is refused as well (see classifyIPv6), so ::1, fc00::/7, fe80::/10, ff00::/8 and any
 * future assignment are refused by default instead of being listed one by one.
 */
const IPV6_GLOBAL_EXCEPTIONS = table([
  ["benchmarking", "2001:2::/48"],
  ["reserved", "2001:10::/28"], // ORCHID (deprecated)
  ["reserved", "2001:20::/28"], // ORCHIDv2: identifiers, not locators
  ["documentation", "2001:db8::/32"],
  ["documentation", "3fff::/20"],
  ["reserved", "5f00::/16"], // SRv6 SIDs
]);

const IPV6_OUTSIDE_GLOBAL = table([
  ["unspecified", "::/128"],
  ["loopback", "::1/128"],
  ["unique_local", "fc00::/7"],
  ["link_local", "fe80::/10"],
  ["site_local", "fec0::/10"],
  ["multicast", "ff00::/8"],
]);

const GLOBAL_UNICAST = ipaddr.parseCIDR("2000::/3");
const NAT64_WELL_KNOWN = ipaddr.parseCIDR("64:ff9b::/96");
const NAT64_LOCAL_USE = ipaddr.parseCIDR("64:ff9b:1::/48");
const IPV4_COMPATIBLE = ipaddr.parseCIDR("::/96");
const IPV4_TRANSLATED = ipaddr.parseCIDR("::ffff:0:0:0/96");
const SIX_TO_FOUR = ipaddr.parseCIDR("2002::/16");
const TEREDO = ipaddr.parseCIDR("2001::/32");

/**
 * Classify a textual IP address (dotted-quad IPv4 or any IPv6 form). Anything else, including the
 * legacy IPv4 spellings `inet_aton` accepts (`0x7f.1`, `2130706433`), is `invalid`: those must be
 * normalised by the WHATWG URL parser before they get here, never guessed at.
 */
export function classifyAddress(address: string): AddressClass {
  if (ipaddr.IPv4.isValidFourPartDecimal(address)) return classifyIPv4(ipaddr.IPv4.parse(address));
  if (ipaddr.IPv6.isValid(address)) return classifyIPv6(ipaddr.IPv6.parse(address));
  return "invalid";
}

export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === "public";
}

function classifyIPv4(ip: ipaddr.IPv4): AddressClass {
  return lookupRange(ip, METADATA) ?? lookupRange(ip, IPV4) ?? "public";
}

function classifyIPv6(ip: ipaddr.IPv6): AddressClass {
  const metadata = lookupRange(ip, METADATA);
  if (metadata) return metadata;
  const outside = lookupRange(ip, IPV6_OUTSIDE_GLOBAL);
  if (outside) return outside;
  // Addresses that carry an IPv4 address are judged by that address: a NAT64 gateway, a 6to4
  // relay or the kernel's own mapping would deliver the packets to it.
  const embedded = embeddedIPv4(ip);
  if (embedded) return classifyIPv4(embedded);
  if (ip.match(NAT64_LOCAL_USE)) return "nat64_local";
  if (!ip.match(GLOBAL_UNICAST)) return "reserved";
  return lookupRange(ip, IPV6_GLOBAL_EXCEPTIONS) ?? "public";
}

function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const p = ip.parts;
  const fromParts = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  if (ip.isIPv4MappedAddress() || ip.match(IPV4_TRANSLATED) || ip.match(NAT64_WELL_KNOWN)) {
    return fromParts(p[6]!, p[7]!);
  }
  // IPv4-compatible (::a.b.c.d, deprecated); :: and ::1 were classified before we get here.
  if (ip.match(IPV4_COMPATIBLE)) return fromParts(p[6]!, p[7]!);
  // 6to4: 2002:AABB:CCDD::/48 routes to AA.BB.CC.DD.
  if (ip.match(SIX_TO_FOUR)) return fromParts(p[1]!, p[2]!);
  // Teredo: the client's IPv4 address is the last 32 bits, inverted.
  if (ip.match(TEREDO)) return fromParts(~p[6]! & 0xffff, ~p[7]! & 0xffff);
  return undefined;
}

function lookupRange(ip: ipaddr.IPv4 | ipaddr.IPv6, ranges: RangeTable): AddressClass | undefined {
  for (const [label, [network, bits]] of ranges) {
    if (network.kind() === ip.kind() && ip.match(network, bits)) return label;
  }
  return undefined;
}
