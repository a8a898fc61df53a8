import { VendorError } from "@facegate/core";
import { badRequest } from "../classification";
import { tencentFaceFusionParams } from "../params";
import type { FaceRect, MergeFace, VendorRequest } from "../types";
import type { FuseFaceRequestBody, TencentFaceRect, TencentMergeInfo } from "./schemas";

/** "MergeInfos … no more than 6 entries" (docs/vendors.md, Tencent Cloud). */
export const MAX_MERGES = 6;

export interface FuseFaceDefaults {
  projectId: string | undefined;
  modelId: string | undefined;
  rspImgType: "url" | "base64";
}

/**
 * The FuseFace body from a facegate request. `merges` (multi-face) wins over `target`; the
 * `template_face_id` param applies to the single-target form only, since each merge carries its own.
 * `LogoAdd` is sent as the vendor's default 1 (the visible "AI 合成" mark) unless `logo_add: 0`:
 * facegate's XMP marking is machine-readable, the vendor's mark is what a person sees.
 */
export function buildFuseFaceBody(request: VendorRequest, defaults: FuseFaceDefaults): FuseFaceRequestBody {
  if (request.operation !== "face_fusion")
    throw badRequest("tencent", `tencent does not run ${request.operation}`);
  const parsed = tencentFaceFusionParams.safeParse(request.params);
  if (!parsed.success) {
    throw badRequest("tencent", `Invalid params: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
  }
  const params = parsed.data;
  const projectId = params.project_id ?? defaults.projectId;
  const modelId = params.model_id ?? defaults.modelId;
  if (!projectId || !modelId) {
    throw new VendorError({
      vendor: "tencent",
      kind: "config",
      code: "vendor_config_error",
      message: "Tencent needs a project and a model id (TENCENT_PROJECT_ID, TENCENT_MODEL_ID or params)",
    });
  }

  const faces: MergeFace[] =
    request.merges && request.merges.length > 0
      ? request.merges
      : request.target
        ? [{ image: request.target, templateFaceId: params.template_face_id }]
        : [];
  if (faces.length === 0) throw badRequest("tencent", "A target image or merges are required");
  if (faces.length > MAX_MERGES) throw badRequest("tencent", `Tencent fuses at most ${MAX_MERGES} faces`);

  const body: FuseFaceRequestBody = {
    ProjectId: projectId,
    ModelId: modelId,
    RspImgType: defaults.rspImgType,
    MergeInfos: faces.map(mergeInfo),
    LogoAdd: params.logo_add ?? 1,
  };
  if (params.fuse_face_degree !== undefined) body.FuseFaceDegree = params.fuse_face_degree;
  if (params.fuse_profile_degree !== undefined) body.FuseProfileDegree = params.fuse_profile_degree;
  return body;
}

function mergeInfo(face: MergeFace): TencentMergeInfo {
  const info: TencentMergeInfo = { Image: face.image.bytes.toString("base64") };
  if (face.templateFaceId) info.TemplateFaceID = face.templateFaceId;
  if (face.inputFaceRect) info.InputImageFaceRect = rect(face.inputFaceRect);
  if (face.templateFaceRect) info.TemplateFaceRect = rect(face.templateFaceRect);
  return info;
}

function rect(r: FaceRect): TencentFaceRect {
  return { X: Math.round(r.x), Y: Math.round(r.y), Width: Math.round(r.width), Height: Math.round(r.height) };
}
