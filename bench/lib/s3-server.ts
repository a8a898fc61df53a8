import { startEmbeddedS3 } from "@facegate/storage/embedded";

/** s3rver as its own process, so a benchmark can tell its CPU from facegate's. */
const s3 = await startEmbeddedS3({ directory: process.env.S3_DIR!, port: Number(process.env.S3_PORT ?? 0) });
console.log(`S3_ENDPOINT=${s3.endpoint}`);
console.log(`S3_ACCESS_KEY_ID=${s3.accessKeyId}`);
console.log(`S3_SECRET_ACCESS_KEY=${s3.secretAccessKey}`);
console.log("s3 ready");
process.on("SIGTERM", async () => {
  await s3.close();
  process.exit(0);
});
