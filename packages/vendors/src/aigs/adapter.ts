import type { Config } from "@facegate/config";
import { type ImageLimits, type InputRole, type Operation, VendorError } from "@facegate/core";
import { type AdapterOptions, DAY_MS, endpoint } from "../adapter-options";
import { BaseAdapter } from "../base-adapter";
import { badRequest, lookup, malformed, retryAfterMs, shortMessage, toVendorError } from "../classification";
import type { HttpResponse } from "../http";
import { aigsFaceFusionParams } from "../params";
import { parseJsonBody } from "../response-body";
import type { VendorRequest, VendorResult } from "../types";
import { AIGS_ERRORS, AIGS_RATE_LIMIT_WAIT_MS, AIGS_TOKEN_SCOPED, classifyAigs } from "./errors";
import { aigsLimits } from "./limits";
import { type AigsFaceswapBody, aigsEnvelope, aigsSuccess } from "./schemas";

/** "生成的图片服务器保留7天" — generated images are kept 7 days (docs/vendors.md, ai-gs). */
const RESULT_URL_TTL_MS = 7 * DAY_MS;

export interface AigsAdapterConfig {
  tokens: string[];
  baseUrl: string;
  timeoutMs: number;
}

/**
 * ai-gs faceswap: one JSON call, token in the query string. Each token of the pool has its own
 * 1 request/s limit, so each is a credential of its own and its failures are scoped to it.
 */
export class AigsAdapter extends BaseAdapter {
  readonly id = "aigs" as const;

  constructor(
    private readonly config: AigsAdapterConfig,
    options: AdapterOptions = {},
  ) {
    super("aigs", config.timeoutMs, options);
  }

  limits(operation: Operation, role: InputRole): ImageLimits {
    return aigsLimits(operation, role);
  }

  /** `aigs#1`, `aigs#2`…: labels for logs and rate-limit keys; the tokens themselves never leave. */
  credentials(): string[] {
    return this.config.tokens.map((_, i) => `aigs#${i + 1}`);
  }

  async call(request: VendorRequest): Promise<VendorResult> {
    if (request.operation !== "face_fusion")
      throw badRequest("aigs", `aigs does not run ${request.operation}`);
    if (!aigsFaceFusionParams.safeParse(request.params).success) {
      throw badRequest("aigs", "ai-gs faceswap takes no params");
    }
    if (!request.target || !request.template)
      throw badRequest("aigs", "target and template images are required");
    const token = this.config.tokens[request.credential];
    if (token === undefined) {
      throw new VendorError({
        vendor: "aigs",
        kind: "config",
        code: "vendor_config_error",
        message: `No ai-gs token #${request.credential + 1} (${this.config.tokens.length} configured)`,
      });
    }

    const url = endpoint(this.config.baseUrl, "/v1/faceswap");
    url.searchParams.set("token", token);
    const body: AigsFaceswapBody = {
      image_base64: request.target.bytes.toString("base64"),
      template_base64: request.template.bytes.toString("base64"),
    };
    const res = await this.http.send({
      method: "POST",
      url,
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
      signal: request.signal,
    });

    const envelope = parseJsonBody("aigs", res.body, aigsEnvelope);
    if (res.status === 200 && envelope.code === "success") {
      const ok = aigsSuccess.safeParse(envelope);
      if (!ok.success) throw malformed("aigs", "image_url is missing or not a URL");
      return { kind: "url", url: ok.data.image_url, expiresAt: this.now() + RESULT_URL_TTL_MS };
    }
    // A 200 must be "success"; any other documented code on a 200 is still that error, but an
    // undocumented one (e.g. an async "processing") is an envelope facegate does not understand.
    if (res.status === 200 && !lookup(AIGS_ERRORS, envelope.code)) {
      throw malformed("aigs", `unexpected code "${envelope.code}" with HTTP 200`);
    }
    throw this.failure(res, envelope.code, envelope.detail ?? undefined);
  }

  private failure(res: HttpResponse, code: string, detail: string | undefined): VendorError {
    const classification = classifyAigs(code, res.status);
    const rateLimited = classification.kind === "rate_limited";
    return toVendorError({
      vendor: "aigs",
      classification,
      vendorCode: code,
      message: shortMessage(detail, `ai-gs answered HTTP ${res.status} (${code})`),
      // The vendor's own Retry-After if longer, never less than the documented 1 s window.
      retryAfterMs: rateLimited
        ? Math.max(AIGS_RATE_LIMIT_WAIT_MS, retryAfterMs(res.headers["retry-after"], this.now()) ?? 0)
        : undefined,
      scope: AIGS_TOKEN_SCOPED.has(code) ? "credential" : "vendor",
    });
  }
}

export function createAigsAdapter(config: Config["vendors"], options?: AdapterOptions): AigsAdapter {
  if (config.aigs.tokens.length === 0) throw new Error("AIGS_TOKENS is empty");
  return new AigsAdapter(
    { tokens: [...config.aigs.tokens], baseUrl: config.aigs.baseUrl, timeoutMs: config.timeoutMs },
    options,
  );
}
