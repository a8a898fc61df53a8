/**
 * A timeout that can be called off: once a streamed answer's headers are in, reading its body
 * may take as long as the download needs. Unref'd, like `AbortSignal.timeout`, so a pending
 * timer never keeps a finished program alive.
 */
export function cancellableTimeout(timeoutMs: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  // setTimeout takes at most 2^31-1 ms (~24.8 days); longer would fire at once.
  const timer = setTimeout(
    () => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")),
    Math.min(timeoutMs, 2_147_483_647),
  );
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** A pause between polls that an abort ends early (rejecting with the abort's reason). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
