/** Pure statistics for the benchmarks: medians, p99 (nearest rank) and ratios against a baseline. */

export interface Summary {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN for none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const s = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(samples: readonly number[]): Summary {
  const n = samples.length;
  if (n === 0) return { n: 0, p50: Number.NaN, p99: Number.NaN, mean: Number.NaN, min: Number.NaN, max: Number.NaN };
  return {
    n,
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean: samples.reduce((a, b) => a + b, 0) / n,
    min: Math.min(...samples),
    max: Math.max(...samples),
  };
}

/** product / baseline, rounded to 2 decimals; NaN when either is missing or the baseline is 0. */
export function ratio(product: number, baseline: number): number {
  if (!Number.isFinite(product) || !Number.isFinite(baseline) || baseline === 0) return Number.NaN;
  return Math.round((product / baseline) * 100) / 100;
}

/** Rounds for JSON: 2 decimals below 100, whole numbers above; NaN becomes null. */
export function round(x: number): number | null {
  if (!Number.isFinite(x)) return null;
  return Math.abs(x) >= 100 ? Math.round(x) : Math.round(x * 100) / 100;
}

export function roundSummary(s: Summary): Record<keyof Summary, number | null> {
  return { n: s.n, p50: round(s.p50), p99: round(s.p99), mean: round(s.mean), min: round(s.min), max: round(s.max) };
}
