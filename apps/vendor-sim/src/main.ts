import { facegateEnv, startVendorSim } from "./index";

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

const env = Object.entries(facegateEnv(sim)).map(([name, value]) => `${name}=${value}`);
// These are the simulator's own made-up credentials, printed on purpose so they can be copied.
console.log(`vendor-sim listening on ${sim.url}  (controls: ${sim.url}/_sim)

${env.join("\n")}
# Tencent template face ids: ${sim.credentials.tencentFaceIds.join(", ")}`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await sim.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
