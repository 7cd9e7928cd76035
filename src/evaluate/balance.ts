/**
 * Balance after matching (the paper's Table 4, psmatch2 `pstest` style): mean
 * of treated on support, weighted mean of matched controls, standardized bias
 * (after-matching difference over sqrt((var_T + var_C)/2) of the unmatched
 * samples, in %), and the p-value of a weighted t-test (regression of the
 * variable on a treated dummy, analytic weights 1 for treated and w_j for
 * controls, normalized to sum to the number of observations; df = n − 2).
 */
import type { MatchResult } from './psm.ts';
import { mean, tTwoSidedP, variance } from './stats.ts';

export interface BalanceRow {
  variable: string;
  treated: number;
  control: number;
  std_bias: number;
  p: number;
  /** Before matching (unmatched samples), for the "before" half of the table. */
  treated_before: number;
  control_before: number;
  std_bias_before: number;
  p_before: number;
}

/** Weighted two-group t-test; returns the two-sided p-value. */
export function weightedTTest(xT: ArrayLike<number>, wT: ArrayLike<number>, xC: ArrayLike<number>, wC: ArrayLike<number>): { diff: number; t: number; p: number } {
  let WT = 0, WC = 0, sT = 0, sC = 0;
  let nObs = 0;
  for (let i = 0; i < xT.length; i++) if (wT[i]! > 0) { WT += wT[i]!; sT += wT[i]! * xT[i]!; nObs++; }
  for (let i = 0; i < xC.length; i++) if (wC[i]! > 0) { WC += wC[i]!; sC += wC[i]! * xC[i]!; nObs++; }
  if (WT === 0 || WC === 0 || nObs <= 2) return { diff: 0, t: 0, p: 1 };
  const mT = sT / WT;
  const mC = sC / WC;
  const scale = nObs / (WT + WC);
  let rss = 0;
  for (let i = 0; i < xT.length; i++) if (wT[i]! > 0) rss += wT[i]! * scale * (xT[i]! - mT) ** 2;
  for (let i = 0; i < xC.length; i++) if (wC[i]! > 0) rss += wC[i]! * scale * (xC[i]! - mC) ** 2;
  const s2 = rss / (nObs - 2);
  const se = Math.sqrt(s2 * (1 / (WT * scale) + 1 / (WC * scale)));
  const diff = mT - mC;
  // Identical constant columns: no difference, nothing to test.
  if (!(se > 1e-12 * Math.max(1, Math.abs(mT), Math.abs(mC)))) return { diff, t: 0, p: Math.abs(diff) < 1e-12 ? 1 : 0 };
  const t = diff / se;
  return { diff, t, p: tTwoSidedP(t, nObs - 2) };
}

export function balanceRow(variable: string, xT: ArrayLike<number>, xC: ArrayLike<number>, m: MatchResult): BalanceRow {
  const vT = variance(xT);
  const vC = variance(xC);
  const sd = Math.sqrt((vT + vC) / 2);
  const tb = mean(xT);
  const cb = mean(xC);
  const wT = new Float64Array(xT.length);
  for (const i of m.onSupport) wT[i] = 1;
  const after = weightedTTest(xT, wT, xC, m.controlWeight);
  let st = 0;
  for (const i of m.onSupport) st += xT[i]!;
  const NT = m.onSupport.length;
  let sc = 0;
  for (let j = 0; j < xC.length; j++) sc += m.controlWeight[j]! * xC[j]!;
  const treated = NT > 0 ? st / NT : 0;
  const control = NT > 0 ? sc / NT : 0;
  const before = weightedTTest(xT, new Float64Array(xT.length).fill(1), xC, new Float64Array(xC.length).fill(1));
  return {
    variable,
    treated,
    control,
    std_bias: sd > 0 ? (100 * (treated - control)) / sd : 0,
    p: NT > 0 ? after.p : 1,
    treated_before: tb,
    control_before: cb,
    std_bias_before: sd > 0 ? (100 * (tb - cb)) / sd : 0,
    p_before: before.p,
  };
}
