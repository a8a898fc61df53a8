import { z } from "zod";

/** `FaceRect` (docs/vendors.md, Tencent Cloud): pixel ints. */
export interface TencentFaceRect {
  X: number;
  Y: number;
  Width: number;
  Height: number;
}

/** One face to fuse. facegate always sends `Image` (base64): inputs live in private storage. */
export interface TencentMergeInfo {
  Image: string;
  TemplateFaceID?: string;
  InputImageFaceRect?: TencentFaceRect;
  TemplateFaceRect?: TencentFaceRect;
}

/** `FuseFaceRequest`, version 2022-09-27 (docs/vendors.md, Tencent Cloud). */
export interface FuseFaceRequestBody {
  ProjectId: string;
  ModelId: string;
  RspImgType: "url" | "base64";
  MergeInfos: TencentMergeInfo[];
  FuseFaceDegree?: number;
  FuseProfileDegree?: number;
  LogoAdd: 0 | 1;
}

/**
 * Every answer that reaches Tencent is `{"Response":{…,"RequestId"}}`; an `Error` key means failure
 * (docs/vendors.md, Tencent Cloud), otherwise `FusedImage` carries the URL or base64.
 */
export const tencentEnvelope = z.object({
  Response: z.looseObject({
    Error: z.looseObject({ Code: z.string().min(1), Message: z.string().nullish() }).optional(),
    FusedImage: z.string().nullish(),
    RequestId: z.string().nullish(),
  }),
});

export const fusedImageUrl = z.url({ protocol: /^https?$/ });
