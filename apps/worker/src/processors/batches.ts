import { CATALOG, isFinal } from "@facegate/core";
import type { Egress } from "@facegate/egress";
import { type CancelDeps, cancelJob, type DispatchDeps, eraseJob, expandBatch } from "@facegate/jobs";
import type { Job } from "bullmq";

/** Turn a batch's upload into jobs. Runs again from where it stopped if the worker died. */
export function expandBatchHandler(services: DispatchDeps, egress: Egress) {
  return async (job: Job) => {
    const { batchId } = CATALOG["expand-batch"].payload.parse(job.data);
    const result = await expandBatch(services, egress, batchId);
    services.logger.info({ batchId, items: result.items }, "batch expanded");
    return result;
  };
}

const PAGE = 200;

/**
 * Cancel what has not finished (and, for DELETE, erase every item). Items not yet created stay
 * uncreated: the expansion sees `canceledAt` and stops, then the batch is sealed.
 */
export function cancelBatchHandler(services: CancelDeps) {
  return async (job: Job) => {
    const { batchId, erase } = CATALOG["cancel-batch"].payload.parse(job.data);
    const ids = await services.records.batchJobIds(batchId);
    let canceled = 0;
    for (let i = 0; i < ids.length; i += PAGE) {
      for (const record of await services.records.getMany(ids.slice(i, i + PAGE))) {
        if (!isFinal(record.status)) {
          await cancelJob(services, record, erase ? "erased by request" : "the batch was canceled");
          canceled++;
        }
        if (erase && !record.erasedAt)
          await eraseJob(services, (await services.records.get(record.id)) ?? record);
      }
    }
    // An expansion still running seals the batch itself; if none is, seal it here.
    const expanding = await services.queues.get("batches").getJobState(`${batchId}.expand`);
    if (expanding !== "active" && expanding !== "waiting" && expanding !== "delayed")
      await services.batches.seal(batchId);
    return { canceled, erased: erase };
  };
}
