import type { SimAnswer } from "../pipeline";
import { tencentError } from "./errors";

/**
 * The FuseFace JSON body, checked the way API 3.0 checks parameters: unknown names are
 * `UnknownParameter`, missing required ones `MissingParameter`, wrong JSON types
 * `InvalidParameter`, out-of-range values an `InvalidParameterValue.*` code. Paths are written
 * Tencent-style (`MergeInfos.0.Url`).
 */

export interface FaceRect {
  X: number;
  Y: number;
  Width: number;
  Height: number;
}

export interface MergeInfo {
  Url?: string;
  Image?: string;
  InputImageFaceRect?: FaceRect;
  TemplateFaceID?: string;
  TemplateFaceRect?: FaceRect;
}

export interface FuseFaceRequest {
  ProjectId: string;
  ModelId: string;
  RspImgType: "url" | "base64";
  MergeInfos: MergeInfo[];
  FuseProfileDegree?: number;
  FuseFaceDegree?: number;
  /** 0 means no mark; any other value means a mark (default 1). */
  LogoAdd: number;
  LogoParam?: { LogoRect: FaceRect; LogoUrl?: string; LogoImage?: string };
}

/** Thrown inside the reader; turned into the answer at the top. */
class ParameterProblem extends Error {
  constructor(readonly answer: SimAnswer) {
    super(answer.code ?? "parameter problem");
  }
}

const MAX_MERGE_INFOS = 6;
/** Face boxes must be at least 30 px on each side (docs/vendors.md, Tencent Cloud). */
const MIN_RECT_SIDE = 30;
const MAX_LOGO_SIDE = 2160;

type Json = Record<string, unknown>;

export function readFuseFaceRequest(
  bytes: Buffer,
  contentType: string | undefined,
): { ok: true; value: FuseFaceRequest } | { ok: false; answer: SimAnswer } {
  if (!contentType?.toLowerCase().startsWith("application/json")) {
    return { ok: false, answer: tencentError("InvalidRequest", "FuseFace takes an application/json body.") };
  }
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString("utf8"));
  } catch {
    return { ok: false, answer: tencentError("InvalidParameter", "The request body is not valid JSON.") };
  }
  try {
    return { ok: true, value: readRequest(object(json, "")) };
  } catch (error) {
    if (error instanceof ParameterProblem) return { ok: false, answer: error.answer };
    throw error;
  }
}

function readRequest(body: Json): FuseFaceRequest {
  only(body, "", [
    "ProjectId",
    "ModelId",
    "RspImgType",
    "MergeInfos",
    "FuseProfileDegree",
    "FuseFaceDegree",
    "LogoAdd",
    "LogoParam",
    "FuseParam",
  ]);
  const projectId = string(body, "ProjectId", "", true) ?? "";
  const modelId = string(body, "ModelId", "", true) ?? "";
  const rspImgType = string(body, "RspImgType", "", true);
  if (rspImgType !== "url" && rspImgType !== "base64") {
    throw valueError("InvalidParameterValue.ParameterValueError", "RspImgType must be `url` or `base64`.");
  }
  const mergeInfos = required(body, "MergeInfos", "");
  if (!Array.isArray(mergeInfos)) throw typeError("MergeInfos", "Array");
  if (mergeInfos.length === 0 || mergeInfos.length > MAX_MERGE_INFOS) {
    throw valueError("InvalidParameterValue.ParameterValueError", "MergeInfos must hold 1 to 6 items.");
  }
  const request: FuseFaceRequest = {
    ProjectId: projectId,
    ModelId: modelId,
    RspImgType: rspImgType,
    MergeInfos: mergeInfos.map((item, i) =>
      readMergeInfo(object(item, `MergeInfos.${i}`), `MergeInfos.${i}.`),
    ),
    FuseProfileDegree: degree(body, "FuseProfileDegree"),
    FuseFaceDegree: degree(body, "FuseFaceDegree"),
    LogoAdd: integer(body, "LogoAdd", "") ?? 1,
  };
  if (body.LogoParam !== undefined) {
    const logo = object(body.LogoParam, "LogoParam");
    only(logo, "LogoParam.", ["LogoRect", "LogoUrl", "LogoImage"]);
    const rect = faceRect(
      object(required(logo, "LogoRect", "LogoParam."), "LogoParam.LogoRect"),
      "LogoParam.LogoRect.",
    );
    if (rect.Width > MAX_LOGO_SIDE || rect.Height > MAX_LOGO_SIDE) {
      throw valueError(
        "InvalidParameterValue.ParameterValueError",
        "LogoRect Width and Height must be at most 2160.",
      );
    }
    request.LogoParam = {
      LogoRect: rect,
      LogoUrl: string(logo, "LogoUrl", "LogoParam."),
      LogoImage: string(logo, "LogoImage", "LogoParam."),
    };
  }
  if (body.FuseParam !== undefined) readFuseParam(object(body.FuseParam, "FuseParam"));
  return request;
}

function readMergeInfo(item: Json, path: string): MergeInfo {
  only(item, path, ["Url", "Image", "InputImageFaceRect", "TemplateFaceID", "TemplateFaceRect"]);
  const info: MergeInfo = {
    Url: string(item, "Url", path),
    Image: string(item, "Image", path),
    TemplateFaceID: string(item, "TemplateFaceID", path),
  };
  if (item.InputImageFaceRect !== undefined) {
    info.InputImageFaceRect = faceRect(
      object(item.InputImageFaceRect, `${path}InputImageFaceRect`),
      `${path}InputImageFaceRect.`,
    );
  }
  if (item.TemplateFaceRect !== undefined) {
    info.TemplateFaceRect = faceRect(
      object(item.TemplateFaceRect, `${path}TemplateFaceRect`),
      `${path}TemplateFaceRect.`,
    );
  }
  return info;
}

function faceRect(rect: Json, path: string): FaceRect {
  only(rect, path, ["X", "Y", "Width", "Height"]);
  const value = (name: string) => {
    const n = integer(rect, name, path);
    if (n === undefined) throw missingError(`${path}${name}`);
    return n;
  };
  const result = { X: value("X"), Y: value("Y"), Width: value("Width"), Height: value("Height") };
  if (result.X < 0 || result.Y < 0 || result.Width < MIN_RECT_SIDE || result.Height < MIN_RECT_SIDE) {
    throw valueError(
      "InvalidParameterValue.FaceRectParameterValueError",
      `${path.slice(0, -1)}: X and Y must be ≥ 0, Width and Height ≥ ${MIN_RECT_SIDE}.`,
    );
  }
  return result;
}

function readFuseParam(param: Json): void {
  only(param, "FuseParam.", ["ImageCodecParam"]);
  if (param.ImageCodecParam === undefined) return;
  const codec = object(param.ImageCodecParam, "FuseParam.ImageCodecParam");
  only(codec, "FuseParam.ImageCodecParam.", ["MetaData"]);
  if (codec.MetaData === undefined) return;
  if (!Array.isArray(codec.MetaData)) throw typeError("FuseParam.ImageCodecParam.MetaData", "Array");
  if (codec.MetaData.length > 1)
    throw valueError("InvalidParameterValue.ParameterValueError", "MetaData takes at most 1 item.");
  for (const [i, entry] of codec.MetaData.entries()) {
    const path = `FuseParam.ImageCodecParam.MetaData.${i}.`;
    const meta = object(entry, path.slice(0, -1));
    only(meta, path, ["MetaKey", "MetaValue"]);
    if (
      (string(meta, "MetaKey", path) ?? "").length > 32 ||
      (string(meta, "MetaValue", path) ?? "").length > 256
    ) {
      throw valueError(
        "InvalidParameterValue.ParameterValueError",
        "MetaKey ≤ 32 and MetaValue ≤ 256 characters.",
      );
    }
  }
}

function degree(body: Json, name: string): number | undefined {
  const value = integer(body, name, "");
  if (value !== undefined && (value < 0 || value > 100)) {
    throw valueError("InvalidParameterValue.ParameterValueError", `${name} must be between 0 and 100.`);
  }
  return value;
}

function only(item: Json, path: string, allowed: readonly string[]): void {
  for (const key of Object.keys(item)) {
    if (!allowed.includes(key)) {
      throw new ParameterProblem(
        tencentError("UnknownParameter", `The parameter \`${path}${key}\` is not recognized.`),
      );
    }
  }
}

function required(item: Json, name: string, path: string): unknown {
  if (item[name] === undefined || item[name] === null) throw missingError(`${path}${name}`);
  return item[name];
}

function string(item: Json, name: string, path: string, isRequired = false): string | undefined {
  const value = isRequired ? required(item, name, path) : item[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw typeError(`${path}${name}`, "String");
  return value;
}

function integer(item: Json, name: string, path: string): number | undefined {
  const value = item[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value)) throw typeError(`${path}${name}`, "Integer");
  return value;
}

function object(value: unknown, path: string): Json {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw typeError(path || "(body)", "Object");
  return value as Json;
}

function missingError(path: string): ParameterProblem {
  return new ParameterProblem(
    tencentError("MissingParameter", `The request is missing a required parameter \`${path}\`.`),
  );
}

function typeError(path: string, expected: string): ParameterProblem {
  return new ParameterProblem(
    tencentError("InvalidParameter", `The type of parameter \`${path}\` is wrong, expected ${expected}.`),
  );
}

function valueError(code: string, message: string): ParameterProblem {
  return new ParameterProblem(tencentError(code, message));
}
