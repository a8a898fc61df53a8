import { mkdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import S3rver from "s3rver";

export interface EmbeddedS3 {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  close(): Promise<void>;
}

/**
 * An in-process S3-compatible server (s3rver) keeping its files in `directory`. Used by
 * `npm start` when S3_ENDPOINT is unset, and by the tests as a real S3 over HTTP.
 */
export async function startEmbeddedS3(options: {
  directory: string;
  port?: number;
  buckets?: string[];
}): Promise<EmbeddedS3> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    address: "127.0.0.1",
    port: options.port ?? 0,
    directory: options.directory,
    silent: true,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [] })),
  });
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    // s3rver's fixed development credentials.
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    close: () => server.close(),
  };
}
