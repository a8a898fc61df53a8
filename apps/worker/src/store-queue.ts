import { jobOptions } from "@facegate/core";
import type { Services } from "@facegate/jobs";
import { queueJobId } from "@facegate/queue";

/** Hand a job with a recorded vendor answer to the store step (idempotent per job). */
export async function enqueueStore(
  services: Pick<Services, "config" | "queues">,
  jobId: string,
): Promise<void> {
  await services.queues.add(
    "store",
    "store-output",
    { jobId },
    { jobId: queueJobId(jobId, "store"), ...jobOptions("store-output", services.config) },
  );
}
