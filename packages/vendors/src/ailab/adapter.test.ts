import { describe, expect, it } from "vitest";
import {
  type Handler,
  image,
  JPEG,
  PNG,
  parseMultipart,
  resetConnection,
  sendJson,
  startServer,
} from "../testing/canned-server";
import { closedAfterEach } from "../testing/closed-after-each";
import { vendorFailure } from "../testing/vendor-failure";
import type { VendorRequest } from "../types";
import { AilabAdapter } from "./adapter";

const NOW = Date.UTC(2026, 0, 1);
const opened = closedAfterEach();

async function setup(handler: Handler, timeoutMs = 5_000, maxResponseBytes?: number) {
  const server = opened(await startServer(handler));
  const adapter = opened(
    new AilabAdapter(
      { apiKey: "test-key", baseUrl: `${server.url}/`, timeoutMs },
      { now: () => NOW, maxResponseBytes },
    ),
  );
  return { server, adapter };
}

/** The envelope as AILab's pages show it, success or error. */
function envelope(
  data: unknown,
  error?: { status: number; code: string; codeStr?: string; message?: string },
) {
  return {
    request_id: "req-1",
    log_id: "log-1",
    error_code: error ? error.status : 0,
    error_code_str: error?.codeStr ?? "",
    error_msg: error ? `${error.codeStr ?? error.code} - ${error.message ?? ""}` : "",
    error_detail: {
      status_code: error ? error.status : 200,
      code: error?.code ?? "",
      code_message: error ? "Short summary." : "",
      message: error?.message ?? "",
    },
    ...(data === undefined ? {} : { data }),
  };
}

const fusion = (params: Record<string, unknown> = {}): VendorRequest => ({
  operation: "face_fusion",
  target: image(JPEG),
  template: image(PNG, "image/png"),
  params,
  credential: 0,
});

describe("AilabAdapter requests", () => {
  it("posts face fusion as multipart with the documented field names and the key header", async () => {
    const { server, adapter } = await setup((_req, res) =>
      sendJson(res, 200, envelope({ image: PNG.toString("base64") })),
    );
    const result = await adapter.call(fusion({ source_similarity: 0.3 }));

    const req = server.requests[0]!;
    expect(req.method).toBe("POST");
    expect(req.url).toBe("/api/portrait/effects/face-fusion");
    expect(req.headers["ailabapi-api-key"]).toBe("test-key");
    expect(req.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    const form = await parseMultipart(req);
    expect([...form.keys()].sort()).toEqual(["image_target", "image_template", "source_similarity"]);
    const target = form.get("image_target") as File;
    expect(Buffer.from(await target.arrayBuffer()).equals(JPEG)).toBe(true);
    expect(target.type).toBe("image/jpeg");
    expect((form.get("image_template") as File).type).toBe("image/png");
    expect(form.get("source_similarity")).toBe("0.3");

    expect(result).toEqual({ kind: "bytes", bytes: PNG, contentType: "image/png" });
  });

  it("sends the expression as its service_choice code", async () => {
    const { server, adapter } = await setup((_req, res) =>
      sendJson(res, 200, envelope({ image: JPEG.toString("base64") })),
    );
    for (const [expression, code] of [
      ["dimple_smile", "10"],
      ["forced_smile", "16"],
      ["open_eyes", "100"],
    ]) {
      const result = await adapter.call({
        operation: "expression",
        target: image(),
        params: { expression },
        credential: 0,
      });
      expect(result).toMatchObject({ kind: "bytes", contentType: "image/jpeg" });
      const req = server.requests.at(-1)!;
      expect(req.url).toBe("/api/portrait/effects/emotion-editor");
      const form = await parseMultipart(req);
      expect([...form.keys()].sort()).toEqual(["image_target", "service_choice"]);
      expect(form.get("service_choice")).toBe(code);
    }
  });

  it("slims with `image` + `slim_degree` (default 1) and returns a URL valid 24 h", async () => {
    const { server, adapter } = await setup((_req, res) =>
      sendJson(res, 200, envelope({ image_url: "https://cdn.example.com/r.jpg" })),
    );
    const result = await adapter.call({
      operation: "face_slimming",
      target: image(),
      params: {},
      credential: 0,
    });
    const req = server.requests[0]!;
    expect(req.url).toBe("/api/portrait/effects/smart-face-slimming");
    const form = await parseMultipart(req);
    expect([...form.keys()].sort()).toEqual(["image", "slim_degree"]);
    expect(form.get("slim_degree")).toBe("1");
    expect(result).toEqual({
      kind: "url",
      url: "https://cdn.example.com/r.jpg",
      expiresAt: NOW + 24 * 3_600_000,
    });
  });

  it("refuses params the API should have refused, without calling", async () => {
    const { server, adapter } = await setup((_req, res) => sendJson(res, 200, envelope({})));
    const error = await vendorFailure(adapter.call(fusion({ source_similarity: 2 })));
    expect(error).toMatchObject({ kind: "input", code: "invalid_request" });
    const missing = await vendorFailure(
      adapter.call({ operation: "expression", target: image(), params: {}, credential: 0 }),
    );
    expect(missing.code).toBe("invalid_request");
    expect(server.requests).toHaveLength(0);
  });
});

describe("AilabAdapter errors", () => {
  it("reads the code from error_detail, not error_code_str (legacy example)", async () => {
    const { adapter } = await setup((_req, res) =>
      sendJson(
        res,
        422,
        envelope(undefined, {
          status: 422,
          code: "ERROR_NO_FACE_IN_FILE",
          codeStr: "FILE_CONTENT_NON_COMPLIANCE",
          message: "pic not has face",
        }),
      ),
    );
    const error = await vendorFailure(adapter.call(fusion()));
    expect(error).toMatchObject({
      vendor: "ailab",
      kind: "input",
      code: "no_face_detected",
      vendorCode: "ERROR_NO_FACE_IN_FILE",
      message: "Short summary.",
    });
  });

  it("tells 429 EXCEEDING_LIMITS (rate limit) from 429 ERROR_NOT_ENOUGH_CREDITS (quota)", async () => {
    let current = "EXCEEDING_LIMITS";
    const { adapter } = await setup((_req, res) =>
      sendJson(res, 429, envelope(undefined, { status: 429, code: current }), { "retry-after": "3" }),
    );
    const limited = await vendorFailure(adapter.call(fusion()));
    expect(limited).toMatchObject({ kind: "rate_limited", code: "vendor_rate_limited", retryAfterMs: 3_000 });
    current = "ERROR_NOT_ENOUGH_CREDITS";
    const broke = await vendorFailure(adapter.call(fusion()));
    expect(broke).toMatchObject({ kind: "quota", code: "vendor_quota_exhausted", vendorCode: current });
    expect(broke.retryAfterMs).toBeUndefined();
  });

  it("treats a 200 carrying a non-zero error_code as a failure", async () => {
    const { adapter } = await setup((_req, res) =>
      sendJson(res, 200, envelope(undefined, { status: 401, code: "ERROR_APPLICATIONS_NOT_EXISTS" })),
    );
    expect(await vendorFailure(adapter.call(fusion()))).toMatchObject({
      kind: "auth",
      code: "vendor_auth_failed",
    });
  });

  it("falls back on the legacy error_code_str, then on the status class", async () => {
    let body: unknown;
    let status = 0;
    const { adapter } = await setup((_req, res) => sendJson(res, status, body));
    status = 401;
    body = { ...envelope(undefined, { status: 401, code: "" }), error_code_str: "ERROR_USER_NOT_EXISTS" };
    expect(await vendorFailure(adapter.call(fusion()))).toMatchObject({
      kind: "auth",
      vendorCode: "ERROR_USER_NOT_EXISTS",
    });
    status = 503;
    body = envelope(undefined, { status: 503, code: "BRAND_NEW_CODE" });
    expect(await vendorFailure(adapter.call(fusion()))).toMatchObject({
      kind: "transient",
      code: "vendor_unavailable",
    });
    status = 418;
    expect(await vendorFailure(adapter.call(fusion()))).toMatchObject({
      kind: "input",
      code: "invalid_request",
    });
  });

  it.each([
    ["not JSON", "<html>502 Bad Gateway</html>", 502],
    ["truncated JSON", '{"request_id":"r","error_code":0,"data":{"ima', 200],
    ["no data.image", JSON.stringify({ request_id: "r", log_id: "l", error_code: 0, data: {} }), 200],
    ["data.image not base64", JSON.stringify({ error_code: 0, data: { image: "%%%not base64%%%" } }), 200],
    ["data.image not an image", JSON.stringify({ error_code: 0, data: { image: "aGVsbG8gd29ybGQ=" } }), 200],
  ])("answers a body with %s as transient malformed_response", async (_name, text, status) => {
    const { adapter } = await setup((_req, res) => sendJson(res, status, text));
    expect(await vendorFailure(adapter.call(fusion()))).toMatchObject({
      kind: "transient",
      code: "vendor_unavailable",
      vendorCode: "malformed_response",
    });
  });

  it("times out a vendor that never answers", async () => {
    const { adapter } = await setup(() => {}, 200);
    expect(await vendorFailure(adapter.call(fusion()))).toMatchObject({ kind: "transient", code: "timeout" });
  });
});

describe("AilabAdapter transport", () => {
  it("does not re-send after a reset (AILab may have billed it): one try, transient connection_reset", async () => {
    const { server, adapter } = await setup((_req, res, index) =>
      index === 0 ? resetConnection(res) : sendJson(res, 200, envelope({ image: JPEG.toString("base64") })),
    );
    expect(await vendorFailure(adapter.call(fusion({ source_similarity: 1 })))).toMatchObject({
      kind: "transient",
      code: "vendor_unavailable",
      vendorCode: "connection_reset",
    });
    expect(server.requests).toHaveLength(1);
    const form = await parseMultipart(server.requests[0]!);
    expect([...form.keys()].sort()).toEqual(["image_target", "image_template", "source_similarity"]);
  });

  it("caps the response size", async () => {
    const big = Buffer.concat([JPEG, Buffer.alloc(4_096)]).toString("base64");
    const { adapter } = await setup(
      (_req, res) => sendJson(res, 200, envelope({ image: big })),
      5_000,
      2_048,
    );
    expect(await vendorFailure(adapter.call(fusion()))).toMatchObject({
      kind: "transient",
      vendorCode: "response_too_large",
    });
  });

  it("downloads a slimming result, and reports an expired one as vendor_result_expired", async () => {
    const { server, adapter } = await setup((req, res) => {
      if (req.url === "/files/r.jpg") {
        res.writeHead(200, { "content-type": "image/jpeg" });
        res.end(JPEG);
      } else {
        res.writeHead(404);
        res.end("Not Found");
      }
    });
    expect(await adapter.fetchResult(`${server.url}/files/r.jpg`)).toEqual({
      bytes: JPEG,
      contentType: "image/jpeg",
    });
    expect(await vendorFailure(adapter.fetchResult(`${server.url}/files/expired.jpg`))).toMatchObject({
      vendor: "ailab",
      kind: "input",
      code: "vendor_result_expired",
    });
  });
});
