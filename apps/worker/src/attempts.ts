/** The parts of a BullMQ job that say how far along its attempts are. */
export interface AttemptState {
  attemptsMade: number;
  opts: { attempts?: number | undefined };
}

/**
 * Whether the running attempt is the job's last: a failure now is final, so the processor records
 * it (nothing accepted is lost) instead of throwing for BullMQ to retry. `attemptsMade` counts
 * the attempts that already failed, not the running one.
 */
export const isLastAttempt = (job: AttemptState): boolean => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/** What to do with a failure now: hand it back to BullMQ for another try, or end the job with it. */
export const retryOrFinal = (job: AttemptState, retryable = true): "retry" | "final" =>
  retryable && !isLastAttempt(job) ? "retry" : "final";
