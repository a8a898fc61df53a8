/**
 * @facegate/vendor-sim: faithful stand-ins for the AILab, ai-gs and Tencent face-fusion APIs on
 * one HTTP server, written from the vendors' docs (summarised in docs/vendors.md), independently of
 * the gateway's adapters so that a contract test between the two checks something real.
 */

export { AIGS_CODES } from "./aigs/errors";
export { AILAB_MEANING } from "./ailab/errors";
export type { SimCall } from "./call-log";
export { facegateEnv } from "./facegate-env";
export { type SyntheticFaceOptions, syntheticFace } from "./images/synthetic";
export type { Meaning } from "./meaning";
export type {
  AigsOptions,
  AilabOptions,
  SimCredentials,
  TencentOptions,
  VendorSimOptions,
} from "./options";
export { startVendorSim, type VendorSim } from "./server";
export { TENCENT_MEANING } from "./tencent/errors";
export type { TencentMaterial } from "./tencent/materials";
export {
  FAULT_KINDS,
  type FaultKind,
  type ScriptEntry,
  VENDOR_IDS,
  type VendorConfigPatch,
  type VendorId,
} from "./vendor-config";
export type { VendorStateSnapshot } from "./vendor-state";
