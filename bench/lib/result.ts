/** One benchmark's outcome, as written to docs/benchmarks.md. */
export interface BenchResult {
  /** Section title. */
  name: string;
  /** What was measured and how, in a sentence or two. */
  description: string;
  rows: BenchRow[];
  notes?: string[];
}

export interface BenchRow {
  metric: string;
  value: string;
  /** e.g. "≥ 0.95"; omitted for plain figures and baselines. */
  target?: string;
  /** Whether the value meets the target. */
  pass?: boolean;
}

/** Every benchmark module exports this. */
export type Benchmark = () => Promise<BenchResult>;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);
