import { z } from "zod";
import { VENDORS, type VendorId } from "./operations";

/**
 * Every background job facegate runs, declared once: its queue, payload schema and policy (how
 * many attempts, which backoff between them, what bounds one attempt). Payloads carry ids only —
 * never image bytes. The worker's handler map is typed from this catalog, so a job without a
 * handler does not compile.
 *
 * A policy names the setting it follows (JOB_ATTEMPTS, WEBHOOK_RETRY_SCHEDULE, ...) rather than a
 * number where an operator can tune it; `jobOptions` and `jobTimeoutMs` read those settings.
 * Backoff types other than `exponential` are the worker's own strategies (apps/worker/src/backoff.ts).
 */
export const vendorQueueName = (vendor: VendorId) => `vendor-${vendor}` as const;

/** The vendor whose calls a queue holds, if it is a vendor's queue. */
export const vendorOfQueue = (queue: string): VendorId | undefined =>
  VENDORS.find((v) => vendorQueueName(v) === queue);

/** A job's attempts: a fixed count, or the setting that decides it. */
type AttemptsRule = number | "JOB_ATTEMPTS" | "WEBHOOK_RETRY_SCHEDULE";

interface JobPolicy {
  attempts: AttemptsRule;
  /** `exponential` is BullMQ's own, from JOB_BACKOFF_MS; the others are the worker's strategies. */
  backoff?: "exponential" | "vendor" | "store" | "webhook";
  /** What bounds one attempt; unset when nothing beyond the job's own deadline does. */
  timeout?: "VENDOR_TIMEOUT_MS" | "WEBHOOK_TIMEOUT_MS";
}

/** The settings a policy may name (the config satisfies it). */
export interface PolicySettings {
  jobs: { attempts: number; backoffMs: number };
  webhooks: { retryScheduleMs: readonly number[]; timeoutMs: number };
  vendors: { timeoutMs: number };
}

const jobRef = z.object({ jobId: z.string() });

export const CATALOG = {
  "call-vendor": {
    queues: VENDORS.map(vendorQueueName),
    payload: jobRef.extend({
      requestId: z.string().optional(),
      /** The job's input keys, read while its record is (absent from entries queued before). */
      inputs: z.array(z.string()).max(16).optional(),
      /** Those of `inputs` the job's record holds: read with it, not from S3. */
      held: z.array(z.string()).max(16).optional(),
    }),
    policy: { attempts: "JOB_ATTEMPTS", backoff: "vendor", timeout: "VENDOR_TIMEOUT_MS" },
    description: "Normalise inputs and make the vendor call; record the answer as a checkpoint.",
  },
  "check-faces": {
    queues: ["faces"],
    payload: jobRef,
    policy: { attempts: "JOB_ATTEMPTS", backoff: "exponential" },
    description:
      "Pre-flight: find the faces of a job's inputs, refuse what its vendor would refuse, route the rest.",
  },
  "store-output": {
    queues: ["store"],
    payload: jobRef,
    // Storage outages are waited out: many tries, backing off to a minute apart, until the
    // answer's own deadline ends them.
    policy: { attempts: 500, backoff: "store" },
    description: "Copy the vendor's answer into S3, mark it as AI-generated, finish the job.",
  },
  "deliver-webhook": {
    queues: ["webhooks"],
    payload: z.object({ deliveryId: z.string() }),
    policy: { attempts: "WEBHOOK_RETRY_SCHEDULE", backoff: "webhook", timeout: "WEBHOOK_TIMEOUT_MS" },
    description: "POST one signed event to one endpoint, on the retry schedule.",
  },
  "expand-batch": {
    queues: ["batches"],
    payload: z.object({ batchId: z.string() }),
    policy: { attempts: 20, backoff: "store" },
    description:
      "Turn a batch upload (archive, manifest, files, items) into jobs, resuming where it stopped.",
  },
  "cancel-batch": {
    queues: ["batches"],
    payload: z.object({ batchId: z.string(), erase: z.boolean() }),
    policy: { attempts: 1 },
    description: "Cancel a batch's unfinished jobs (and erase them all, for DELETE).",
  },
  "sweep-retention": {
    queues: ["maintenance"],
    payload: z.object({}),
    // Scheduled again every few minutes: a failed run is simply the next one.
    policy: { attempts: 1 },
    description: "Delete outputs past retention and prune indexes.",
  },
  "reconcile-jobs": {
    queues: ["maintenance"],
    payload: z.object({}),
    policy: { attempts: 1 },
    description: "Re-enqueue unfinished jobs whose queue entry was lost (crash, Redis restart).",
  },
} as const satisfies Record<
  string,
  { queues: readonly string[]; payload: z.ZodType; policy: JobPolicy; description: string }
>;

export type JobName = keyof typeof CATALOG;
export type JobPayload<N extends JobName> = z.infer<(typeof CATALOG)[N]["payload"]>;
export const JOB_NAMES = Object.keys(CATALOG) as JobName[];

export const QUEUE_NAMES = [...new Set(JOB_NAMES.flatMap((n) => CATALOG[n].queues))];
export type QueueName = (typeof QUEUE_NAMES)[number];

/** BullMQ's attempts and backoff for one catalogued job, from its policy and the settings. */
export function jobOptions(
  name: JobName,
  settings: PolicySettings,
): { attempts: number; backoff?: { type: string; delay?: number } } {
  const policy: JobPolicy = CATALOG[name].policy;
  const attempts =
    policy.attempts === "JOB_ATTEMPTS"
      ? settings.jobs.attempts
      : policy.attempts === "WEBHOOK_RETRY_SCHEDULE"
        ? Math.max(1, settings.webhooks.retryScheduleMs.length)
        : policy.attempts;
  if (!policy.backoff) return { attempts };
  if (policy.backoff === "exponential") {
    return { attempts, backoff: { type: "exponential", delay: settings.jobs.backoffMs } };
  }
  return { attempts, backoff: { type: policy.backoff } };
}

/** The jobs whose attempts something bounds: asking another's timeout does not compile. */
export type TimedJobName = {
  [N in JobName]: (typeof CATALOG)[N]["policy"] extends { timeout: string } ? N : never;
}[JobName];

/** What bounds one attempt of a catalogued job, in milliseconds. */
export function jobTimeoutMs(name: TimedJobName, settings: PolicySettings): number {
  const policy: JobPolicy = CATALOG[name].policy;
  return policy.timeout === "VENDOR_TIMEOUT_MS" ? settings.vendors.timeoutMs : settings.webhooks.timeoutMs;
}
