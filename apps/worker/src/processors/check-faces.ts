import {
  CATALOG,
  type FaceFindings,
  type ImageFaces,
  isFinal,
  type JobRecord,
  type StoredInput,
} from "@facegate/core";
import { findFaces, UnreadableImageError } from "@facegate/faces";
import { chooseVendor, type DispatchDeps, dispatchJob, finishJob } from "@facegate/jobs";
import type { ObjectStore } from "@facegate/storage";
import type { Job } from "bullmq";
import { isLastAttempt } from "../attempts";

/** More faces than any vendor takes (Tencent: 6) and enough for any crowd a refusal names. */
const MAX_FACES = 20;

/**
 * The pre-flight (docs/preflight.md): find the faces of a job's face-bearing inputs, record them,
 * and route the job — to a vendor that will take them, or to a refusal with no vendor call. It
 * runs on its own queue and workers, so vendor queues never wait on detection.
 */
export function checkFacesHandler(services: DispatchDeps) {
  return async (job: Job) => {
    const { jobId } = CATALOG["check-faces"].payload.parse(job.data);
    const record = await services.records.get(jobId);
    if (!record || isFinal(record.status) || record.erasedAt) return { skipped: "finished" };
    let current: JobRecord = record;
    if (!record.faces) {
      let faces: FaceFindings;
      try {
        faces = await findings(record, services.store);
      } catch (error) {
        if (error instanceof UnreadableImageError) {
          await finishJob(services, jobId, {
            status: "failed",
            error: { code: "invalid_image", message: "the photo could not be decoded", retryable: false },
          });
          return { failed: "invalid_image" };
        }
        if (isLastAttempt(job)) {
          // Nothing accepted is lost: the last try ends the job with a reason.
          await finishJob(services, jobId, {
            status: "failed",
            error: { code: "storage_unavailable", message: "the inputs could not be read", retryable: true },
          });
        }
        throw error;
      }
      const choice = await chooseVendor(services, { ...record, faces });
      if ("refused" in choice) {
        // Refused with its findings in one write: nobody sees the faces without the verdict.
        await finishJob(services, jobId, { status: "failed", error: choice.refused }, (r) => {
          r.faces = faces;
        });
        return { refused: choice.refused.code };
      }
      const saved = await services.records.update(jobId, (r) =>
        isFinal(r.status) || r.faces ? undefined : { ...r, faces },
      );
      current = saved?.record ?? (await services.records.get(jobId)) ?? record;
      if (isFinal(current.status)) return { skipped: "finished" };
      services.logger.debug(
        { jobId, faces: faces.target?.faces.length, ms: Math.round(faces.ms) },
        "pre-flight found faces",
      );
    }
    return dispatchJob(services, current);
  };
}

async function findings(record: JobRecord, store: ObjectStore): Promise<FaceFindings> {
  const started = performance.now();
  const { target, merges } = record.inputs;
  const result: FaceFindings = { ms: 0 };
  if (target) result.target = await facesOf(target, store);
  if (merges) {
    result.merges = [];
    for (const merge of merges) result.merges.push(await facesOf(merge.image, store));
  }
  result.ms = performance.now() - started;
  return result;
}

async function facesOf(input: StoredInput, store: ObjectStore): Promise<ImageFaces> {
  const found = await findFaces(await store.get(input.key), { maxFaces: MAX_FACES });
  return {
    width: found.width,
    height: found.height,
    faces: found.faces.map((f) => ({ ...roundBox(f.box), score: Math.round(f.score * 1000) / 1000 })),
  };
}

function roundBox(box: { x: number; y: number; width: number; height: number }) {
  return {
    x: Math.round(box.x),
    y: Math.round(box.y),
    width: Math.round(box.width),
    height: Math.round(box.height),
  };
}
