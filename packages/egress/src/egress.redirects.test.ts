import type { IncomingMessage, ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEgress, type Egress } from "./egress";
import { egressError, scriptedLookup, startServer, type TestServer } from "./test-support";

/** The allow-listed server: redirects wherever `?to=` says, counts down `/chain/N`, echoes the rest. */
let listed: TestServer;
/** A loopback server that is NOT allow-listed: the private target redirects try to reach. */
let hidden: TestServer;
let egress: Egress;

function redirect(res: ServerResponse, status: number, location: string) {
  res.writeHead(status, { location });
  res.end("moved");
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += chunk;
  return text;
}

beforeAll(async () => {
  listed = await startServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const chain = /^\/chain\/(\d+)$/.exec(url.pathname);
    if (chain) {
      const left = Number(chain[1]);
      if (left === 0) res.end("end of chain");
      else redirect(res, 302, `/chain/${left - 1}`);
      return;
    }
    const to = url.searchParams.get("to");
    if (to !== null) return redirect(res, Number(url.searchParams.get("status") ?? 302), to);
    const body = await readBody(req);
    res.end(JSON.stringify({ method: req.method, auth: req.headers.authorization ?? null, body }));
  });
  hidden = await startServer((_req, res) => res.end("internal secrets"));
  egress = createEgress({
    allowlist: [listed.hostPort, `localhost:${listed.port}`],
    maxRedirects: 3,
    lookup: scriptedLookup({ localhost: ["127.0.0.1"], "internal.example": ["127.0.0.1"] }),
  });
});
afterAll(async () => {
  await egress.close();
  await listed.close();
  await hidden.close();
});

const via = (to: string, status = 302) => `${listed.origin}/?to=${encodeURIComponent(to)}&status=${status}`;

describe("redirects", () => {
  it("returns a 3xx as it is unless asked to follow", async () => {
    const res = await egress.request(via(`${hidden.origin}/`));
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe(`${hidden.origin}/`);
    await res.body.discard();
    expect(hidden.connections).toBe(0);
  });

  it("follows a chain within the cap and reports the final URL", async () => {
    const res = await egress.request(`${listed.origin}/chain/3`, { redirect: "follow" });
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${listed.origin}/chain/0`);
    expect(await res.body.text()).toBe("end of chain");
  });

  it("fails a chain past the cap", async () => {
    const err = await egressError(egress.request(`${listed.origin}/chain/4`, { redirect: "follow" }));
    expect(err.code).toBe("too_many_redirects");
    expect(err.url).toBe(`${listed.origin}/chain/1`);
    expect((await egressError(egress.download(`${listed.origin}/chain/10`))).code).toBe("too_many_redirects");
  });

  it.each([
    ["a non-listed loopback server", () => `${hidden.origin}/`],
    ["a name that resolves to loopback", () => `http://internal.example:${hidden.port}/`],
    ["an integer-spelled loopback address", () => `http://2130706433:${hidden.port}/`],
    ["IPv4-mapped IPv6 loopback", () => `http://[::ffff:127.0.0.1]:${hidden.port}/`],
  ])("refuses a redirect from an allow-listed server to %s", async (_name, target) => {
    const err = await egressError(egress.request(via(target()), { redirect: "follow" }));
    expect(err.code).toBe("url_not_allowed");
    expect(hidden.connections).toBe(0);
  });

  it.each([
    ["cloud metadata", "http://169.254.169.254/latest/meta-data/", "url_not_allowed"],
    ["a private network", "http://10.0.0.1/", "url_not_allowed"],
    ["a file", "file:///etc/passwd", "url_not_allowed"],
    ["a URL with credentials", "http://user:pass@example.com/", "url_not_allowed"],
    ["a malformed location", "http://[::1/", "url_invalid"],
  ])("refuses a redirect to %s", async (_name, target, code) => {
    const err = await egressError(egress.download(via(target)));
    expect(err.code).toBe(code);
    expect(err.url).not.toContain("pass@");
  });

  it("turns a POST into a bodiless GET on 303 and keeps it on 307", async () => {
    const post = { method: "POST", body: "payload", redirect: "follow" as const };
    const seeOther = await egress.request(via("/echo", 303), post);
    expect(JSON.parse(await seeOther.body.text())).toEqual({ method: "GET", auth: null, body: "" });
    const temporary = await egress.request(via("/echo", 307), post);
    expect(JSON.parse(await temporary.body.text())).toEqual({ method: "POST", auth: null, body: "payload" });
  });

  it("drops credentials on a cross-origin hop and keeps them on a same-origin one", async () => {
    const headers = { authorization: "Bearer t0ken" };
    const same = await egress.request(via("/echo"), { headers, redirect: "follow" });
    expect(JSON.parse(await same.body.text()).auth).toBe("Bearer t0ken");
    const crossTarget = `http://localhost:${listed.port}/echo`;
    const cross = await egress.request(via(crossTarget), { headers, redirect: "follow" });
    expect(cross.url).toBe(crossTarget);
    expect(JSON.parse(await cross.body.text()).auth).toBeNull();
  });
});
