import { describe, expect, it } from "vitest";
import { effectivePort, parseAllowlist } from "./allowlist";

describe("parseAllowlist", () => {
  const list = parseAllowlist([
    "127.0.0.1:9000",
    "LocalHost:8081",
    "[::1]:8080",
    " minio:9000 ",
    "127.1:7000",
  ]);

  it("normalises entries the way the URL parser spells hosts", () => {
    expect(list.entries).toEqual([
      "127.0.0.1:9000",
      "localhost:8081",
      "[::1]:8080",
      "minio:9000",
      "127.0.0.1:7000",
    ]);
  });

  it.each([
    ["127.0.0.1", 9000, true],
    ["127.0.0.1", 9001, false],
    ["LOCALHOST", 8081, true],
    ["localhost", 80, false],
    ["[::1]", 8080, true],
    ["::1", 8080, true], // as undici's connector sees an IPv6 host
    ["[::1]", 9000, false],
    ["minio", 9000, true],
    ["minio.", 9000, false], // exact: a trailing dot is another name
    ["127.0.0.2", 9000, false],
  ])("has(%s, %d) is %s", (host, port, expected) => {
    expect(list.has(host, port)).toBe(expected);
  });

  it("is empty by default", () => {
    expect(parseAllowlist().has("127.0.0.1", 80)).toBe(false);
  });

  it.each([
    "127.0.0.1",
    "localhost",
    ":8080",
    "127.0.0.1:0",
    "127.0.0.1:65536",
    "127.0.0.1:http",
    "::1:8080",
    "host:80:90",
    "user@host:80",
    "http://host:80",
    "host/path:80",
    "*.example.com:443",
    "10.0.0.0/8:80",
  ])("refuses the entry %j and names it", (entry) => {
    expect(() => parseAllowlist(["127.0.0.1:9000", entry])).toThrow(JSON.stringify(entry));
  });
});

describe("effectivePort", () => {
  it.each([
    ["http://a/", 80],
    ["https://a/", 443],
    ["http://a:443/", 443],
    ["https://a:80/", 80],
    ["http://a:8080/", 8080],
  ])("%s → %d", (url, port) => {
    expect(effectivePort(new URL(url))).toBe(port);
  });
});
