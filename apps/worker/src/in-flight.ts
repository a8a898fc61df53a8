/**
 * The vendor calls this process has written down and not yet answered for. A graceful stop
 * (SIGTERM) hands back jobs that have not sent their call and waits for those that have, so a
 * deploy never leaves a call `interrupted` in the ledger.
 */
export class InFlightCalls {
  private readonly running = new Set<Promise<unknown>>();
  private stoppingSince: number | undefined;

  get stopping(): boolean {
    return this.stoppingSince !== undefined;
  }

  /** No new call starts from now on. */
  stop(): void {
    this.stoppingSince ??= Date.now();
  }

  /** Run `work` (from the ledger's write-ahead to its outcome) as one in-flight call. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    const promise = work();
    this.running.add(promise);
    try {
      return await promise;
    } finally {
      this.running.delete(promise);
    }
  }

  get size(): number {
    return this.running.size;
  }

  /** Resolves once every call in flight has its outcome recorded (each is bounded by VENDOR_TIMEOUT_MS). */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
