import type { VendorId } from "@facegate/core";
import { checkedEnvSchema, type Env, redisTargetIssues } from "./schema";

export interface HostPort {
  host: string;
  port: number;
}

/** Where Redis is: one node, a Redis Cluster, or a primary that Sentinel manages. */
export type RedisTarget =
  | { mode: "single"; url: string }
  | { mode: "cluster"; nodes: HostPort[] }
  | { mode: "sentinel"; sentinels: HostPort[]; name: string };

/** The parsed configuration, grouped by concern. Units are in the names. */
export interface Config {
  env: Env["NODE_ENV"];
  log: { level: Env["LOG_LEVEL"]; pretty: boolean };
  api: {
    port: number;
    keys: { tenant: string; key: string }[];
    adminKey: string | undefined;
    rateLimitPerMinute: number;
    maxQueuedJobsPerTenant: number;
    maxImageBytes: number;
    maxImagePixels: number;
    maxWaitS: number;
  };
  redis: RedisTarget & { prefix: string };
  s3: {
    endpoint: string | undefined;
    /** Where clients reach the bucket, for presigned links; `endpoint` when unset. */
    publicEndpoint: string | undefined;
    region: string;
    bucket: string;
    accessKeyId: string;
    secretAccessKey: string;
    forcePathStyle: boolean;
  };
  vendors: {
    preference: VendorId[];
    /** adaptive: rates are learned from the vendors' refusals, the configured ones are first guesses. */
    pacing: "adaptive" | "fixed";
    timeoutMs: number;
    concurrency: number;
    ailab: { apiKey: string | undefined; baseUrl: string; concurrency: number; rps: number };
    aigs: { tokens: string[]; baseUrl: string; rpsPerToken: number };
    tencent: {
      secretId: string | undefined;
      secretKey: string | undefined;
      region: string;
      endpoint: string;
      projectId: string | undefined;
      modelId: string | undefined;
      rps: number;
    };
  };
  worker: {
    /** Queues this worker process serves; empty means all. */
    queues: string[];
    /** Port of the worker's own Prometheus endpoint; 0 for none. */
    metricsPort: number;
  };
  jobs: {
    attempts: number;
    backoffMs: number;
    deadlineMs: number;
    lockMs: number;
    circuitFailures: number;
    circuitOpenMs: number;
    /** PREFLIGHT=faces: every job's faces are checked before any vendor call (docs/preflight.md). */
    preflight: boolean;
  };
  webhooks: { retryScheduleMs: number[]; timeoutMs: number };
  egress: { allowlist: string[] };
  retention: {
    /** OUTPUT_RETENTION_DAYS in milliseconds, the unit every TTL and score is computed in. */
    outputMs: number;
    presignTtlS: number;
  };
  batches: { maxItems: number; maxArchiveBytes: number; maxUnpackedBytes: number };
  usage: {
    /** Price per billable call in micro-units, keyed `vendor.operation`; a missing key costs 0. */
    pricesMicros: Record<string, number>;
    retentionDays: number;
    /** What happens to a job whose last vendor call was cut off by a crash. */
    interruptedCalls: "retry" | "fail";
  };
}

export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** Parse the environment once; every problem is listed, not just the first. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const raw = Object.fromEntries(
    Object.entries(source).filter(([, v]) => v !== undefined && v !== ""),
  ) as Record<string, string>;
  const parsed = checkedEnvSchema.safeParse(raw);
  if (!parsed.success) {
    // Cross-field rules run only once every field parses; Redis's is checked here regardless.
    const issues = [...parsed.error.issues, ...redisTargetIssues(raw)];
    const problems = issues.map((i) => `${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new ConfigError([...new Set(problems)]);
  }
  return toConfig(parsed.data);
}

function toConfig(e: Env): Config {
  return {
    env: e.NODE_ENV,
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY ?? false },
    api: {
      port: e.PORT,
      keys: e.API_KEYS.map((entry) => {
        const at = entry.indexOf(":");
        return { tenant: entry.slice(0, at), key: entry.slice(at + 1) };
      }),
      adminKey: e.ADMIN_API_KEY,
      rateLimitPerMinute: e.API_RATE_LIMIT_PER_MINUTE,
      maxQueuedJobsPerTenant: e.MAX_QUEUED_JOBS_PER_TENANT,
      maxImageBytes: e.MAX_IMAGE_BYTES,
      maxImagePixels: e.MAX_IMAGE_PIXELS,
      maxWaitS: e.MAX_WAIT_S,
    },
    redis: { ...redisTarget(e), prefix: e.REDIS_PREFIX },
    s3: {
      endpoint: e.S3_ENDPOINT,
      publicEndpoint: e.S3_PUBLIC_ENDPOINT,
      region: e.S3_REGION,
      bucket: e.S3_BUCKET,
      accessKeyId: e.S3_ACCESS_KEY_ID,
      secretAccessKey: e.S3_SECRET_ACCESS_KEY,
      forcePathStyle: e.S3_FORCE_PATH_STYLE,
    },
    vendors: {
      preference: e.VENDOR_PREFERENCE,
      pacing: e.VENDOR_PACING,
      timeoutMs: e.VENDOR_TIMEOUT_MS,
      concurrency: e.VENDOR_CONCURRENCY,
      ailab: {
        apiKey: e.AILAB_API_KEY,
        baseUrl: e.AILAB_BASE_URL,
        concurrency: e.AILAB_CONCURRENCY,
        rps: e.AILAB_RPS,
      },
      aigs: { tokens: e.AIGS_TOKENS, baseUrl: e.AIGS_BASE_URL, rpsPerToken: e.AIGS_RPS_PER_TOKEN },
      tencent: {
        secretId: e.TENCENT_SECRET_ID,
        secretKey: e.TENCENT_SECRET_KEY,
        region: e.TENCENT_REGION,
        endpoint: e.TENCENT_ENDPOINT,
        projectId: e.TENCENT_PROJECT_ID,
        modelId: e.TENCENT_MODEL_ID,
        rps: e.TENCENT_RPS,
      },
    },
    worker: { queues: e.WORKER_QUEUES, metricsPort: e.WORKER_METRICS_PORT },
    jobs: {
      attempts: e.JOB_ATTEMPTS,
      backoffMs: e.JOB_BACKOFF_MS,
      deadlineMs: e.JOB_DEADLINE_S * 1000,
      lockMs: e.JOB_LOCK_MS,
      circuitFailures: e.CIRCUIT_FAILURES,
      circuitOpenMs: e.CIRCUIT_OPEN_MS,
      preflight: e.PREFLIGHT === "faces",
    },
    webhooks: { retryScheduleMs: e.WEBHOOK_RETRY_SCHEDULE, timeoutMs: e.WEBHOOK_TIMEOUT_MS },
    egress: { allowlist: e.EGRESS_ALLOWLIST },
    retention: {
      outputMs: Math.round(e.OUTPUT_RETENTION_DAYS * 86_400_000),
      presignTtlS: e.PRESIGN_TTL_S,
    },
    batches: {
      maxItems: e.BATCH_MAX_ITEMS,
      maxArchiveBytes: e.BATCH_MAX_ARCHIVE_BYTES,
      maxUnpackedBytes: e.BATCH_MAX_UNPACKED_BYTES,
    },
    usage: {
      pricesMicros: e.VENDOR_PRICES,
      retentionDays: e.USAGE_RETENTION_DAYS,
      interruptedCalls: e.INTERRUPTED_CALLS,
    },
  };
}

/** The schema's cross-field rule has made sure exactly one of the three is set. */
function redisTarget(e: Env): RedisTarget {
  if (e.REDIS_CLUSTER_NODES) return { mode: "cluster", nodes: e.REDIS_CLUSTER_NODES };
  if (e.REDIS_SENTINELS)
    return { mode: "sentinel", sentinels: e.REDIS_SENTINELS, name: e.REDIS_SENTINEL_NAME! };
  return { mode: "single", url: e.REDIS_URL! };
}

/** For process entry points: parse, or print every problem and exit 1. */
export function loadConfigOrExit(source: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(source);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
