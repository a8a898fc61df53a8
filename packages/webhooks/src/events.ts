export const EVENT_TYPES = [
  "job.succeeded",
  "job.failed",
  "job.canceled",
  "batch.completed",
  "budget.threshold",
  "budget.exhausted",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** What an event is about; its data is rendered at each attempt (fresh presigned URLs). */
export interface EventRef {
  type: EventType;
  tenant: string;
  jobId?: string | undefined;
  batchId?: string | undefined;
  /** What else the event is about (a budget period): with the type, it names the event once. */
  subject?: string | undefined;
  /** The event's data as it was when it happened (budget events); jobs and batches render theirs at each attempt. */
  data?: unknown;
  /** The X-Request-Id of the request that created the job, for log correlation. */
  requestId?: string | undefined;
  /** When the event happened (the job finished, the batch completed). */
  at: number;
}

/** The body every receiver gets (Standard Webhooks payload shape). */
export interface EventBody {
  type: EventType;
  timestamp: string;
  data: unknown;
}

export function eventBody(ref: EventRef, data: unknown): string {
  const body: EventBody = { type: ref.type, timestamp: new Date(ref.at).toISOString(), data };
  return JSON.stringify(body);
}
