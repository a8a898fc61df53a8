export { type AddressClass, classifyAddress, isPublicAddress } from "./address-policy";
export { type Allowlist, parseAllowlist } from "./allowlist";
export {
  createEgress,
  type Egress,
  type EgressDownload,
  type EgressOptions,
  type EgressRequestInit,
  type EgressResponse,
} from "./egress";
export { EgressError, type EgressErrorCode } from "./errors";
export type { EgressBody } from "./response-body";
