/** Distribution functions and small summaries used across the evaluation. */
import normalCdfLib from '@stdlib/stats-base-dists-normal-cdf';
import tCdfLib from '@stdlib/stats-base-dists-t-cdf';

/** Φ(x), standard normal CDF. */
export function normalCdf(x: number): number {
  return normalCdfLib(x, 0, 1);
}

/** Two-sided p-value of a t statistic with `df` degrees of freedom. */
export function tTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return 0;
  if (df <= 0) return 1;
  const p = 2 * (1 - tCdfLib(Math.abs(t), df));
  return Math.min(1, Math.max(0, p));
}

/** Two-sided p-value of a z statistic. */
export function zTwoSidedP(z: number): number {
  if (!Number.isFinite(z)) return 0;
  return Math.min(1, Math.max(0, 2 * (1 - normalCdf(Math.abs(z)))));
}

export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
}

/** Sample variance (n − 1); 0 when fewer than two values. */
export function variance(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n < 2) return 0;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const d = xs[i]! - m;
    s += d * d;
  }
  return s / (n - 1);
}

/** Significance stars as in the paper: * p<0.1, ** p<0.05, *** p<0.01. */
export function stars(p: number): string {
  return p < 0.01 ? '***' : p < 0.05 ? '**' : p < 0.1 ? '*' : '';
}
