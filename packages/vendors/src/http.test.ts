import { errors } from "undici";
import { describe, expect, it } from "vitest";
import { HttpClient } from "./http";
import { classifyNetworkError } from "./network-errors";
import { type Handler, resetConnection, sendJson, startServer } from "./testing/canned-server";
import { closedAfterEach } from "./testing/closed-after-each";
import { vendorFailure } from "./testing/vendor-failure";

const opened = closedAfterEach();

const serve = async (handler: Handler) => opened(await startServer(handler));

function newClient(options: { timeoutMs?: number; maxResponseBytes?: number } = {}) {
  return opened(new HttpClient({ vendor: "ailab", timeoutMs: options.timeoutMs ?? 5_000, ...options }));
}

const get = (url: string, signal?: AbortSignal) => ({ method: "GET" as const, url: new URL(url), signal });

describe("HttpClient", () => {
  it("returns status, headers and body without judging the status", async () => {
    const server = await serve((_req, res) => sendJson(res, 418, { ok: false }, { "x-test": "1" }));
    const res = await newClient().send(get(server.url));
    expect(res.status).toBe(418);
    expect(res.headers["x-test"]).toBe("1");
    expect(JSON.parse(res.body.toString())).toEqual({ ok: false });
  });

  it("turns a silent vendor into a transient timeout", async () => {
    const server = await serve(() => {}); // never answers
    const error = await vendorFailure(newClient({ timeoutMs: 200 }).send(get(server.url)));
    expect(error).toMatchObject({ kind: "transient", code: "timeout", vendorCode: "headers_timeout" });
  });

  it("times out a body that stops flowing", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"partial":');
    });
    const error = await vendorFailure(newClient({ timeoutMs: 200 }).send(get(server.url)));
    expect(error).toMatchObject({ kind: "transient", code: "timeout", vendorCode: "body_timeout" });
  });

  it("never retries in process, even a reset before any response byte: the queue owns retries", async () => {
    // The vendor may have processed the POST before the connection dropped; a second call here
    // would be a second bill outside the job's attempt budget.
    const server = await serve((_req, res) => resetConnection(res));
    const error = await vendorFailure(
      newClient().send({ method: "POST", url: new URL(server.url), body: '{"a":1}' }),
    );
    expect(error).toMatchObject({
      kind: "transient",
      code: "vendor_unavailable",
      vendorCode: "connection_reset",
    });
    expect(server.requests).toHaveLength(1);
  });

  it("does not retry a reset after the response began", async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { "content-length": "100" });
      res.write("{");
      setTimeout(() => resetConnection(res), 20);
    });
    const error = await vendorFailure(newClient().send(get(server.url)));
    expect(error.kind).toBe("transient");
    expect(error.code).toBe("vendor_unavailable");
    expect(server.requests).toHaveLength(1);
  });

  it("classifies a refused connection as vendor_unavailable", async () => {
    const closed = await startServer(() => {});
    const url = closed.url;
    await closed.close();
    const error = await vendorFailure(newClient().send(get(url)));
    expect(error).toMatchObject({
      kind: "transient",
      code: "vendor_unavailable",
      vendorCode: "connection_refused",
    });
  });

  it("refuses a response over the size cap, declared or streamed", async () => {
    const server = await serve((req, res) => {
      if (req.url === "/declared") {
        res.writeHead(200, { "content-length": "2048" });
        res.end(Buffer.alloc(2048));
      } else {
        res.writeHead(200); // chunked: no length to check up front
        res.write(Buffer.alloc(700));
        res.end(Buffer.alloc(700));
      }
    });
    const http = newClient({ maxResponseBytes: 1024 });
    for (const path of ["/declared", "/streamed"]) {
      const error = await vendorFailure(http.send(get(`${server.url}${path}`)));
      expect(error).toMatchObject({
        kind: "transient",
        code: "vendor_unavailable",
        vendorCode: "response_too_large",
      });
    }
    const ok = await newClient({ maxResponseBytes: 4096 }).send(get(`${server.url}/streamed`));
    expect(ok.body.length).toBe(1400);
  });

  it("aborts with the caller's own reason when the signal fires", async () => {
    const server = await serve(() => {}); // would hang until the timeout
    const controller = new AbortController();
    const reason = new Error("job canceled");
    setTimeout(() => controller.abort(reason), 50);
    const started = Date.now();
    await expect(newClient().send(get(server.url, controller.signal))).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("does not call at all with an already-aborted signal", async () => {
    const server = await serve((_req, res) => sendJson(res, 200, {}));
    const reason = new Error("canceled before start");
    await expect(newClient().send(get(server.url, AbortSignal.abort(reason)))).rejects.toBe(reason);
    expect(server.requests).toHaveLength(0);
  });
});

describe("classifyNetworkError", () => {
  it("maps undici's errors to stable codes and leaves programming errors alone", () => {
    expect(classifyNetworkError("aigs", new errors.ConnectTimeoutError())).toMatchObject({
      kind: "transient",
      code: "timeout",
      vendorCode: "connect_timeout",
    });
    expect(classifyNetworkError("aigs", new errors.SocketError("other side closed"))).toMatchObject({
      code: "vendor_unavailable",
      vendorCode: "connection_reset",
    });
    expect(classifyNetworkError("aigs", Object.assign(new Error("x"), { code: "ENOTFOUND" }))).toMatchObject({
      vendorCode: "dns_failure",
    });
    expect(classifyNetworkError("aigs", new errors.InvalidArgumentError("bad header"))).toBeUndefined();
    expect(classifyNetworkError("aigs", new TypeError("bug"))).toBeUndefined();
  });
});
