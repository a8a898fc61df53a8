/**
 * How a facegate process stops on SIGINT / SIGTERM, the same for the API, the worker and
 * `npm start`: the first signal runs `stop` (finish what is running, close connections), bounded
 * by `graceMs` whatever is down — a Redis that is gone must not hold the process forever — and a
 * second signal exits at once.
 */

/** The few logger methods used here (pino's). */
interface ShutdownLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * Longer than the worker's own grace for running jobs (25 s), so that it normally gets to close
 * its connections itself. A process running a worker adds VENDOR_TIMEOUT_MS (`workerShutdownBoundMs`):
 * the worker then waits for vendor calls already sent, so that a stop leaves none interrupted.
 */
export const SHUTDOWN_BOUND_MS = 30_000;

/** The bound for a process running a worker, whose vendor calls take up to `vendorTimeoutMs`. */
export function workerShutdownBoundMs(vendorTimeoutMs: number): number {
  return SHUTDOWN_BOUND_MS + vendorTimeoutMs;
}

/** Exit code of a process stopped by a second signal (as shells report an interrupted one). */
export const INTERRUPTED_EXIT_CODE = 130;

export function stopOnSignals(
  logger: ShutdownLogger,
  stop: () => Promise<void>,
  graceMs: number = SHUTDOWN_BOUND_MS,
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal: exiting now");
      process.exit(INTERRUPTED_EXIT_CODE);
    }
    stopping = true;
    logger.info({ signal, graceMs }, "stopping (send the signal again to exit at once)");
    const bound = setTimeout(() => {
      logger.error({ graceMs }, "shutdown did not finish in time: exiting");
      process.exit(1);
    }, graceMs);
    stop().then(
      () => {
        clearTimeout(bound);
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}
