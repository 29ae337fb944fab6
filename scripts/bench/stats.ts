/** Percentile of a sample (nearest-rank); benchmarks report p50/p99 from this. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const ms = (n: number) => `${n.toFixed(2)} ms`;

export function median(values: number[]): number {
  return percentile(values, 50);
}
