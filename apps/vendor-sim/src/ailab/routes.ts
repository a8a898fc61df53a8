import { createHash } from "node:crypto";
import { type Request, Router } from "express";
import { applyExpression, isExpressionCode } from "../images/expressions";
import { centralFaceBox, fuseFaces } from "../images/fusion";
import { encodeRaw } from "../images/inspect";
import { slimFace } from "../images/slimming";
import type { SimAnswer, VendorCall } from "../pipeline";
import { serveResult } from "../results-store";
import { type SimContext, storeResult, vendorHandler } from "../sim-context";
import { ailabError, ailabSuccess, ailabSuccessPrefix } from "./envelope";
import { AILAB_TRANSIENT_CODES } from "./errors";
import { checkAilabImage, EMOTION_TARGET, FUSION_TARGET, FUSION_TEMPLATE, SLIMMING_IMAGE } from "./limits";
import { type MultipartResult, parseMultipart } from "./multipart";
import { readNumberField } from "./params";

/**
 * AILabTools' three portrait endpoints, mounted at `<base>/ailab`. All synchronous: fusion and
 * expression answer base64 in `data.image`; slimming answers `data.image_url`, a link kept 24 h.
 */

/** Whole-request cap: two 4 MB files plus multipart overhead fit with room to spare. */
const BODY_CAP = 32 * 1024 * 1024;

type Form = Extract<MultipartResult, { ok: true }>;

interface AilabOperation {
  operation: string;
  /** Credits per request, from the endpoint table. */
  cost: number;
  resultField: "image" | "image_url";
  /** Multipart field holding the image whose hash goes into the call log. */
  targetField: string;
  run(form: Form, ctx: SimContext): Promise<SimAnswer>;
}

const FACE_FUSION: AilabOperation = {
  operation: "face_fusion",
  cost: 8,
  resultField: "image",
  targetField: "image_target",
  async run(form) {
    const similarity = readNumberField(form, "source_similarity", {
      min: 0,
      max: 1,
      rangeCode: "ERROR_INVALID_PARAMETER",
    });
    if (!similarity.ok) return similarity.answer;
    const target = await checkAilabImage(form.files.get("image_target"), FUSION_TARGET);
    if (!target.ok) return target.answer;
    const template = await checkAilabImage(form.files.get("image_template"), FUSION_TEMPLATE);
    if (!template.ok) return template.answer;
    // 0 keeps the template's look, 1 is as close to the target as it gets; a faint blend remains at 0.
    const strength = 0.15 + 0.85 * (similarity.value ?? 0.5);
    const fused = await fuseFaces(template.image, [
      {
        source: target.image,
        sourceBox: centralFaceBox(target.image.width, target.image.height),
        destBox: centralFaceBox(template.image.width, template.image.height),
        strength,
      },
    ]);
    return ailabSuccess({ image: (await encodeRaw(fused, "jpeg")).toString("base64") });
  },
};

const EXPRESSION: AilabOperation = {
  operation: "expression",
  cost: 12,
  resultField: "image",
  targetField: "image_target",
  async run(form) {
    const choice = readNumberField(form, "service_choice", {
      required: true,
      integer: true,
      rangeCode: "UNSUPPORTED_PARAMETER_VALUES",
      accept: isExpressionCode,
    });
    if (!choice.ok) return choice.answer;
    const target = await checkAilabImage(form.files.get("image_target"), EMOTION_TARGET);
    if (!target.ok) return target.answer;
    const code = choice.value ?? 10;
    if (!isExpressionCode(code)) return ailabError("UNSUPPORTED_PARAMETER_VALUES");
    const edited = await applyExpression(target.image, code);
    return ailabSuccess({ image: edited.toString("base64") });
  },
};

const FACE_SLIMMING: AilabOperation = {
  operation: "face_slimming",
  cost: 5,
  resultField: "image_url",
  targetField: "image",
  async run(form, ctx) {
    const degree = readNumberField(form, "slim_degree", {
      min: 0,
      max: 2,
      rangeCode: "ERROR_INVALID_FACE_SLIMMING_PARAMETER",
    });
    if (!degree.ok) return degree.answer;
    const image = await checkAilabImage(form.files.get("image"), SLIMMING_IMAGE);
    if (!image.ok) return image.answer;
    const slimmed = await slimFace(image.image, degree.value ?? 1);
    return ailabSuccess({ image_url: storeResult(ctx, "ailab", slimmed, "jpeg") });
  },
};

export function ailabRouter(ctx: SimContext, apiKeys: readonly string[]): Router {
  const router = Router();
  const keys = new Set(apiKeys);
  const route = (op: AilabOperation) =>
    vendorHandler(ctx, "ailab", BODY_CAP, async (req, body) => {
      const form = body.tooLarge ? null : await parseMultipart(body.bytes, req.headers["content-type"]);
      return ailabCall(ctx, req, keys, op, form);
    });
  router.post("/api/portrait/effects/face-fusion", route(FACE_FUSION));
  router.post("/api/portrait/effects/emotion-editor", route(EXPRESSION));
  router.post("/api/portrait/effects/smart-face-slimming", route(FACE_SLIMMING));
  // Result links live on the vendor's storage; a dead one is a plain 404 there.
  router.get(
    "/results/:file",
    serveResult(ctx.results, "ailab", { status: 404, contentType: "text/plain", body: "Not Found" }),
  );
  return router;
}

function ailabCall(
  ctx: SimContext,
  req: Request,
  keys: ReadonlySet<string>,
  op: AilabOperation,
  form: MultipartResult | null,
): VendorCall {
  const header = req.headers["ailabapi-api-key"];
  const apiKey = typeof header === "string" && header !== "" ? header : undefined;
  const target = form?.ok ? form.files.get(op.targetField) : undefined;
  const limit = ctx.states.ailab.rateLimitPerSecond;
  return {
    operation: op.operation,
    credential: apiKey,
    targetSha256: target ? createHash("sha256").update(target.bytes).digest("hex") : undefined,
    cost: op.cost,
    successPrefix: ailabSuccessPrefix(op.resultField),
    admit: () =>
      apiKey && keys.has(apiKey)
        ? null
        : ailabError(
            "ERROR_APPLICATIONS_NOT_EXISTS",
            apiKey ? "Invalid API KEY." : "Missing ailabapi-api-key header.",
          ),
    scripted: (code, message, status) => ailabError(code, message, status),
    rateLimited: () => ailabError("EXCEEDING_LIMITS", `More than ${limit} requests per second.`),
    outOfCredits: () =>
      ailabError(
        "ERROR_NOT_ENOUGH_CREDITS",
        `This request needs ${op.cost} credits; the balance is too low.`,
      ),
    transient: (rng) => ailabError(rng.pick(AILAB_TRANSIENT_CODES)),
    internalError: () => ailabError("UNKNOWN_ERROR"),
    process: async () => {
      if (!form)
        return ailabError("ERROR_REQUEST_BODY_TOO_LARGE", `The request body exceeds ${BODY_CAP} bytes.`);
      if (!form.ok && form.reason === "not_multipart") {
        return ailabError("ERROR_PARAMETERS", "Content-Type must be multipart/form-data.");
      }
      if (!form.ok) return ailabError("ERROR_INVALID_PARAMETER_FORMAT", "The multipart body is malformed.");
      if (form.repeatedFile)
        return ailabError("ERROR_TOO_MANY_FILES", `${form.repeatedFile} was sent more than once.`);
      return op.run(form, ctx);
    },
  };
}
