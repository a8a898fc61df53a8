import { z } from "zod";
import { VENDORS, type VendorId } from "./operations";

/**
 * Every background job facegate runs, declared once: its queue, payload schema and retry policy.
 * Payloads carry ids only — never image bytes. The worker's handler map is typed from this
 * catalog, so a job without a handler does not compile (and boot checks it again).
 */
export const vendorQueueName = (vendor: VendorId) => `vendor-${vendor}` as const;

const jobRef = z.object({ jobId: z.string() });

export const CATALOG = {
  "call-vendor": {
    queues: VENDORS.map(vendorQueueName),
    payload: jobRef.extend({ requestId: z.string().optional() }),
    description: "Normalise inputs and make the vendor call; record the answer as a checkpoint.",
  },
  "check-faces": {
    queues: ["faces"],
    payload: jobRef,
    description:
      "Pre-flight: find the faces of a job's inputs, refuse what its vendor would refuse, route the rest.",
  },
  "store-output": {
    queues: ["store"],
    payload: jobRef,
    description: "Copy the vendor's answer into S3, mark it as AI-generated, finish the job.",
  },
  "deliver-webhook": {
    queues: ["webhooks"],
    payload: z.object({ deliveryId: z.string() }),
    description: "POST one signed event to one endpoint, on the retry schedule.",
  },
  "expand-batch": {
    queues: ["batches"],
    payload: z.object({ batchId: z.string() }),
    description:
      "Turn a batch upload (archive, manifest, files, items) into jobs, resuming where it stopped.",
  },
  "cancel-batch": {
    queues: ["batches"],
    payload: z.object({ batchId: z.string(), erase: z.boolean() }),
    description: "Cancel a batch's unfinished jobs (and erase them all, for DELETE).",
  },
  "sweep-retention": {
    queues: ["maintenance"],
    payload: z.object({}),
    description: "Delete outputs past retention and prune indexes.",
  },
  "reconcile-jobs": {
    queues: ["maintenance"],
    payload: z.object({}),
    description: "Re-enqueue unfinished jobs whose queue entry was lost (crash, Redis restart).",
  },
} as const satisfies Record<string, { queues: readonly string[]; payload: z.ZodType; description: string }>;

export type JobName = keyof typeof CATALOG;
export type JobPayload<N extends JobName> = z.infer<(typeof CATALOG)[N]["payload"]>;
export const JOB_NAMES = Object.keys(CATALOG) as JobName[];

export const QUEUE_NAMES = [...new Set(JOB_NAMES.flatMap((n) => CATALOG[n].queues))];
export type QueueName = (typeof QUEUE_NAMES)[number];
