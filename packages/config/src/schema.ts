import { VENDORS } from "@facegate/core";
import { z } from "zod";
import {
  envBoolean,
  envDurations,
  envHostPorts,
  envInt,
  envList,
  envNumber,
  envPrices,
  envUrl,
} from "./parsers";

/**
 * Every environment variable facegate reads, in one place (the README's settings table).
 * Parsed once at start by `loadConfig` into the nested `Config` object.
 */
export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LOG_PRETTY: envBoolean.optional(),

  PORT: envInt(0, 65_535).default(8080),
  API_KEYS: envList.default([]),
  ADMIN_API_KEY: z.string().min(16, "must be at least 16 characters").optional(),
  API_RATE_LIMIT_PER_MINUTE: envInt(1).default(600),
  MAX_QUEUED_JOBS_PER_TENANT: envInt(1).default(20_000),
  MAX_IMAGE_BYTES: envInt(1024).default(20 * 1024 * 1024),
  MAX_IMAGE_PIXELS: envInt(1).default(50_000_000),
  MAX_WAIT_S: envInt(1, 60).default(60),

  /** One Redis node; or a cluster (REDIS_CLUSTER_NODES); or Sentinel (REDIS_SENTINELS + name). */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
    .optional(),
  REDIS_CLUSTER_NODES: envHostPorts.optional(),
  REDIS_SENTINELS: envHostPorts.optional(),
  REDIS_SENTINEL_NAME: z.string().min(1).optional(),
  // No braces: facegate puts the Redis Cluster hash tags in its keys itself (docs/redis.md).
  REDIS_PREFIX: z
    .string()
    .regex(/^[\w.-]+$/, "letters, digits and .-_ only (facegate adds the cluster hash tags itself)")
    .default("fg"),

  S3_ENDPOINT: envUrl.optional(),
  S3_PUBLIC_ENDPOINT: envUrl.optional(),
  S3_REGION: z.string().default("us-east-1"),
  S3_BUCKET: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "not a valid bucket name"),
  S3_ACCESS_KEY_ID: z.string().min(1),
  S3_SECRET_ACCESS_KEY: z.string().min(1),
  S3_FORCE_PATH_STYLE: envBoolean.default(false),

  AILAB_API_KEY: z.string().min(1).optional(),
  AILAB_BASE_URL: envUrl.default("https://www.ailabapi.com"),
  AILAB_CONCURRENCY: envInt(1, 1000).default(8),
  AILAB_RPS: envNumber(0).default(0),
  AIGS_TOKENS: envList.default([]),
  AIGS_BASE_URL: envUrl.default("https://imageapi.ai-gs.cn"),
  AIGS_RPS_PER_TOKEN: envNumber(0.01).default(1),
  TENCENT_SECRET_ID: z.string().min(1).optional(),
  TENCENT_SECRET_KEY: z.string().min(1).optional(),
  TENCENT_REGION: z.string().default("ap-guangzhou"),
  TENCENT_ENDPOINT: envUrl.default("https://facefusion.tencentcloudapi.com"),
  TENCENT_PROJECT_ID: z.string().optional(),
  TENCENT_MODEL_ID: z.string().optional(),
  TENCENT_RPS: envNumber(0.01).default(20),
  VENDOR_PREFERENCE: envList.pipe(z.array(z.enum(VENDORS))).default(["ailab", "tencent", "aigs"]),
  VENDOR_TIMEOUT_MS: envInt(100).default(60_000),
  VENDOR_CONCURRENCY: envInt(1, 1000).default(16),
  VENDOR_PACING: z.enum(["adaptive", "fixed"]).default("adaptive"),

  WORKER_QUEUES: envList.default([]),
  WORKER_METRICS_PORT: envInt(0, 65_535).default(0),
  JOB_ATTEMPTS: envInt(1, 100).default(5),
  JOB_BACKOFF_MS: envInt(1).default(2_000),
  JOB_DEADLINE_S: envInt(1).default(3_600),
  JOB_LOCK_MS: envInt(1_000).default(15_000),
  CIRCUIT_FAILURES: envInt(1).default(5),
  CIRCUIT_OPEN_MS: envInt(100).default(30_000),
  PREFLIGHT: z.enum(["off", "faces"]).default("off"),

  WEBHOOK_RETRY_SCHEDULE: envDurations.default([
    0, 5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 50_400_000, 72_000_000, 86_400_000,
  ]),
  WEBHOOK_TIMEOUT_MS: envInt(100).default(15_000),
  EGRESS_ALLOWLIST: envList.default([]),

  OUTPUT_RETENTION_DAYS: envNumber(0.0001).default(30),
  PRESIGN_TTL_S: envInt(1, 604_800).default(3_600),
  VENDOR_PRICES: envPrices.default({}),
  USAGE_RETENTION_DAYS: envInt(1, 3_650).default(400),
  INTERRUPTED_CALLS: z.enum(["retry", "fail"]).default("retry"),

  BATCH_MAX_ITEMS: envInt(1).default(10_000),
  BATCH_MAX_ARCHIVE_BYTES: envInt(1024).default(2 * 1024 ** 3),
  BATCH_MAX_UNPACKED_BYTES: envInt(1024).default(4 * 1024 ** 3),
});

export type Env = z.infer<typeof envSchema>;

/**
 * Exactly one Redis: one node, a cluster, or Sentinel with the primary's name. Checked on the raw
 * variables too, so a missing Redis is reported along with every other problem.
 */
export function redisTargetIssues(env: {
  REDIS_URL?: unknown;
  REDIS_CLUSTER_NODES?: unknown;
  REDIS_SENTINELS?: unknown;
  REDIS_SENTINEL_NAME?: unknown;
}): { path: string[]; message: string }[] {
  const issues: { path: string[]; message: string }[] = [];
  const targets = [env.REDIS_URL, env.REDIS_CLUSTER_NODES, env.REDIS_SENTINELS].filter(Boolean).length;
  if (targets !== 1) {
    issues.push({
      path: ["REDIS_URL"],
      message:
        targets === 0
          ? "set REDIS_URL (one node), REDIS_CLUSTER_NODES (a cluster) or REDIS_SENTINELS (Sentinel)"
          : "set only one of REDIS_URL, REDIS_CLUSTER_NODES and REDIS_SENTINELS",
    });
  }
  if (Boolean(env.REDIS_SENTINELS) !== Boolean(env.REDIS_SENTINEL_NAME)) {
    issues.push({
      path: ["REDIS_SENTINEL_NAME"],
      message: "REDIS_SENTINELS and REDIS_SENTINEL_NAME (the monitored primary's name) are set together",
    });
  }
  return issues;
}

/** Cross-field rules: a half-configured vendor is a mistake worth stopping for. */
export const checkedEnvSchema = envSchema.superRefine((env, ctx) => {
  for (const issue of redisTargetIssues(env)) ctx.addIssue({ code: "custom", ...issue });
  if (Boolean(env.TENCENT_SECRET_ID) !== Boolean(env.TENCENT_SECRET_KEY)) {
    ctx.addIssue({
      code: "custom",
      path: ["TENCENT_SECRET_KEY"],
      message: "TENCENT_SECRET_ID and TENCENT_SECRET_KEY are set together",
    });
  }
  if (env.TENCENT_SECRET_ID && (!env.TENCENT_PROJECT_ID || !env.TENCENT_MODEL_ID)) {
    ctx.addIssue({
      code: "custom",
      path: ["TENCENT_PROJECT_ID"],
      message: "Tencent needs TENCENT_PROJECT_ID and TENCENT_MODEL_ID (activity and material ids)",
    });
  }
  for (const [i, entry] of env.API_KEYS.entries()) {
    if (!/^[\w.-]{1,64}:\S{16,}$/.test(entry)) {
      ctx.addIssue({
        code: "custom",
        path: ["API_KEYS", i],
        message: "each entry is tenant:key (tenant of letters, digits, ._-; key of 16+ characters)",
      });
    }
  }
});
