import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEgress, type EgressOptions } from "./egress";
import { egressError, scriptedLookup, startServer, type TestServer } from "./test-support";

let server: TestServer;
let v6: TestServer;

beforeAll(async () => {
  server = await startServer((req, res) => res.end(`hello ${req.method} ${req.url}`));
  v6 = await startServer((_req, res) => res.end("hello v6"), "::1");
});
afterAll(async () => {
  await server.close();
  await v6.close();
});

const PUBLIC = "93.184.216.34";

/** A fresh egress per test; closed afterwards so no pooled connection carries over. */
async function withEgress<T>(
  options: EgressOptions,
  run: (egress: ReturnType<typeof createEgress>) => Promise<T>,
) {
  const egress = createEgress({ lookup: scriptedLookup({}), ...options });
  try {
    return await run(egress);
  } finally {
    await egress.close();
  }
}

describe("allowlist: the exact host:port is the only exception", () => {
  it("reaches an allow-listed loopback server", async () => {
    await withEgress({ allowlist: [server.hostPort] }, async (egress) => {
      await expect(egress.check(`${server.origin}/x`)).resolves.toBeInstanceOf(URL);
      const res = await egress.request(`${server.origin}/x`);
      expect(res.status).toBe(200);
      expect(await res.body.text()).toBe("hello GET /x");
    });
  });

  it("refuses the same server when it is not listed, without connecting", async () => {
    const before = server.connections;
    await withEgress({}, async (egress) => {
      expect((await egressError(egress.check(`${server.origin}/`))).code).toBe("url_not_allowed");
      const err = await egressError(egress.request(`${server.origin}/`));
      expect(err.code).toBe("url_not_allowed");
      expect(err.message).toContain("loopback");
    });
    expect(server.connections).toBe(before);
  });

  it("refuses the listed host on another port", async () => {
    await withEgress({ allowlist: [`127.0.0.1:${server.port + 1}`] }, async (egress) => {
      expect((await egressError(egress.request(`${server.origin}/`))).code).toBe("url_not_allowed");
    });
  });

  it("matches a listed name case-insensitively and uses the default port when none is written", async () => {
    const lookup = scriptedLookup({ localhost: ["127.0.0.1"] });
    await withEgress({ allowlist: [`LocalHost:${server.port}`, "localhost:80"], lookup }, async (egress) => {
      const res = await egress.request(`http://LOCALHOST:${server.port}/n`);
      expect(await res.body.text()).toBe("hello GET /n");
      await expect(egress.check("http://localhost/")).resolves.toBeInstanceOf(URL);
      expect((await egressError(egress.check("https://localhost/"))).code).toBe("url_not_allowed");
    });
  });

  it("reaches an allow-listed IPv6 loopback server", async () => {
    await withEgress({ allowlist: [v6.hostPort] }, async (egress) => {
      const res = await egress.request(`${v6.origin}/`);
      expect(await res.body.text()).toBe("hello v6");
    });
    await withEgress({}, async (egress) => {
      expect((await egressError(egress.request(`${v6.origin}/`))).code).toBe("url_not_allowed");
    });
  });

  it("applies to the URL's host, not to what a name resolves to", async () => {
    // 127.0.0.1:PORT is listed, but a public-looking name resolving there is still refused.
    const lookup = scriptedLookup({ "evil.example": ["127.0.0.1"] });
    const before = server.connections;
    await withEgress({ allowlist: [server.hostPort], lookup }, async (egress) => {
      const err = await egressError(egress.request(`http://evil.example:${server.port}/`));
      expect(err.code).toBe("url_not_allowed");
      expect(err.url).toBe(`http://evil.example:${server.port}/`);
    });
    expect(server.connections).toBe(before);
  });

  it("fails fast on a malformed allowlist entry or a cap that would disable itself", () => {
    expect(() => createEgress({ allowlist: ["127.0.0.1"] })).toThrow(/host:port/);
    expect(() => createEgress({ maxBytes: Number.NaN })).toThrow(RangeError);
    expect(() => createEgress({ timeoutMs: 0 })).toThrow(RangeError);
    expect(() => createEgress({ maxRedirects: -1 })).toThrow(RangeError);
  });
});

describe("DNS: resolved once, judged, and pinned", () => {
  it("refuses a public name that resolves to a private address, at check and at connect", async () => {
    const lookup = scriptedLookup({ "images.example": ["127.0.0.1"] });
    const before = server.connections;
    await withEgress({ lookup }, async (egress) => {
      const url = `http://images.example:${server.port}/a.jpg`;
      expect((await egressError(egress.check(url))).message).toContain("resolves to a non-public address");
      expect((await egressError(egress.request(url))).code).toBe("url_not_allowed");
    });
    expect(server.connections).toBe(before);
  });

  it("refuses a name when any one of its addresses is private", async () => {
    const lookup = scriptedLookup({ "mixed.example": [PUBLIC, "10.0.0.5"] });
    await withEgress({ lookup }, async (egress) => {
      expect((await egressError(egress.check("http://mixed.example/"))).code).toBe("url_not_allowed");
      expect((await egressError(egress.request("http://mixed.example/"))).code).toBe("url_not_allowed");
    });
  });

  it("never connects to the private answer of a rebinding name", async () => {
    // First answer public (passes the API-side check), every later answer private.
    const lookup = scriptedLookup({ "rebind.example": (call) => (call === 1 ? [PUBLIC] : ["127.0.0.1"]) });
    const before = server.connections;
    await withEgress({ lookup }, async (egress) => {
      const url = `http://rebind.example:${server.port}/`;
      await expect(egress.check(url)).resolves.toBeInstanceOf(URL);
      const err = await egressError(egress.request(url));
      expect(err.code).toBe("url_not_allowed");
      expect(err.url).toBe(url);
    });
    // The connection resolved the name itself (call 2) and judged that very answer.
    expect(lookup.calls.get("rebind.example")).toBe(2);
    expect(server.connections).toBe(before);
  });

  it("reports a name without addresses as unresolvable", async () => {
    await withEgress({}, async (egress) => {
      expect((await egressError(egress.check("http://nowhere.example/"))).code).toBe("unresolvable");
      expect((await egressError(egress.request("http://nowhere.example/"))).code).toBe("unresolvable");
    });
  });

  it("times out a resolver that never answers, at check and at connect", async () => {
    const lookup = scriptedLookup({ "slow-dns.example": "never" });
    await withEgress({ lookup, connectTimeoutMs: 200 }, async (egress) => {
      expect((await egressError(egress.check("http://slow-dns.example/"))).code).toBe("timeout");
      expect((await egressError(egress.request("http://slow-dns.example/"))).code).toBe("timeout");
    });
  });

  it("rejects URLs that are not http(s) or carry credentials before any lookup", async () => {
    const lookup = scriptedLookup({ "example.com": [PUBLIC] });
    await withEgress({ lookup }, async (egress) => {
      const creds = await egressError(egress.request("http://user:secret@example.com/"));
      expect(creds.code).toBe("url_not_allowed");
      expect(creds.url).not.toContain("secret");
      expect((await egressError(egress.request("file:///etc/passwd"))).code).toBe("url_not_allowed");
      expect((await egressError(egress.request("not a url"))).code).toBe("url_invalid");
    });
    expect(lookup.calls.size).toBe(0);
  });
});
