/** UTC day (`YYYY-MM-DD`) and month (`YYYY-MM`) of a time: roll-up and budget periods. */
export const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const monthOf = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/**
 * Latencies are counted in buckets growing by 10 % (bucket b holds up to 1.1^b ms), so a day's
 * median and p95 come from a few dozen counters, within 10 %, however many calls were made.
 */
const GROWTH = 1.1;

export function latencyBucket(ms: number): number {
  return ms <= 1 ? 0 : Math.ceil(Math.log(ms) / Math.log(GROWTH));
}

export function bucketUpperMs(bucket: number): number {
  return GROWTH ** bucket;
}

/** The q-quantile (0..1) of bucketed counts, as the upper edge of its bucket; undefined when empty. */
export function quantileMs(buckets: ReadonlyMap<number, number>, q: number): number | undefined {
  const total = [...buckets.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const bucket of [...buckets.keys()].sort((a, b) => a - b)) {
    seen += buckets.get(bucket)!;
    if (seen >= rank) return Math.round(bucketUpperMs(bucket));
  }
  return undefined;
}

/** The UTC days from `from` to `to` inclusive, as `YYYY-MM-DD`. */
export function daysBetween(from: number, to: number): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${dayOf(from)}T00:00:00Z`); t <= to; t += 86_400_000) days.push(dayOf(t));
  return days;
}
