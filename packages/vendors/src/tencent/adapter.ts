import type { Config } from "@facegate/config";
import { type ImageLimits, type InputRole, type Operation, VendorError } from "@facegate/core";
import { type AdapterOptions, DAY_MS } from "../adapter-options";
import { BaseAdapter } from "../base-adapter";
import { malformed, retryAfterMs, shortMessage, toVendorError } from "../classification";
import type { HttpResponse } from "../http";
import { decodeBase64Image } from "../image-bytes";
import { MB } from "../limits";
import { parseJsonBody } from "../response-body";
import type { VendorRequest, VendorResult } from "../types";
import { classifyTencent } from "./errors";
import { tencentLimits } from "./limits";
import { buildFuseFaceBody } from "./request";
import { fusedImageUrl, tencentEnvelope } from "./schemas";
import { tc3Sign } from "./sign";

export const FUSE_FACE = { service: "facefusion", action: "FuseFace", version: "2022-09-27" } as const;
/** `RspImgType=url`: "The URL is valid for 7 days" (docs/vendors.md, Tencent Cloud). */
const RESULT_URL_TTL_MS = 7 * DAY_MS;
/** A v3 POST may be up to 10 MB (docs/vendors.md, Tencent Cloud); larger bodies are refused before they are sent. */
const MAX_REQUEST_BYTES = 10 * MB;
const CONTENT_TYPE = "application/json";

export interface TencentAdapterConfig {
  secretId: string;
  secretKey: string;
  region: string;
  endpoint: string;
  projectId: string | undefined;
  modelId: string | undefined;
  timeoutMs: number;
  /**
   * `url` (default): a small answer, and the worker copies the image within its 7 days. `base64`
   * puts the image in the answer itself.
   */
  rspImgType?: "url" | "base64" | undefined;
}

/** Tencent Cloud FuseFace 2022-09-27: one TC3-signed JSON POST; errors arrive as HTTP 200. */
export class TencentAdapter extends BaseAdapter {
  readonly id = "tencent" as const;
  /** Tencent's clock minus ours, learned from a SignatureExpire answer's Date header. */
  private clockOffsetMs = 0;

  constructor(
    private readonly config: TencentAdapterConfig,
    options: AdapterOptions = {},
  ) {
    super("tencent", config.timeoutMs, options);
  }

  limits(operation: Operation, role: InputRole): ImageLimits {
    return tencentLimits(operation, role);
  }

  /** One SecretId, one account-wide rate limit (TENCENT_RPS). */
  credentials(): string[] {
    return ["tencent"];
  }

  async call(request: VendorRequest): Promise<VendorResult> {
    const rspImgType = this.config.rspImgType ?? "url";
    const body = buildFuseFaceBody(request, {
      projectId: this.config.projectId,
      modelId: this.config.modelId,
      rspImgType,
    });
    const payload = Buffer.from(JSON.stringify(body), "utf8");
    if (payload.length > MAX_REQUEST_BYTES) {
      throw new VendorError({
        vendor: "tencent",
        kind: "input",
        code: "image_too_large",
        message: `The faces add up to ${payload.length} bytes; Tencent accepts at most ${MAX_REQUEST_BYTES} per request`,
      });
    }

    const url = new URL(this.config.endpoint);
    const signed = tc3Sign({
      secretId: this.config.secretId,
      secretKey: this.config.secretKey,
      service: FUSE_FACE.service,
      host: url.host,
      timestamp: Math.floor((this.now() + this.clockOffsetMs) / 1000),
      contentType: CONTENT_TYPE,
      payload,
      action: FUSE_FACE.action,
      version: FUSE_FACE.version,
      region: this.config.region,
    });
    const res = await this.http.send({
      method: "POST",
      url,
      headers: signed.headers,
      body: payload,
      signal: request.signal,
    });

    // Tencent answers every API-level error with HTTP 200; anything else came from the path to it.
    if (res.status !== 200) {
      throw new VendorError({
        vendor: "tencent",
        kind: "transient",
        code: "vendor_unavailable",
        vendorCode: `http_${res.status}`,
        message: `Tencent answered HTTP ${res.status}`,
      });
    }
    const { Response: answer } = parseJsonBody("tencent", res.body, tencentEnvelope);
    if (answer.Error) throw this.failure(res, answer.Error.Code, answer.Error.Message ?? undefined);
    if (!answer.FusedImage) throw malformed("tencent", "Response.FusedImage is missing");

    if (rspImgType === "base64") return { kind: "bytes", ...decodeBase64Image("tencent", answer.FusedImage) };
    const fused = fusedImageUrl.safeParse(answer.FusedImage);
    if (!fused.success) throw malformed("tencent", "Response.FusedImage is not a URL");
    return { kind: "url", url: fused.data, expiresAt: this.now() + RESULT_URL_TTL_MS };
  }

  private failure(res: HttpResponse, code: string, message: string | undefined): VendorError {
    if (code === "AuthFailure.SignatureExpire") this.learnClock(res.headers.date);
    const classification = classifyTencent(code);
    return toVendorError({
      vendor: "tencent",
      classification,
      vendorCode: code,
      message: shortMessage(message, `Tencent refused the request (${code})`),
      retryAfterMs:
        classification.kind === "rate_limited"
          ? retryAfterMs(res.headers["retry-after"], this.now())
          : undefined,
    });
  }

  /** A signature more than 5 min off Tencent's clock is refused; sign the next try on its clock. */
  private learnClock(date: string | string[] | undefined): void {
    const serverMs = Date.parse(Array.isArray(date) ? (date[0] ?? "") : (date ?? ""));
    if (!Number.isNaN(serverMs)) this.clockOffsetMs = serverMs - this.now();
  }
}

export function createTencentAdapter(config: Config["vendors"], options?: AdapterOptions): TencentAdapter {
  const t = config.tencent;
  if (!t.secretId || !t.secretKey) throw new Error("TENCENT_SECRET_ID and TENCENT_SECRET_KEY are not set");
  return new TencentAdapter(
    {
      secretId: t.secretId,
      secretKey: t.secretKey,
      region: t.region,
      endpoint: t.endpoint,
      projectId: t.projectId,
      modelId: t.modelId,
      timeoutMs: config.timeoutMs,
    },
    options,
  );
}
