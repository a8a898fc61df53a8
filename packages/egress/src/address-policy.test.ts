import { describe, expect, it } from "vitest";
import { type AddressClass, classifyAddress, isPublicAddress } from "./address-policy";

const REFUSED: Array<[string, AddressClass]> = [
  // IPv4 special-purpose ranges
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  ["10.0.0.1", "private"],
  ["10.255.255.255", "private"],
  ["100.64.0.1", "cgnat"],
  ["100.127.255.254", "cgnat"],
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["169.254.0.1", "link_local"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["192.0.0.8", "reserved"],
  ["192.0.2.1", "documentation"],
  ["192.88.99.1", "reserved"],
  ["192.168.1.1", "private"],
  ["198.18.0.1", "benchmarking"],
  ["198.19.255.255", "benchmarking"],
  ["198.51.100.7", "documentation"],
  ["203.0.113.9", "documentation"],
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast"],
  ["240.0.0.1", "reserved"],
  ["255.255.255.255", "broadcast"],
  // Cloud metadata, named as such even where a broader range also covers them
  ["169.254.169.254", "cloud_metadata"],
  ["169.254.170.2", "cloud_metadata"],
  ["100.100.100.200", "cloud_metadata"],
  ["168.63.129.16", "cloud_metadata"],
  ["fd00:ec2::254", "cloud_metadata"],
  ["::ffff:169.254.169.254", "cloud_metadata"],
  // IPv6
  ["::", "unspecified"],
  ["::1", "loopback"],
  ["fc00::1", "unique_local"],
  ["fdff:ffff::1", "unique_local"],
  ["fe80::1", "link_local"],
  ["fe80::1%eth0", "link_local"],
  ["febf::1", "link_local"],
  ["fec0::1", "site_local"],
  ["ff02::1", "multicast"],
  ["2001:db8::1", "documentation"],
  ["3fff::1", "documentation"],
  ["2001:2::1", "benchmarking"],
  ["2001:20::1", "reserved"],
  ["100::1", "reserved"], // discard-only, outside 2000::/3
  ["4000::1", "reserved"], // unassigned, outside 2000::/3
  ["5f00::1", "reserved"],
  // IPv6 carrying an IPv4 address: judged by the IPv4 address
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["::ffff:10.0.0.1", "private"],
  ["::127.0.0.1", "loopback"], // IPv4-compatible (deprecated)
  ["::ffff:0:a00:1", "private"], // IPv4-translated (SIIT)
  ["64:ff9b::a00:1", "private"], // NAT64 → 10.0.0.1
  ["64:ff9b::127.0.0.1", "loopback"],
  ["64:ff9b::a9fe:a9fe", "cloud_metadata"], // NAT64 → 169.254.169.254
  ["64:ff9b:1::1", "nat64_local"],
  ["2002:7f00:1::1", "loopback"], // 6to4 of 127.0.0.1
  ["2002:c0a8:101::1", "private"], // 6to4 of 192.168.1.1
  ["2001:0:4136:e378:8000:63bf:80ff:fffe", "loopback"], // Teredo, client 127.0.0.1 (inverted)
];

const PUBLIC = [
  "93.184.216.34",
  "1.1.1.1",
  "8.8.8.8",
  "100.63.255.255", // just below CGNAT
  "100.128.0.0", // just above CGNAT
  "172.15.255.255",
  "172.32.0.0",
  "192.167.255.255",
  "223.255.255.255",
  "2606:4700::1111",
  "2a00:1450:4001:81b::200e",
  "::ffff:93.184.216.34",
  "64:ff9b::5db8:d822", // NAT64 of 93.184.216.34
  "2002:5db8:d822::1", // 6to4 of 93.184.216.34
];

describe("classifyAddress", () => {
  it.each(REFUSED)("refuses %s as %s", (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(PUBLIC)("allows public %s", (address) => {
    expect(classifyAddress(address)).toBe("public");
  });

  it.each(["2130706433", "0x7f000001", "0177.0.0.1", "127.1", "localhost", "", "1.2.3.4.5", "[::1]"])(
    "does not guess at non-canonical or non-address text %j",
    (text) => {
      expect(classifyAddress(text)).toBe("invalid");
      expect(isPublicAddress(text)).toBe(false);
    },
  );
});
