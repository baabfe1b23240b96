import { performance } from 'node:perf_hooks';

/**
 * Wall-clock milliseconds with sub-millisecond resolution. Every process on one
 * host derives it from the same system clock, so a stop time taken in a worker
 * process compares with a commit time taken in the runner (the runner checks
 * the offset: see `measureClockOffset`).
 */
export const nowMs = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface Summary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile of sorted values (p in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] as number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] as number,
    mean: sorted.reduce((s, v) => s + v, 0) / sorted.length,
  };
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Rounds for display: 3 significant digits, no exponent below a million. */
export function round(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return value;
  const digits = Math.max(0, 2 - Math.floor(Math.log10(Math.abs(value))));
  return Number(value.toFixed(Math.min(digits, 6)));
}

/** "p50 1.2 / p95 3.4 / p99 5.6 / max 7.8 ms" */
export function describeLatency(s: Summary, unit = 'ms'): string {
  return `p50 ${round(s.p50)} / p95 ${round(s.p95)} / p99 ${round(s.p99)} / max ${round(s.max)} ${unit} (n=${s.count})`;
}

/** Exponentially distributed delay: the gaps between independent clicks. */
export function exponentialDelay(meanMs: number): number {
  return -Math.log(1 - Math.random()) * meanMs;
}
