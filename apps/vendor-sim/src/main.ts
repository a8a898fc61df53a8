import { startVendorSim } from "./index";

/**
 * Runs the simulator on its own: `tsx apps/vendor-sim/src/main.ts`.
 * SIM_HOST (127.0.0.1), SIM_PORT (0 = any free port), SIM_SEED (1), SIM_PUBLIC_URL (the listening URL).
 * Prints the base URLs and credentials to give the gateway, then runs until SIGINT/SIGTERM.
 */

function intFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isInteger(value)) {
    console.error(`${name} must be an integer, got "${text}"`);
    process.exit(2);
  }
  return value;
}

const sim = await startVendorSim({
  host: process.env.SIM_HOST || "127.0.0.1",
  port: intFromEnv("SIM_PORT", 0),
  seed: intFromEnv("SIM_SEED", 1),
  publicUrl: process.env.SIM_PUBLIC_URL || undefined,
});

const { credentials: c, urls } = sim;
// These are the simulator's own made-up credentials, printed on purpose so they can be copied.
console.log(`vendor-sim listening on ${sim.url}  (controls: ${sim.url}/_sim)

AILAB_BASE_URL=${urls.ailab}
AILAB_API_KEY=${c.ailabApiKey}
AIGS_BASE_URL=${urls.aigs}
AIGS_TOKENS=${c.aigsTokens.join(",")}
TENCENT_ENDPOINT=${urls.tencent}
TENCENT_SECRET_ID=${c.tencentSecretId}
TENCENT_SECRET_KEY=${c.tencentSecretKey}
TENCENT_PROJECT_ID=${c.tencentProjectId}
TENCENT_MODEL_ID=${c.tencentModelId}
# Tencent template face ids: ${c.tencentFaceIds.join(", ")}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await sim.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
