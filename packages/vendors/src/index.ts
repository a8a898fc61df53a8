export * from "./adapter-options";
export { AigsAdapter, type AigsAdapterConfig, createAigsAdapter } from "./aigs/adapter";
export { AIGS_ERRORS, classifyAigs } from "./aigs/errors";
export { AilabAdapter, type AilabAdapterConfig, createAilabAdapter } from "./ailab/adapter";
export { AILAB_ERRORS, classifyAilab } from "./ailab/errors";
export type { Classification } from "./classification";
export { faceLimits, faceSidePx, judgeFaces } from "./face-limits";
export { fetchResultUrl } from "./fetch-result";
export * from "./http";
export { sniffImageType } from "./image-bytes";
export { sizeRefusal, VENDOR_LIMITS } from "./image-fit";
export { createLocalAdapter, LocalAdapter } from "./local/adapter";
export { NETWORK_FAILURE_CODES, TIMEOUT_CODES } from "./network-errors";
export * from "./params";
export * from "./registry";
export {
  createTencentAdapter,
  FUSE_FACE,
  TencentAdapter,
  type TencentAdapterConfig,
} from "./tencent/adapter";
export { classifyTencent, TENCENT_ERRORS } from "./tencent/errors";
export { type Tc3Signature, type Tc3SignInput, tc3Sign } from "./tencent/sign";
export * from "./types";
