import type { TencentMaterial } from "./tencent/materials";
import { DEFAULT_MATERIAL } from "./tencent/materials";
import type { VendorConfigPatch } from "./vendor-config";

/** Options of `startVendorSim`. Every field is optional; the defaults give a working simulator. */
export interface VendorSimOptions {
  /** Interface to listen on. @defaultValue "127.0.0.1" */
  host?: string;
  /** Port; 0 picks a free one. @defaultValue 0 */
  port?: number;
  /** Base written into result URLs, when clients reach the simulator by another name. @defaultValue the listening URL */
  publicUrl?: string;
  /** The simulator's clock in ms since the epoch: result expiry, rate windows, Tencent timestamp checks. @defaultValue Date.now */
  now?: () => number;
  /** Seed of the random generators (fault rolls, latency jitter, transient code choice). @defaultValue 1 */
  seed?: number;
  ailab?: AilabOptions;
  aigs?: AigsOptions;
  tencent?: TencentOptions;
  results?: {
    /** Result images kept at most (oldest evicted first). @defaultValue 2000 */
    maxCount?: number;
    /** Bytes of result images kept at most. @defaultValue 256 MiB */
    maxBytes?: number;
  };
}

/** Start configuration of a vendor: any `configure()` patch, plus its credentials. */
export type AilabOptions = VendorConfigPatch & {
  /** Valid `ailabapi-api-key` values. @defaultValue ["sim-ailab-key"] */
  apiKeys?: string[];
};

export type AigsOptions = VendorConfigPatch & {
  /** Valid `token` query values, each with its own rate window. @defaultValue sim-aigs-token-1..3 */
  tokens?: string[];
};

export type TencentOptions = VendorConfigPatch & {
  /** Valid key pairs. @defaultValue one simulator pair (see `credentials`) */
  secrets?: { secretId: string; secretKey: string }[];
  /** Activities and materials. @defaultValue at_sim_project / mt_sim_model with faces mt_sim_model_1, _2 */
  materials?: TencentMaterial[];
  /** Accepted X-TC-Region values. @defaultValue the mainland and international regions listed below */
  regions?: string[];
};

/** What a client of the simulator needs to call it (the first credential of each kind). */
export interface SimCredentials {
  ailabApiKey: string;
  aigsTokens: string[];
  tencentSecretId: string;
  tencentSecretKey: string;
  tencentProjectId: string;
  tencentModelId: string;
  tencentFaceIds: string[];
}

export const DEFAULT_AILAB_KEYS = ["sim-ailab-key"];
export const DEFAULT_AIGS_TOKENS = ["sim-aigs-token-1", "sim-aigs-token-2", "sim-aigs-token-3"];
/** Shaped like real keys (AKID + 32 characters; 32-character secret) so format checks in adapters pass. */
export const DEFAULT_TENCENT_SECRET = {
  secretId: "AKIDSimFacegateVendorSimulator000001",
  secretKey: "simFacegateSecretKey000000000001",
};
export const DEFAULT_TENCENT_REGIONS = [
  "ap-guangzhou",
  "ap-shanghai",
  "ap-beijing",
  "ap-chengdu",
  "ap-chongqing",
  "ap-nanjing",
  "ap-hongkong",
  "ap-singapore",
  "ap-seoul",
  "ap-tokyo",
  "ap-mumbai",
  "ap-bangkok",
  "na-siliconvalley",
  "na-ashburn",
  "eu-frankfurt",
];

/** The vendor's patch part of its options (the schema is strict, credentials are not config). */
export function configPart(
  options: AilabOptions | AigsOptions | TencentOptions | undefined,
): VendorConfigPatch {
  if (!options) return {};
  const { apiKeys, tokens, secrets, materials, regions, ...patch } = options as AilabOptions &
    AigsOptions &
    TencentOptions;
  return patch;
}

export interface ResolvedCredentials {
  ailabKeys: string[];
  aigsTokens: string[];
  tencentSecrets: { secretId: string; secretKey: string }[];
  tencentMaterials: TencentMaterial[];
  tencentRegions: string[];
}

export function resolveCredentials(options: VendorSimOptions): ResolvedCredentials {
  const nonEmpty = <T>(list: T[] | undefined, fallback: T[], what: string): T[] => {
    const chosen = list ?? fallback;
    if (chosen.length === 0) throw new Error(`vendor-sim: ${what} must not be empty`);
    return chosen;
  };
  return {
    ailabKeys: nonEmpty(options.ailab?.apiKeys, DEFAULT_AILAB_KEYS, "ailab.apiKeys"),
    aigsTokens: nonEmpty(options.aigs?.tokens, DEFAULT_AIGS_TOKENS, "aigs.tokens"),
    tencentSecrets: nonEmpty(options.tencent?.secrets, [DEFAULT_TENCENT_SECRET], "tencent.secrets"),
    tencentMaterials: nonEmpty(options.tencent?.materials, [DEFAULT_MATERIAL], "tencent.materials"),
    tencentRegions: nonEmpty(options.tencent?.regions, DEFAULT_TENCENT_REGIONS, "tencent.regions"),
  };
}

export function publicCredentials(resolved: ResolvedCredentials): SimCredentials {
  const secret = resolved.tencentSecrets[0] ?? DEFAULT_TENCENT_SECRET;
  const material = resolved.tencentMaterials[0] ?? DEFAULT_MATERIAL;
  return {
    ailabApiKey: resolved.ailabKeys[0] ?? "",
    aigsTokens: [...resolved.aigsTokens],
    tencentSecretId: secret.secretId,
    tencentSecretKey: secret.secretKey,
    tencentProjectId: material.projectId,
    tencentModelId: material.modelId,
    tencentFaceIds: [...material.faceIds],
  };
}
