import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEgress, type Egress } from "./egress";
import { EgressError } from "./errors";
import { startServer, type TestServer } from "./test-support";

const CHUNK = Buffer.alloc(16 * 1024, 0x61);
let server: TestServer;
let egress: Egress;
/** What the latest `/endless` response managed to write, and when its socket went away. */
let endless = { written: 0, closed: Promise.resolve() };

beforeAll(async () => {
  server = await startServer((req, res) => {
    switch (req.url) {
      case "/small":
        res.writeHead(200, { "content-type": "image/jpeg" });
        return res.end(Buffer.alloc(1000, 0x62));
      case "/endless": {
        // Streams without Content-Length until the client hangs up.
        res.writeHead(200, { "content-type": "application/octet-stream" });
        const state = {
          written: 0,
          closed: new Promise<void>((resolve) => req.socket.once("close", resolve)),
        };
        endless = state;
        const pump = () => {
          while (!res.destroyed && res.write(CHUNK)) state.written += CHUNK.length;
        };
        res.on("drain", pump);
        return pump();
      }
      case "/announced-huge":
        // Claims 1 GB, then sends nothing: must fail on the header, not after reading.
        res.writeHead(200, { "content-length": String(1_000_000_000) });
        return res.flushHeaders();
      case "/hang":
        return; // accepts, never answers
      case "/trickle": {
        res.writeHead(200);
        const timer = setInterval(() => res.write("x"), 20);
        res.on("close", () => clearInterval(timer));
        return;
      }
      case "/missing":
        res.writeHead(404);
        return res.end("<html>not found, with details the user must not see</html>");
      default:
        res.end("ok");
    }
  });
  egress = createEgress({ allowlist: [server.hostPort], maxBytes: 100_000 });
});
afterAll(async () => {
  await egress.close();
  await server.close();
});

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: unknown) => e,
  );
}

async function egressFailure(promise: Promise<unknown>): Promise<EgressError> {
  const err = await failure(promise);
  expect(err).toBeInstanceOf(EgressError);
  return err as EgressError;
}

describe("size caps", () => {
  it("downloads a body under the cap", async () => {
    const result = await egress.download(`${server.origin}/small`);
    expect(result.bytes.length).toBe(1000);
    expect(result.contentType).toBe("image/jpeg");
    expect(result.url).toBe(`${server.origin}/small`);
  });

  it("stops an endless stream at the cap and closes the socket", async () => {
    const res = await egress.request(`${server.origin}/endless`);
    let handedOut = 0;
    const err = await egressFailure(
      (async () => {
        for await (const chunk of res.body) handedOut += chunk.length;
      })(),
    );
    expect(err.code).toBe("too_large");
    expect(err.message).not.toContain("aaaa");
    expect(handedOut).toBeLessThanOrEqual(100_000);
    // The socket the server was writing to is closed: it was cut off, not drained, and could only
    // ever fill the socket buffers.
    await endless.closed;
    expect(endless.written).toBeLessThan(50 * 1024 * 1024);
  });

  it("applies a per-request cap to download()", async () => {
    const err = await egressFailure(egress.download(`${server.origin}/small`, { maxBytes: 999 }));
    expect(err.code).toBe("too_large");
  });

  it("refuses an announced length over the cap before reading", async () => {
    const res = await egress.request(`${server.origin}/announced-huge`);
    expect((await egressFailure(res.body.buffer())).code).toBe("too_large");
  });

  it("truncates text(limit) for logging without failing, even past the cap", async () => {
    const res = await egress.request(`${server.origin}/endless`);
    const text = await res.body.text(10);
    expect(text).toBe("a".repeat(10));
    const big = await egress.request(`${server.origin}/endless`);
    expect((await big.body.text(10_000_000)).length).toBe(100_000);
  });

  it("lets a body be read only once", async () => {
    const res = await egress.request(`${server.origin}/small`);
    await res.body.buffer();
    await expect(res.body.buffer()).rejects.toThrow(TypeError);
    await res.body.discard();
  });
});

describe("time caps", () => {
  it("times out a server that never sends headers", async () => {
    const slow = createEgress({ allowlist: [server.hostPort], headersTimeoutMs: 200 });
    try {
      expect((await egressFailure(slow.request(`${server.origin}/hang`))).code).toBe("timeout");
    } finally {
      await slow.close();
    }
  });

  it("times out a body that trickles past the total budget", async () => {
    const res = await egress.request(`${server.origin}/trickle`, { timeoutMs: 300 });
    const err = await egressFailure(res.body.buffer());
    expect(err.code).toBe("timeout");
    expect(err.retryable).toBe(true);
  });

  it("releases an unread body when the budget runs out", async () => {
    const res = await egress.request(`${server.origin}/trickle`, { timeoutMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await egressFailure(res.body.buffer())).code).toBe("timeout");
  });

  it("passes the caller's own abort through unchanged", async () => {
    const controller = new AbortController();
    const reason = new Error("shutting down");
    setTimeout(() => controller.abort(reason), 50);
    const err = await failure(egress.request(`${server.origin}/hang`, { signal: controller.signal }));
    expect(err).toBe(reason);
  });
});

describe("other failures", () => {
  it("fails download() on a non-2xx status without exposing the body", async () => {
    const err = await egressFailure(egress.download(`${server.origin}/missing`));
    expect(err.code).toBe("http_status");
    expect(err.status).toBe(404);
    expect(err.message).not.toContain("html");
    expect(err.retryable).toBe(false);
  });

  it("reports a refused connection as connection_failed", async () => {
    const gone = await startServer(() => {});
    await gone.close();
    const local = createEgress({ allowlist: [gone.hostPort] });
    try {
      const err = await egressFailure(local.request(`${gone.origin}/`));
      expect(err.code).toBe("connection_failed");
      expect(err.message).not.toContain("127.0.0.1");
    } finally {
      await local.close();
    }
  });

  it("sends a POST body and a user agent", async () => {
    const echo = await startServer(async (req, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      res.end(`${req.method} ${req.headers["user-agent"]} ${body}`);
    });
    const local = createEgress({ allowlist: [echo.hostPort], userAgent: "facegate-test" });
    try {
      const res = await local.request(`${echo.origin}/hook`, { method: "POST", body: "{}" });
      expect(await res.body.text()).toBe("POST facegate-test {}");
    } finally {
      await local.close();
      await echo.close();
    }
  });
});
