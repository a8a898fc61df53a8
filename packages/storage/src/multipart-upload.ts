import type { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from "@aws-sdk/client-s3";

/** S3's smallest part (but the last). */
export const PART_BYTES = 5 * 1024 * 1024;

/**
 * Upload a stream of unknown length holding at most one part in memory: bytes are copied into
 * one reused 5 MiB buffer, and reading waits while a full part goes up (backpressure reaches
 * the client's upload). Under one part, it is a single PUT. Memory does not grow with the size.
 */
export async function uploadStream(
  client: S3Client,
  target: { bucket: string; key: string; contentType: string; metadata?: Record<string, string> },
  body: Readable,
): Promise<{ bytes: number }> {
  const part = Buffer.allocUnsafe(PART_BYTES);
  let filled = 0;
  let bytes = 0;
  let uploadId: string | undefined;
  const etags: { PartNumber: number; ETag: string }[] = [];
  const { bucket: Bucket, key: Key } = target;

  const flush = async () => {
    if (!uploadId) {
      const created = await client.send(
        new CreateMultipartUploadCommand({
          Bucket,
          Key,
          ContentType: target.contentType,
          Metadata: target.metadata,
        }),
      );
      uploadId = created.UploadId!;
    }
    const PartNumber = etags.length + 1;
    const res = await client.send(
      new UploadPartCommand({
        Bucket,
        Key,
        UploadId: uploadId,
        PartNumber,
        Body: part.subarray(0, filled),
        ContentLength: filled,
      }),
    );
    etags.push({ PartNumber, ETag: res.ETag! });
    filled = 0;
  };

  try {
    for await (const chunk of body as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      for (let offset = 0; offset < chunk.length; ) {
        const copied = chunk.copy(part, filled, offset);
        filled += copied;
        offset += copied;
        if (filled === PART_BYTES) await flush();
      }
    }
    if (!uploadId) {
      await client.send(
        new PutObjectCommand({
          Bucket,
          Key,
          Body: part.subarray(0, filled),
          ContentLength: filled,
          ContentType: target.contentType,
          Metadata: target.metadata,
        }),
      );
      return { bytes };
    }
    if (filled > 0) await flush();
    await client.send(
      new CompleteMultipartUploadCommand({
        Bucket,
        Key,
        UploadId: uploadId,
        MultipartUpload: { Parts: etags },
      }),
    );
    return { bytes };
  } catch (error) {
    if (uploadId) {
      await client
        .send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId: uploadId }))
        .catch(() => undefined);
    }
    throw error;
  }
}
