import type { Services } from "@facegate/jobs";
import { queueJobId } from "@facegate/queue";

/** Storage outages are waited out: up to this many tries, backing off to a minute apart. */
export const STORE_ATTEMPTS = 500;

/** Hand a job with a recorded vendor answer to the store step (idempotent per job). */
export async function enqueueStore(services: Services, jobId: string): Promise<void> {
  await services.queues.add(
    "store",
    "store-output",
    { jobId },
    { jobId: queueJobId(jobId, "store"), attempts: STORE_ATTEMPTS, backoff: { type: "store" } },
  );
}
