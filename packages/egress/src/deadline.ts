/** The abort reason of a deadline, told apart from the caller's own abort by type. */
export class DeadlineExceeded extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Request took longer than ${timeoutMs} ms.`);
    this.name = "DeadlineExceeded";
  }
}

/**
 * One wall-clock budget for a whole request: every connect, every redirect hop and the reading of
 * the body. undici's own timeouts are per phase and reset on progress, so a server that trickles
 * one byte a second would never trip them; this does.
 */
export class Deadline {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #callerSignal: AbortSignal | undefined;

  constructor(timeoutMs: number, callerSignal?: AbortSignal) {
    this.#callerSignal = callerSignal;
    this.#timer = setTimeout(() => this.#controller.abort(new DeadlineExceeded(timeoutMs)), timeoutMs);
    // The timer must not keep a process alive on its own; open sockets already do while they matter.
    this.#timer.unref();
    this.signal = callerSignal
      ? AbortSignal.any([this.#controller.signal, callerSignal])
      : this.#controller.signal;
  }

  /** Whether the budget ran out (as opposed to the caller aborting). */
  get expired(): boolean {
    return this.#controller.signal.aborted;
  }

  /** The caller's abort, when that is what stopped the request. */
  get callerAbort(): { reason: unknown } | undefined {
    return !this.expired && this.#callerSignal?.aborted ? { reason: this.#callerSignal.reason } : undefined;
  }

  /** Call once the request and its body are done, whichever way. */
  clear(): void {
    clearTimeout(this.#timer);
  }
}
