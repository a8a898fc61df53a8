/**
 * How a job held by a worker that died is found and taken up again, from JOB_LOCK_MS.
 *
 * A running job holds a lock its worker renews (every half lock); a worker that dies stops
 * renewing, the lock lapses, and the next stall check (run by every live worker, at most once
 * per interval across all of them) moves the job back to the queue, where an idle worker takes
 * it at once. The job is back in the queue at most `lockDuration + stalledInterval` after the
 * death, so the two are cut from JOB_LOCK_MS with room to spare: JOB_LOCK_MS is the promise
 * ("a dead worker's job is taken up within JOB_LOCK_MS"), not the lock's length.
 */
export interface StallTiming {
  lockDuration: number;
  stalledInterval: number;
  maxStalledCount: number;
}

/**
 * A stall is a dead worker, not a fault of the job: BullMQ would fail a job stalled more than
 * `maxStalledCount` times ("job stalled more than allowable limit") and leave facegate's record
 * running. What bounds a job that keeps killing its workers is its deadline (JOB_DEADLINE_S),
 * checked each time it starts.
 */
export const NEVER_FAIL_FOR_STALLING = Number.MAX_SAFE_INTEGER;

export function stallTiming(lockMs: number): StallTiming {
  // The lock gets the larger share: a live worker paused for a moment must keep its job.
  const stalledInterval = Math.max(125, Math.round(lockMs / 8));
  return {
    lockDuration: Math.round((lockMs * 3) / 4),
    stalledInterval,
    maxStalledCount: NEVER_FAIL_FOR_STALLING,
  };
}
