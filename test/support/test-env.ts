import { randomBytes } from "node:crypto";
import { facegateEnv, type VendorSim } from "@facegate/vendor-sim";
import { inject } from "vitest";

export const TEST_KEYS = {
  acme: "fg_test_acme_0123456789abcdef",
  beta: "fg_test_beta_fedcba9876543210",
};

/** A unique Redis prefix and bucket per test system, so files never see each other's data. */
export function isolation() {
  const id = randomBytes(5).toString("hex");
  return { prefix: `t${id}`, bucket: `t-${id}` };
}

/**
 * The environment of a test system: the run's Redis and S3, the given simulator as every vendor,
 * two tenants, fast timings. `overrides` win.
 */
export function testEnv(
  sim: VendorSim | undefined,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const { prefix, bucket } = isolation();
  const s3 = inject("s3");
  const env: Record<string, string> = {
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    PORT: "0",
    REDIS_URL: inject("redisUrl"),
    REDIS_PREFIX: prefix,
    S3_ENDPOINT: s3.endpoint,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_BUCKET: bucket,
    S3_FORCE_PATH_STYLE: "true",
    API_KEYS: `acme:${TEST_KEYS.acme},beta:${TEST_KEYS.beta}`,
    // Tests poll fast; the per-key limit itself is tested with a low value (test/hostile/rate-limit).
    API_RATE_LIMIT_PER_MINUTE: "1000000",
    JOB_BACKOFF_MS: "50",
    JOB_LOCK_MS: "3000",
    WEBHOOK_RETRY_SCHEDULE: "0,100ms,200ms,300ms,400ms",
    WEBHOOK_TIMEOUT_MS: "2000",
  };
  if (sim) Object.assign(env, facegateEnv(sim));
  return { ...env, ...overrides };
}
