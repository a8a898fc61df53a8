import type { JobRecord } from "@facegate/core";
import { markAiGenerated } from "@facegate/images";
import { extension, type FinishDeps, finishJob, type Services } from "@facegate/jobs";
import type { VersionedRecord } from "@facegate/records";
import { keys as objectKeys } from "@facegate/storage";

/**
 * Turn a vendor's image into the job's output and finish the job: mark it as AI-generated
 * (EXIF stripped, XMP DigitalSourceType added, no re-encode for JPEG/PNG), put it in S3, and
 * move the record to `succeeded` (the vendor call was counted before it was sent).
 * A job canceled or erased meanwhile keeps no output.
 */
export async function storeOutput(
  services: FinishDeps & Pick<Services, "config">,
  record: JobRecord,
  bytes: Buffer,
  options: { known?: VersionedRecord | undefined } = {},
): Promise<"stored" | "discarded"> {
  const marked = await markAiGenerated(bytes, {
    source:
      record.operation === "face_fusion" ? "compositeWithTrainedAlgorithmicMedia" : "trainedAlgorithmicMedia",
  });
  const key = objectKeys.output(record.tenant, record.id, extension(marked.contentType));
  await services.store.put(key, marked.bytes, {
    contentType: marked.contentType,
    metadata: { sha256: marked.sha256, job: record.id },
  });
  services.logger.debug(
    { jobId: record.id, requestId: record.requestId, hop: "output stored" },
    "output stored",
  );
  const expiresAt = Date.now() + services.config.retention.outputMs;
  // The retention index first (in the same pipelined write as the record's update): an output is
  // never stored without it. Awaited together, so a Redis outage rejects both in one place.
  const [, finished] = await Promise.all([
    services.retention.addOutput({ jobId: record.id, key }, expiresAt),
    finishJob(
      services,
      record.id,
      {
        status: "succeeded",
        output: {
          key,
          contentType: marked.contentType,
          bytes: marked.bytes.length,
          width: marked.width,
          height: marked.height,
          sha256: marked.sha256,
          expiresAt,
        },
      },
      (r) => {
        r.error = undefined;
      },
      options.known,
    ),
  ]);
  if (finished?.status === "succeeded" && finished.output?.key === key) return "stored";
  // Canceled meanwhile: the result must not outlive the job.
  await services.store.delete([key]).catch(() => undefined);
  await services.retention.removeOutputs([{ jobId: record.id, key }]);
  return "discarded";
}
