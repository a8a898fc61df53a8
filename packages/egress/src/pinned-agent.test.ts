import { request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllowlist } from "./allowlist";
import { EgressError } from "./errors";
import { createPinnedAgent } from "./pinned-agent";
import { scriptedLookup, startServer, type TestServer } from "./test-support";

/**
 * The connector on its own, with no URL checks in front of it: what stops a request whose URL
 * checks were skipped or raced. egress.ts always checks first; this proves it need not be trusted to.
 */
let v4: TestServer;
let v6: TestServer;

beforeAll(async () => {
  v4 = await startServer((_req, res) => res.end("v4"));
  v6 = await startServer((_req, res) => res.end("v6"), "::1");
});
afterAll(async () => {
  await v4.close();
  await v6.close();
});

function agentWith(allowlist: string[]) {
  return createPinnedAgent({
    allowlist: parseAllowlist(allowlist),
    lookup: scriptedLookup({ "named.example": ["127.0.0.1"], "public.example": ["93.184.216.34"] }),
    connectTimeoutMs: 1_000,
    headersTimeoutMs: 1_000,
    bodyTimeoutMs: 1_000,
  });
}

async function refusedCode(url: string, allowlist: string[] = []): Promise<string> {
  const agent = agentWith(allowlist);
  try {
    const err = await request(url, { dispatcher: agent }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(EgressError);
    return (err as EgressError).code;
  } finally {
    await agent.close();
  }
}

describe("createPinnedAgent", () => {
  it("refuses IP-literal hosts itself, since Node never calls lookup for them", async () => {
    expect(await refusedCode(`${v4.origin}/`)).toBe("url_not_allowed");
    expect(await refusedCode(`${v6.origin}/`)).toBe("url_not_allowed");
    expect(await refusedCode("https://169.254.169.254/")).toBe("url_not_allowed");
    expect(v4.connections + v6.connections).toBe(0);
  });

  it("refuses names that resolve to private addresses, over http and https", async () => {
    expect(await refusedCode(`http://named.example:${v4.port}/`)).toBe("url_not_allowed");
    expect(await refusedCode(`https://named.example:${v4.port}/`)).toBe("url_not_allowed");
    expect(v4.connections).toBe(0);
  });

  it("connects to allow-listed host:port pairs, literal or named", async () => {
    const agent = agentWith([v4.hostPort, v6.hostPort, `named.example:${v4.port}`]);
    try {
      for (const [url, expected] of [
        [`${v4.origin}/`, "v4"],
        [`${v6.origin}/`, "v6"],
        [`http://named.example:${v4.port}/`, "v4"],
      ]) {
        const res = await request(url!, { dispatcher: agent });
        expect(await res.body.text()).toBe(expected);
      }
    } finally {
      await agent.close();
    }
  });
});
