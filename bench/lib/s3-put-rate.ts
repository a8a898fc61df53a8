import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { Agent, request } from "undici";

/**
 * What the S3 server alone allows: PUTs per second of job-sized objects, signed beforehand so the
 * client spends next to nothing per request and the server is what is measured.
 */
export async function s3PutRate(
  env: Record<string, string>,
  body: Buffer,
  options: { count?: number; concurrency?: number } = {},
): Promise<number> {
  const count = options.count ?? 3000;
  const concurrency = options.concurrency ?? 32;
  const client = new S3Client({
    endpoint: env.S3_ENDPOINT,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: env.S3_ACCESS_KEY_ID!, secretAccessKey: env.S3_SECRET_ACCESS_KEY! },
  });
  const urls = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      getSignedUrl(
        client,
        new PutObjectCommand({ Bucket: env.S3_BUCKET, Key: `put-rate/${i}`, ContentType: "image/jpeg" }),
        {
          expiresIn: 3600,
        },
      ),
    ),
  );
  const agent = new Agent({ connections: concurrency });
  const put = async (url: string) => {
    const res = await request(url, {
      method: "PUT",
      body,
      dispatcher: agent,
      headers: { "content-type": "image/jpeg" },
    });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`PUT ${res.statusCode}`);
  };
  for (const url of urls.slice(0, 100)) await put(url);
  let next = 100;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await put(urls[next++]!);
    }),
  );
  const rate = (count - 100) / ((performance.now() - started) / 1000);
  await agent.close();
  client.destroy();
  return rate;
}
