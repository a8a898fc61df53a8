import { createHash } from "node:crypto";
import { type Request, Router } from "express";
import { decodeBase64Strict } from "../images/sources";
import type { VendorCall } from "../pipeline";
import { serveResult } from "../results-store";
import { type SimContext, vendorHandler } from "../sim-context";
import { admitTencent, presentedSecretId } from "./auth";
import { TENCENT_SUCCESS_PREFIX, TENCENT_TRANSIENT_CODES, tencentError } from "./errors";
import { fuseFace } from "./fuse-face";
import { readFuseFaceRequest } from "./fuse-face-request";
import type { MaterialCatalog } from "./materials";

/**
 * Tencent Cloud Face Fusion (API 3.0, `POST /` with X-TC-* headers), mounted at `<base>/tencent`.
 * Only FuseFace 2022-09-27 is served; every error is HTTP 200 with `Response.Error`.
 */

/** "A v3 POST may be up to 10 MB" (docs/vendors.md, Tencent Cloud). */
const BODY_CAP = 10 * 1024 * 1024;

export interface TencentSettings {
  /** SecretId → SecretKey. */
  secrets: ReadonlyMap<string, string>;
  regions: ReadonlySet<string>;
  materials: MaterialCatalog;
}

export function tencentRouter(ctx: SimContext, settings: TencentSettings): Router {
  const router = Router();
  router.post(
    "/",
    vendorHandler(ctx, "tencent", BODY_CAP, (req, body) => fuseFaceCall(ctx, settings, req, body)),
  );
  // Results sit behind signed COS links: once expired, the store answers 403 like an expired signature.
  router.get(
    "/results/:file",
    serveResult(ctx.results, "tencent", {
      status: 403,
      contentType: "application/xml",
      body: "<?xml version='1.0' encoding='utf-8' ?><Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
    }),
  );
  return router;
}

function fuseFaceCall(
  ctx: SimContext,
  settings: TencentSettings,
  req: Request,
  body: { bytes: Buffer; tooLarge: boolean },
): VendorCall {
  const secretId = presentedSecretId(req);
  const parsed = body.tooLarge ? null : readFuseFaceRequest(body.bytes, req.headers["content-type"]);
  const limit = ctx.states.tencent.rateLimitPerSecond;
  const call: VendorCall = {
    operation: "face_fusion",
    credential: secretId,
    cost: 1,
    successPrefix: TENCENT_SUCCESS_PREFIX,
    admit: () => {
      if (body.tooLarge) return tencentError("RequestSizeLimitExceeded", "The request body exceeds 10 MB.");
      return admitTencent(req, body.bytes, {
        secrets: settings.secrets,
        regions: settings.regions,
        now: ctx.now,
      });
    },
    scripted: (code, message) => tencentError(code, message),
    rateLimited: () =>
      tencentError(
        "RequestLimitExceeded",
        `Your current request times exceed the frequency limit \`${limit}\` per second. Please reduce the frequency of calls.`,
      ),
    outOfCredits: () => tencentError("FailedOperation.BalanceInsufficient"),
    transient: (rng) => tencentError(rng.pick(TENCENT_TRANSIENT_CODES)),
    internalError: () => tencentError("InternalError"),
    process: async () => {
      if (!parsed) return tencentError("RequestSizeLimitExceeded");
      if (!parsed.ok) return parsed.answer;
      return fuseFace(ctx, settings.materials, parsed.value, call);
    },
  };
  call.targetSha256 = body.tooLarge ? undefined : firstImageSha256(body.bytes);
  return call;
}

/**
 * A base64 first face is hashed up front, from the raw JSON, so scripted and refused calls still
 * show their target (URL faces are hashed once downloaded).
 */
function firstImageSha256(bytes: Buffer): string | undefined {
  try {
    const first = (
      JSON.parse(bytes.toString("utf8")) as { MergeInfos?: { Url?: unknown; Image?: unknown }[] }
    ).MergeInfos?.[0];
    if (!first || first.Url || typeof first.Image !== "string") return undefined;
    const image = decodeBase64Strict(first.Image);
    return image ? createHash("sha256").update(image).digest("hex") : undefined;
  } catch {
    return undefined;
  }
}
