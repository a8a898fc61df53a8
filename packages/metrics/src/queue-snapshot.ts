/**
 * What the queue gauges need from a queue, read at scrape time. BullMQ's `Queue` fits it; the
 * metrics package stays free of BullMQ itself.
 */
export interface ObservedQueue {
  readonly name: string;
  getJobCounts(...types: (typeof QUEUE_STATES)[number][]): Promise<Record<string, number>>;
  getJobs(
    types: ("wait" | "prioritized")[],
    start?: number,
    end?: number,
    asc?: boolean,
  ): Promise<({ timestamp: number } | undefined)[]>;
}

export interface QueueSnapshot {
  queue: string;
  counts: Record<string, number>;
  /** Age of the oldest job waiting to run (waiting or prioritized), or 0 when none waits. */
  oldestWaitingSeconds: number;
}

/** Job states counted per queue (`facegate_queue_jobs{state}`). */
export const QUEUE_STATES = [
  "waiting",
  "prioritized",
  "active",
  "delayed",
  "waiting-children",
  "completed",
  "failed",
] as const;

/**
 * Prioritized jobs are ordered by priority, not age, so the oldest one is looked for among a
 * bounded number at each end of that set: exact for small queues, close for large ones, and
 * cheap enough to run at every scrape.
 */
const PRIORITIZED_SCAN = 100;

export async function snapshotQueue(queue: ObservedQueue, now = Date.now()): Promise<QueueSnapshot> {
  const [counts, waiting, prioritizedHead, prioritizedTail] = await Promise.all([
    queue.getJobCounts(...QUEUE_STATES),
    // `wait` is a FIFO list: ascending order starts with the oldest.
    queue.getJobs(["wait"], 0, 0, true),
    queue.getJobs(["prioritized"], 0, PRIORITIZED_SCAN - 1, true),
    queue.getJobs(["prioritized"], 0, PRIORITIZED_SCAN - 1, false),
  ]);
  let oldest = Number.POSITIVE_INFINITY;
  for (const job of [...waiting, ...prioritizedHead, ...prioritizedTail]) {
    if (job && job.timestamp < oldest) oldest = job.timestamp;
  }
  return {
    queue: queue.name,
    counts: Object.fromEntries(QUEUE_STATES.map((state) => [state, counts[state] ?? 0])),
    oldestWaitingSeconds: Number.isFinite(oldest) ? Math.max(0, (now - oldest) / 1000) : 0,
  };
}
