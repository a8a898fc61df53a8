import type { Config } from "@facegate/config";
import type { ImageLimits, InputRole, Operation } from "@facegate/core";
import { type AdapterOptions, DAY_MS, endpoint } from "../adapter-options";
import { BaseAdapter } from "../base-adapter";
import { malformed, retryAfterMs, shortMessage, toVendorError } from "../classification";
import type { HttpResponse } from "../http";
import { decodeBase64Image } from "../image-bytes";
import { parseJsonBody } from "../response-body";
import type { VendorRequest, VendorResult } from "../types";
import { classifyAilab } from "./errors";
import { ailabLimits } from "./limits";
import { buildAilabCall } from "./request";
import { type AilabEnvelope, ailabEnvelope, ailabImageData, ailabImageUrlData } from "./schemas";

/** smart-face-slimming URLs: "temporary address, valid for 24 hours" (docs/vendors.md, AILabTools). */
const RESULT_URL_TTL_MS = DAY_MS;

export interface AilabAdapterConfig {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
}

/** AILabTools: three synchronous multipart endpoints behind one `ailabapi-api-key` header. */
export class AilabAdapter extends BaseAdapter {
  readonly id = "ailab" as const;

  constructor(
    private readonly config: AilabAdapterConfig,
    options: AdapterOptions = {},
  ) {
    super("ailab", config.timeoutMs, options);
  }

  limits(operation: Operation, role: InputRole): ImageLimits {
    return ailabLimits(operation, role);
  }

  /** One API key, one rate limit. */
  credentials(): string[] {
    return ["ailab"];
  }

  async call(request: VendorRequest): Promise<VendorResult> {
    const call = buildAilabCall(request);
    const res = await this.http.send({
      method: "POST",
      url: endpoint(this.config.baseUrl, call.path),
      // No Content-Type: undici writes multipart/form-data with its boundary.
      headers: { "ailabapi-api-key": this.config.apiKey, accept: "application/json" },
      body: call.form,
      signal: request.signal,
    });
    const envelope = parseJsonBody("ailab", res.body, ailabEnvelope);
    // Success is HTTP 200 with error_code 0 or absent, as the official SDK tests it (docs/vendors.md, AILabTools).
    if (res.status !== 200 || (envelope.error_code ?? 0) !== 0) throw this.failure(res, envelope);

    if (call.result === "image") {
      const data = ailabImageData.safeParse(envelope.data);
      if (!data.success) throw malformed("ailab", "data.image is missing");
      return { kind: "bytes", ...decodeBase64Image("ailab", data.data.image) };
    }
    const data = ailabImageUrlData.safeParse(envelope.data);
    if (!data.success) throw malformed("ailab", "data.image_url is missing or not a URL");
    return { kind: "url", url: data.data.image_url, expiresAt: this.now() + RESULT_URL_TTL_MS };
  }

  private failure(res: HttpResponse, envelope: AilabEnvelope): Error {
    const detail = envelope.error_detail;
    // code_message is AILab's short summary; message is free-form detail (often terser, e.g. "pic not has face").
    const vendorCode = detail?.code || envelope.error_code_str || undefined;
    // error_code equals the HTTP status on errors; it stands in when a 200 carries an error.
    const status = res.status !== 200 ? res.status : (envelope.error_code ?? res.status);
    const classification = classifyAilab(vendorCode, status);
    return toVendorError({
      vendor: "ailab",
      classification,
      vendorCode,
      message: shortMessage(
        detail?.code_message || detail?.message || envelope.error_msg || undefined,
        `AILab answered HTTP ${res.status}`,
      ),
      retryAfterMs:
        classification.kind === "rate_limited"
          ? retryAfterMs(res.headers["retry-after"], this.now())
          : undefined,
    });
  }
}

export function createAilabAdapter(config: Config["vendors"], options?: AdapterOptions): AilabAdapter {
  if (!config.ailab.apiKey) throw new Error("AILAB_API_KEY is not set");
  return new AilabAdapter(
    { apiKey: config.ailab.apiKey, baseUrl: config.ailab.baseUrl, timeoutMs: config.timeoutMs },
    options,
  );
}
