import { afterAll, describe, expect, it } from "vitest";
import { createEgress } from "./egress";
import { EgressError, type EgressErrorCode } from "./errors";
import { scriptedLookup } from "./test-support";

/** Public-looking names answer from this table; no test touches real DNS. */
const lookup = scriptedLookup({
  "example.com": ["93.184.216.34"],
  "v6.example.com": ["2606:4700::1111"],
  "dual.example.com": ["93.184.216.34", "2606:4700::1111"],
  localhost: ["127.0.0.1", "::1"],
  "localtest.me": ["127.0.0.1"],
  "127.0.0.1.nip.io": ["127.0.0.1"],
  "metadata.google.internal": ["169.254.169.254"],
  "intranet.example.com": ["10.1.2.3"],
  "v6-internal.example.com": ["fd12:3456::1"],
  "mapped.example.com": ["::ffff:192.168.0.10"],
});
const egress = createEgress({ lookup });
afterAll(() => egress.close());

const NOT_ALLOWED: string[] = [
  // Loopback in every spelling the WHATWG parser normalises to 127.0.0.1
  "http://127.0.0.1:6379/",
  "http://127.0.0.1/",
  "http://127.1/",
  "http://2130706433/",
  "http://0x7f000001/",
  "http://0x7f.1/",
  "http://0177.0.0.1/",
  "http://0177.1/",
  "http://%31%32%37.0.0.1/",
  "http://127.255.255.254:8080/",
  "http://[::1]/",
  "http://[::1]:8080/",
  "http://[0:0:0:0:0:0:0:1]/",
  "http://[::ffff:127.0.0.1]/",
  "http://[::ffff:7f00:1]/",
  "http://[::127.0.0.1]/",
  // Unspecified, broadcast, multicast, reserved
  "http://0.0.0.0/",
  "http://0/",
  "http://[::]/",
  "http://255.255.255.255/",
  "http://224.0.0.1/",
  "http://240.0.0.1/",
  // Private, CGNAT, link-local, ULA, documentation
  "http://10.0.0.1/",
  "http://172.16.0.1/",
  "http://192.168.1.1/",
  "https://192.168.1.1:8443/admin",
  "http://100.64.0.1/",
  "http://[fc00::1]/",
  "http://[fe80::1]/",
  "http://192.0.2.10/",
  "http://[2001:db8::1]/",
  // Cloud metadata
  "http://169.254.169.254/latest/meta-data/",
  "http://[fd00:ec2::254]/latest/meta-data/",
  "http://100.100.100.200/latest/meta-data/",
  "http://[::ffff:a9fe:a9fe]/",
  // IPv6 that embeds a private IPv4 address
  "http://[64:ff9b::a00:1]/",
  "http://[2002:c0a8:101::1]/",
  // Names that resolve to non-public addresses
  "http://localhost/",
  "http://localtest.me/",
  "http://127.0.0.1.nip.io/",
  "http://metadata.google.internal/computeMetadata/v1/",
  "http://intranet.example.com/",
  "http://v6-internal.example.com/",
  "http://mapped.example.com/",
  // Schemes and credentials
  "file:///etc/passwd",
  "gopher://x/",
  "ftp://x/",
  "data:,hello",
  "javascript:alert(1)",
  "ws://example.com/",
  "blob:https://example.com/uuid",
  "http://user:pass@example.com/",
  "http://user@example.com/",
  "https://:pass@example.com/",
];

const INVALID = [
  "",
  "not a url",
  "http://",
  "http://[::1/",
  "http://1.2.3.4.5/",
  "http://exa mple.com/",
  "//example.com/",
];

const ALLOWED = [
  "http://93.184.216.34/",
  "https://93.184.216.34:8443/a.jpg",
  "http://[2606:4700::1111]/",
  "https://example.com/image.png?sig=abc",
  "http://EXAMPLE.com:8080/",
  "https://v6.example.com/",
  "https://dual.example.com/",
  "http://[::ffff:93.184.216.34]/",
  "http://[64:ff9b::5db8:d822]/",
];

async function codeOf(url: string): Promise<EgressErrorCode | "ok"> {
  try {
    await egress.check(url);
    return "ok";
  } catch (err) {
    if (err instanceof EgressError) return err.code;
    throw err;
  }
}

describe("check(): the URL table", () => {
  it("covers at least 40 refused URLs", () => {
    expect(NOT_ALLOWED.length + INVALID.length).toBeGreaterThanOrEqual(40);
  });

  it.each(NOT_ALLOWED)("refuses %s", async (url) => {
    expect(await codeOf(url)).toBe("url_not_allowed");
  });

  it.each(INVALID)("rejects unparseable %j", async (url) => {
    expect(await codeOf(url)).toBe("url_invalid");
  });

  it.each(ALLOWED)("allows %s", async (url) => {
    expect(await codeOf(url)).toBe("ok");
  });

  it("relies on the WHATWG parser to normalise legacy IPv4 forms", async () => {
    for (const spelling of ["2130706433", "0x7f000001", "0x7f.1", "0177.0.0.1", "127.1"]) {
      expect(new URL(`http://${spelling}/`).hostname).toBe("127.0.0.1");
    }
    expect(new URL("http://[::ffff:127.0.0.1]/").hostname).toBe("[::ffff:7f00:1]");
  });

  it("returns the parsed, normalised URL", async () => {
    const url = await egress.check("HTTP://Example.COM:80/a b");
    expect(url.href).toBe("http://example.com/a%20b");
  });

  it("reports an unknown name as unresolvable", async () => {
    expect(await codeOf("http://no-such-host.example/")).toBe("unresolvable");
  });

  it("refuses an over-long URL", async () => {
    expect(await codeOf(`https://example.com/${"a".repeat(9000)}`)).toBe("url_invalid");
  });

  it("gives messages safe to show: the kind of range, never the resolved address", async () => {
    const err = (await egress.check("http://intranet.example.com/").catch((e: unknown) => e)) as EgressError;
    expect(err.message).toBe("The URL's host resolves to a non-public address (private).");
    expect(err.message).not.toContain("10.1.2.3");
    expect(err.url).toBe("http://intranet.example.com/");
  });
});
