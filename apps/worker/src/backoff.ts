import type { Config } from "@facegate/config";

/** An error that carries the wait its source asked for (vendor hint, Retry-After). */
interface WithRetryAfter {
  retryAfterMs?: number | undefined;
}

const jitter = (ms: number, share: number) => ms * (1 - share + Math.random() * 2 * share);

/**
 * The one place that decides how long a failed job waits before its next attempt.
 * - `vendor`: the vendor's own hint when it gave one, else exponential from JOB_BACKOFF_MS with
 *   jitter (capped at 5 minutes), so a fleet of retries does not arrive in step.
 * - `store`: exponential from 1 s capped at 1 minute (storage outages).
 * - `webhook`: the WEBHOOK_RETRY_SCHEDULE entry for this attempt (±10 %), or Retry-After.
 */
export function backoffStrategy(config: Config) {
  const schedule = config.webhooks.retryScheduleMs;
  return (attemptsMade: number, type: string | undefined, error: Error | undefined): number => {
    const hinted = (error as WithRetryAfter | undefined)?.retryAfterMs;
    switch (type) {
      case "webhook": {
        const planned = schedule[Math.min(attemptsMade, schedule.length - 1)] ?? 0;
        return Math.round(Math.max(hinted ?? 0, jitter(planned, 0.1)));
      }
      case "store":
        return Math.round(Math.min(jitter(1_000 * 2 ** (attemptsMade - 1), 0.2), 60_000));
      default: {
        if (hinted !== undefined) return Math.round(hinted);
        const exponential = config.jobs.backoffMs * 2 ** (attemptsMade - 1);
        return Math.round(Math.min(jitter(exponential, 0.5), 300_000));
      }
    }
  };
}
