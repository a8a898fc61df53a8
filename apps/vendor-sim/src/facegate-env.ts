import type { VendorSim } from "./server";

/**
 * The environment that points facegate at this simulator for every vendor (what `npm start`
 * and the tests use, and what `main.ts` prints to copy).
 */
export function facegateEnv(sim: Pick<VendorSim, "urls" | "credentials">): Record<string, string> {
  const c = sim.credentials;
  return {
    AILAB_BASE_URL: sim.urls.ailab,
    AILAB_API_KEY: c.ailabApiKey,
    AIGS_BASE_URL: sim.urls.aigs,
    AIGS_TOKENS: c.aigsTokens.join(","),
    TENCENT_ENDPOINT: sim.urls.tencent,
    TENCENT_SECRET_ID: c.tencentSecretId,
    TENCENT_SECRET_KEY: c.tencentSecretKey,
    TENCENT_PROJECT_ID: c.tencentProjectId,
    TENCENT_MODEL_ID: c.tencentModelId,
  };
}
