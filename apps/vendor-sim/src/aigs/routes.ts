import { createHash } from "node:crypto";
import { type Request, Router } from "express";
import { single } from "../http-body";
import { centralFaceBox, fuseFaces } from "../images/fusion";
import {
  analyseImage,
  decodeImage,
  encodeRaw,
  NO_FACE_STDDEV,
  probeImage,
  type RawImage,
} from "../images/inspect";
import { decodeBase64Strict, fetchImage } from "../images/sources";
import type { SimAnswer, VendorCall } from "../pipeline";
import { serveResult } from "../results-store";
import { type SimContext, storeResult, vendorHandler } from "../sim-context";
import { AIGS_SUCCESS_PREFIX, AIGS_TRANSIENT_CODE, aigsError, aigsSuccess } from "./errors";
import { type FaceswapInputs, readFaceswapBody } from "./request";

/**
 * ai-gs `POST /v1/faceswap?token=…`, mounted at `<base>/aigs`. JSON in, and on success a result
 * URL kept 7 days (`GET <base>/aigs/results/<id>.jpg`).
 */

/** Two 5 MB images in base64 are about 14 MB; anything far beyond is refused as too large. */
const BODY_CAP = 24 * 1024 * 1024;
const MB = 1024 * 1024;
const TARGET_LIMITS = { maxBytes: 5 * MB, minSide: 50, maxSide: 2048 };
/** "模板图大小需小于5MB": the template must be strictly under 5 MB. */
const TEMPLATE_MAX_BYTES = 5 * MB - 1;
/** ai-gs has no strength parameter; its swaps keep most of the target's face. */
const SWAP_STRENGTH = 0.85;

export function aigsRouter(ctx: SimContext, tokens: readonly string[]): Router {
  const router = Router();
  const known = new Set(tokens);
  router.post(
    "/v1/faceswap",
    vendorHandler(ctx, "aigs", BODY_CAP, (req, body) => faceswapCall(ctx, req, known, body)),
  );
  router.get(
    "/results/:file",
    serveResult(ctx.results, "aigs", { status: 404, contentType: "text/plain", body: "404 Not Found" }),
  );
  return router;
}

function faceswapCall(
  ctx: SimContext,
  req: Request,
  tokens: ReadonlySet<string>,
  body: { bytes: Buffer; tooLarge: boolean },
): VendorCall {
  const token = single(req.query.token);
  const inputs = body.tooLarge ? null : readFaceswapBody(body.bytes);
  const call: VendorCall = {
    operation: "face_fusion",
    credential: token,
    cost: 1,
    successPrefix: AIGS_SUCCESS_PREFIX,
    admit: () => {
      if (!token) return aigsError("no_token");
      return tokens.has(token) ? null : aigsError("invalid_api_key");
    },
    scripted: (code, message, status) => aigsError(code, message, status),
    rateLimited: () => aigsError("request_rate_limit"),
    outOfCredits: () => aigsError("used_up"),
    transient: () => aigsError(AIGS_TRANSIENT_CODE),
    internalError: () => aigsError("unknown"),
    process: async () => {
      if (!inputs) return aigsError("image_size_limited");
      if (!inputs.ok) return aigsError("invalid_post", inputs.detail);
      return faceswap(ctx, call, inputs.value);
    },
  };
  // Base64 targets are hashed up front so even scripted and refused calls can be matched to their job.
  const image = inputs?.ok ? inputs.value.image : undefined;
  const bytes = image?.kind === "base64" ? decodeBase64Strict(image.value) : null;
  if (bytes) call.targetSha256 = sha256(bytes);
  return call;
}

async function faceswap(ctx: SimContext, call: VendorCall, inputs: FaceswapInputs): Promise<SimAnswer> {
  const targetBytes = await loadInput(inputs.image, TARGET_LIMITS.maxBytes);
  if (!targetBytes.ok) return targetBytes.answer;
  call.targetSha256 = sha256(targetBytes.bytes);
  const target = await checkImage(targetBytes.bytes, "image", TARGET_LIMITS);
  if (!target.ok) return target.answer;

  const templateBytes = await loadInput(inputs.template, TEMPLATE_MAX_BYTES);
  if (!templateBytes.ok) return templateBytes.answer;
  const template = await checkImage(templateBytes.bytes, "template", { maxBytes: TEMPLATE_MAX_BYTES });
  if (!template.ok) return template.answer;

  const fused = await fuseFaces(template.image, [
    {
      source: target.image,
      sourceBox: centralFaceBox(target.image.width, target.image.height),
      destBox: centralFaceBox(template.image.width, template.image.height),
      strength: SWAP_STRENGTH,
    },
  ]);
  return aigsSuccess(storeResult(ctx, "aigs", await encodeRaw(fused, "jpeg"), "jpeg"));
}

type Loaded = { ok: true; bytes: Buffer } | { ok: false; answer: SimAnswer };

async function loadInput(input: FaceswapInputs["image"], maxBytes: number): Promise<Loaded> {
  if (input.kind === "base64") {
    const bytes = decodeBase64Strict(input.value);
    if (!bytes) return { ok: false, answer: aigsError("invalid_input_image") };
    if (bytes.length > maxBytes) return { ok: false, answer: aigsError("image_size_limited") };
    return { ok: true, bytes };
  }
  const fetched = await fetchImage(input.value, { maxBytes });
  if (fetched.ok) return fetched;
  const code = fetched.reason === "too_large" ? "image_size_limited" : "invalid_input_image";
  return { ok: false, answer: aigsError(code) };
}

type Checked = { ok: true; image: RawImage } | { ok: false; answer: SimAnswer };

async function checkImage(
  bytes: Buffer,
  role: "image" | "template",
  limits: { maxBytes: number; minSide?: number; maxSide?: number },
): Promise<Checked> {
  const fail = (code: string, detail?: string): Checked => ({ ok: false, answer: aigsError(code, detail) });
  if (bytes.length > limits.maxBytes) return fail("image_size_limited");
  const probe = await probeImage(bytes);
  if (!probe || !["jpeg", "png", "webp", "bmp"].includes(probe.format)) return fail("invalid_input_image");
  const short = Math.min(probe.width, probe.height);
  const long = Math.max(probe.width, probe.height);
  if ((limits.minSide && short < limits.minSide) || (limits.maxSide && long > limits.maxSide)) {
    return fail("image_size_limited");
  }
  const analysis = await analyseImage(bytes, probe);
  const image = analysis ? await decodeImage(bytes, probe) : null;
  if (!analysis || !image) return fail("invalid_input_image");
  if (analysis.lumaStdDev < NO_FACE_STDDEV) return fail("no_face_detected", `no face detected in ${role}.`);
  return { ok: true, image };
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}
