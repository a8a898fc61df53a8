import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchResultUrl } from "./fetch-result";
import { HttpClient } from "./http";
import { type CannedServer, JPEG, PNG, startServer } from "./testing/canned-server";
import { vendorFailure } from "./testing/vendor-failure";

let server: CannedServer;
const http = new HttpClient({ vendor: "tencent", timeoutMs: 5_000 });

beforeAll(async () => {
  server = await startServer((req, res) => {
    const status = Number(/^\/status\/(\d+)/.exec(req.url)?.[1] ?? 0);
    if (status) {
      res.writeHead(status, { "content-type": "application/xml" });
      res.end("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>");
    } else if (req.url === "/result.png") {
      // A wrong header on purpose: the bytes decide.
      res.writeHead(200, { "content-type": "application/octet-stream" });
      res.end(PNG);
    } else if (req.url === "/cdn-hop") {
      res.writeHead(302, { location: "/result.jpg" });
      res.end();
    } else if (req.url === "/result.jpg") {
      res.writeHead(200, { "content-type": "image/jpeg" });
      res.end(JPEG);
    } else {
      res.writeHead(200, { "content-type": "text/html" });
      res.end("<html>not an image</html>");
    }
  });
});

afterAll(async () => {
  await http.close();
  await server.close();
});

const failure = (url: string) => vendorFailure(fetchResultUrl(http, url));

describe("fetchResultUrl", () => {
  it("downloads the result and types it by its bytes", async () => {
    const result = await fetchResultUrl(http, `${server.url}/result.png`);
    expect(result.contentType).toBe("image/png");
    expect(result.bytes.equals(PNG)).toBe(true);
  });

  it("follows a redirect to the stored object", async () => {
    const result = await fetchResultUrl(http, `${server.url}/cdn-hop`);
    expect(result.contentType).toBe("image/jpeg");
  });

  it.each([403, 404, 410])("treats HTTP %i as an expired result: input, never retried", async (status) => {
    const error = await failure(`${server.url}/status/${status}`);
    expect(error).toMatchObject({
      vendor: "tencent",
      kind: "input",
      code: "vendor_result_expired",
      vendorCode: `http_${status}`,
    });
    expect(error.retryable).toBe(false);
  });

  it("treats other failures as transient", async () => {
    expect(await failure(`${server.url}/status/503`)).toMatchObject({
      kind: "transient",
      code: "vendor_unavailable",
    });
    expect(await failure(`${server.url}/not-an-image`)).toMatchObject({
      kind: "transient",
      vendorCode: "malformed_response",
    });
  });

  it("honours the abort signal", async () => {
    const reason = new Error("canceled");
    await expect(fetchResultUrl(http, `${server.url}/result.png`, AbortSignal.abort(reason))).rejects.toBe(
      reason,
    );
  });
});
