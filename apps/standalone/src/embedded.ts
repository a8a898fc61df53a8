import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type EmbeddedRedis, startEmbeddedRedis } from "@facegate/queue";
import { type EmbeddedS3, startEmbeddedS3 } from "@facegate/storage/embedded";
import { facegateEnv, startVendorSim, type VendorSim } from "@facegate/vendor-sim";

export interface Embedded {
  redis?: EmbeddedRedis;
  s3?: EmbeddedS3;
  sim?: VendorSim;
  /** What was filled in, for the banner. */
  notes: string[];
  /** Files holding the dev keys made here (absent when the environment gave the key). */
  keyFiles: { api?: string; admin?: string };
  stop(): Promise<void>;
}

const VENDOR_VARIABLES = ["AILAB_API_KEY", "AIGS_TOKENS", "TENCENT_SECRET_ID"];
/** `facegate webhooks listen`'s default port: allowed as a webhook target out of the box. */
export const DEV_WEBHOOK_PORT = 8787;

/**
 * Fill in whatever the environment leaves unset with an embedded part: redis-server from PATH,
 * an in-process S3 (s3rver), the vendor simulator, a dev API key and a dev admin key kept under
 * `.data/` (`dev-api-key`, `dev-admin-key`).
 * Returns the environment to parse, with the variables set.
 */
export async function startEmbedded(
  env: NodeJS.ProcessEnv,
  dataDir: string,
): Promise<{ env: NodeJS.ProcessEnv; embedded: Embedded }> {
  mkdirSync(dataDir, { recursive: true });
  const out: NodeJS.ProcessEnv = { ...env };
  const embedded: Embedded = {
    notes: [],
    keyFiles: {},
    async stop() {
      await embedded.sim?.close();
      await embedded.s3?.close();
      await embedded.redis?.stop();
    },
  };
  try {
    // A Redis named any of the three ways is used as it is; only none at all spawns one.
    if (!out.REDIS_URL && !out.REDIS_CLUSTER_NODES && !out.REDIS_SENTINELS) {
      embedded.redis = await startEmbeddedRedis({ directory: join(dataDir, "redis") });
      out.REDIS_URL = embedded.redis.url;
      embedded.notes.push(
        `Redis     ${embedded.redis.url}  (redis-server, AOF in ${join(dataDir, "redis")})`,
      );
    }
    if (out.REDIS_CLUSTER_NODES) embedded.notes.push(`Redis     cluster ${out.REDIS_CLUSTER_NODES}`);
    if (out.REDIS_SENTINELS) {
      embedded.notes.push(
        `Redis     "${out.REDIS_SENTINEL_NAME ?? ""}" from sentinels ${out.REDIS_SENTINELS}`,
      );
    }
    if (!out.S3_ENDPOINT) {
      embedded.s3 = await startEmbeddedS3({ directory: join(dataDir, "s3") });
      Object.assign(out, {
        S3_ENDPOINT: embedded.s3.endpoint,
        S3_ACCESS_KEY_ID: embedded.s3.accessKeyId,
        S3_SECRET_ACCESS_KEY: embedded.s3.secretAccessKey,
        S3_FORCE_PATH_STYLE: "true",
        S3_BUCKET: out.S3_BUCKET ?? "facegate",
      });
      embedded.notes.push(`S3        ${embedded.s3.endpoint}  (s3rver, files in ${join(dataDir, "s3")})`);
    }
    if (!VENDOR_VARIABLES.some((name) => out[name])) {
      const sim = await startVendorSim();
      embedded.sim = sim;
      Object.assign(out, facegateEnv(sim));
      embedded.notes.push(
        `Vendors   ${sim.url}  (simulator of AILab, ai-gs and Tencent; no vendor credentials set)`,
      );
    }
    if (!out.API_KEYS) {
      embedded.keyFiles.api = join(dataDir, "dev-api-key");
      out.API_KEYS = `dev:${devKey(embedded.keyFiles.api, "fg_dev_")}`;
    }
    // The admin routes (queue dashboard, key management) work out of the box too.
    if (!out.ADMIN_API_KEY) {
      embedded.keyFiles.admin = join(dataDir, "dev-admin-key");
      out.ADMIN_API_KEY = devKey(embedded.keyFiles.admin, "fg_admin_");
    }
    out.EGRESS_ALLOWLIST ??= `127.0.0.1:${DEV_WEBHOOK_PORT},localhost:${DEV_WEBHOOK_PORT}`;
    out.LOG_PRETTY ??= "true";
    return { env: out, embedded };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}

/** One dev key per checkout, kept across restarts so scripts and curl lines keep working. */
function devKey(file: string, prefix: string): string {
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const key = `${prefix}${randomBytes(24).toString("base64url")}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  return key;
}
