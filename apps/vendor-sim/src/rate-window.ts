/**
 * Rolling-window rate limit: at most `limit` accepted requests per key in any `windowMs` span.
 * A rolling window (not fixed one-second buckets) because a client that keeps exactly to the
 * published rate must never be refused, while a burst at a bucket edge must be.
 * Refused requests are not counted, so a client that backs off recovers after one window.
 */
export class RateWindow {
  private readonly accepted = new Map<string, number[]>();

  constructor(private readonly windowMs = 1000) {}

  /** Records and accepts the request, or refuses it when the key's window is full. */
  tryAcquire(key: string, limit: number | null, now: number): boolean {
    if (limit === null) return true;
    const times = this.prune(key, now);
    if (times.length >= limit) return false;
    times.push(now);
    return true;
  }

  clear(): void {
    this.accepted.clear();
  }

  private prune(key: string, now: number): number[] {
    let times = this.accepted.get(key);
    if (!times) {
      times = [];
      this.accepted.set(key, times);
    }
    // Times are appended in arrival order; the clock is injectable and may step back, so
    // anything "in the future" is kept rather than trusted for ordering.
    let drop = 0;
    while (drop < times.length && (times[drop] ?? 0) <= now - this.windowMs) drop++;
    if (drop > 0) times.splice(0, drop);
    return times;
  }
}
