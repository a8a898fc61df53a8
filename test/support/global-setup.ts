import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startEmbeddedRedis } from "@facegate/queue";
import { startEmbeddedS3 } from "@facegate/storage/embedded";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    redisUrl: string;
    s3: { endpoint: string; accessKeyId: string; secretAccessKey: string };
  }
}

/**
 * One real redis-server and one real S3-compatible server (s3rver) for the whole run. Each test
 * file isolates itself with its own Redis key prefix and bucket, and cleans them up; tests that
 * stop or kill a server start their own.
 */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "facegate-test-"));
  const redis = await startEmbeddedRedis({ directory: join(dir, "redis") });
  const s3 = await startEmbeddedS3({ directory: join(dir, "s3") });
  project.provide("redisUrl", redis.url);
  project.provide("s3", {
    endpoint: s3.endpoint,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
  });
  return async () => {
    await s3.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
