import { describe, expect, it } from "vitest";
import { type Handler, image, JPEG, PNG, sendJson, startServer } from "../testing/canned-server";
import { closedAfterEach } from "../testing/closed-after-each";
import { vendorFailure } from "../testing/vendor-failure";
import type { VendorRequest } from "../types";
import { AigsAdapter } from "./adapter";

const NOW = Date.UTC(2026, 0, 1);
const TASK = "e4d33a96-dd91-580f-aef4-e4ef4b26c347";
const opened = closedAfterEach();

async function setup(handler: Handler, timeoutMs = 5_000) {
  const server = opened(await startServer(handler));
  const adapter = opened(
    new AigsAdapter({ tokens: ["tok-one", "tok+two/="], baseUrl: server.url, timeoutMs }, { now: () => NOW }),
  );
  return { server, adapter };
}

const swap = (credential = 0, params: Record<string, unknown> = {}): VendorRequest => ({
  operation: "face_fusion",
  target: image(JPEG),
  template: image(PNG, "image/png"),
  params,
  credential,
});

describe("AigsAdapter", () => {
  it("labels one credential per token, never the token itself", async () => {
    const { adapter } = await setup(() => {});
    expect(adapter.credentials()).toEqual(["aigs#1", "aigs#2"]);
    expect(adapter.supports("face_fusion")).toBe(true);
    expect(adapter.supports("expression")).toBe(false);
  });

  it("posts base64 JSON with the chosen token in the query and returns a URL kept 7 days", async () => {
    const { server, adapter } = await setup((_req, res) =>
      sendJson(res, 200, { code: "success", image_url: "https://img.ai-gs.cn/r.jpeg", task_id: TASK }),
    );
    const result = await adapter.call(swap(1));

    const req = server.requests[0]!;
    const url = new URL(req.url, server.url);
    expect(req.method).toBe("POST");
    expect(url.pathname).toBe("/v1/faceswap");
    expect(url.searchParams.get("token")).toBe("tok+two/=");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers.accept).toBe("application/json");
    expect(JSON.parse(req.body.toString())).toEqual({
      image_base64: JPEG.toString("base64"),
      template_base64: PNG.toString("base64"),
    });
    expect(result).toEqual({
      kind: "url",
      url: "https://img.ai-gs.cn/r.jpeg",
      expiresAt: NOW + 7 * 86_400_000,
    });
  });

  it("scopes the 1 request/s limit to the token, waiting at least 1 s", async () => {
    let headers: Record<string, string> = {};
    const { adapter } = await setup((_req, res) =>
      sendJson(
        res,
        402,
        { code: "request_rate_limit", detail: "Request rate limit, once per second.", task_id: TASK },
        headers,
      ),
    );
    const error = await vendorFailure(adapter.call(swap()));
    expect(error).toMatchObject({
      vendor: "aigs",
      kind: "rate_limited",
      code: "vendor_rate_limited",
      vendorCode: "request_rate_limit",
      scope: "credential",
      retryAfterMs: 1_000,
      message: "Request rate limit, once per second.",
    });
    headers = { "retry-after": "5" };
    expect((await vendorFailure(adapter.call(swap()))).retryAfterMs).toBe(5_000);
  });

  it.each([
    [401, "no_token", "config", "vendor_config_error", "vendor"],
    [401, "invalid_post", "input", "invalid_request", "vendor"],
    [402, "no_face_detected", "input", "no_face_detected", "vendor"],
    [402, "forbidden", "input", "content_rejected", "vendor"],
    [402, "false", "transient", "vendor_unavailable", "vendor"],
    [403, "used_up", "quota", "vendor_quota_exhausted", "credential"],
    [403, "invalid_api_key", "auth", "vendor_auth_failed", "credential"],
    [500, "unknown", "transient", "vendor_unavailable", "vendor"],
  ])("HTTP %i %s → %s / %s (scope %s)", async (status, code, kind, normalised, scope) => {
    const { adapter } = await setup((_req, res) => sendJson(res, status, { code, detail: "Error details" }));
    expect(await vendorFailure(adapter.call(swap()))).toMatchObject({
      kind,
      code: normalised,
      vendorCode: code,
      scope,
    });
  });

  it.each([
    ["not JSON", 502, "<html>bad gateway</html>"],
    ["truncated JSON", 200, '{"code":"success","image_url":"https://x'],
    ["success without image_url", 200, JSON.stringify({ code: "success", task_id: TASK })],
    ["an undocumented code on a 200", 200, JSON.stringify({ code: "processing", taskId: TASK })],
    ["no code", 403, JSON.stringify({ detail: "?" })],
  ])("answers %s as transient malformed_response", async (_name, status, text) => {
    const { adapter } = await setup((_req, res) => sendJson(res, status, text));
    expect(await vendorFailure(adapter.call(swap()))).toMatchObject({
      kind: "transient",
      code: "vendor_unavailable",
      vendorCode: "malformed_response",
    });
  });

  it("refuses a credential index it does not have, and params, without calling", async () => {
    const { server, adapter } = await setup((_req, res) => sendJson(res, 200, {}));
    expect(await vendorFailure(adapter.call(swap(2)))).toMatchObject({
      kind: "config",
      code: "vendor_config_error",
    });
    expect(await vendorFailure(adapter.call(swap(0, { source_similarity: 1 })))).toMatchObject({
      kind: "input",
    });
    expect(server.requests).toHaveLength(0);
  });

  it("aborts when the job is canceled", async () => {
    const { adapter } = await setup(() => {});
    const controller = new AbortController();
    const reason = new Error("job canceled");
    setTimeout(() => controller.abort(reason), 30);
    await expect(adapter.call({ ...swap(), signal: controller.signal })).rejects.toBe(reason);
  });
});
