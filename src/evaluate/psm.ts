/**
 * Radius (caliper) matching on a propensity score, edge included
 * (|Δe| <= caliper). Each treated unit is matched to every control inside the
 * caliper with weight 1/k; a treated unit with no control in reach is off
 * support. Sorting plus a two-pointer window keeps it O(n log n): control
 * means come from prefix sums, control weights from a difference array.
 */
import { variance } from './stats.ts';
import type { SampleRng as Rng } from '../domain/rng.ts';

export interface MatchResult {
  /** Treated index → [lo, hi) window into `controlOrder` (empty = off support). */
  lo: Int32Array;
  hi: Int32Array;
  /** Controls sorted by score (indices into the control arrays). */
  controlOrder: Int32Array;
  /** Treated on support (indices into the treated arrays). */
  onSupport: Int32Array;
  offSupport: number;
  /** Total weight of each control summed over treated (index = control index). */
  controlWeight: Float64Array;
  /** Number of controls with weight > 0. */
  nMatchedControls: number;
}

export function radiusMatch(treatedScore: ArrayLike<number>, controlScore: ArrayLike<number>, caliper: number): MatchResult {
  const nT = treatedScore.length;
  const nC = controlScore.length;
  const controlOrder = Int32Array.from({ length: nC }, (_, i) => i).sort((a, b) => controlScore[a]! - controlScore[b]!);
  const treatedOrder = Int32Array.from({ length: nT }, (_, i) => i).sort((a, b) => treatedScore[a]! - treatedScore[b]!);
  const sc = new Float64Array(nC);
  for (let s = 0; s < nC; s++) sc[s] = controlScore[controlOrder[s]!]!;
  const lo = new Int32Array(nT);
  const hi = new Int32Array(nT);
  const wDiff = new Float64Array(nC + 1);
  const cover = new Int32Array(nC + 1);
  const support: number[] = [];
  let l = 0;
  let h = 0;
  for (const t of treatedOrder) {
    const e = treatedScore[t]!;
    while (l < nC && e - sc[l]! > caliper) l++;
    if (h < l) h = l;
    while (h < nC && sc[h]! - e <= caliper) h++;
    lo[t] = l;
    hi[t] = h;
    const k = h - l;
    if (k > 0) {
      support.push(t);
      wDiff[l]! += 1 / k;
      wDiff[h]! -= 1 / k;
      cover[l]!++;
      cover[h]!--;
    }
  }
  const controlWeight = new Float64Array(nC);
  let w = 0;
  let c = 0;
  let nMatched = 0;
  for (let s = 0; s < nC; s++) {
    w += wDiff[s]!;
    c += cover[s]!;
    if (c > 0) {
      controlWeight[controlOrder[s]!] = w;
      nMatched++;
    }
  }
  support.sort((a, b) => a - b);
  return { lo, hi, controlOrder, onSupport: Int32Array.from(support), offSupport: nT - support.length, controlWeight, nMatchedControls: nMatched };
}

export interface AttEstimate {
  att: number;
  se: number;
  n_treated: number;
  n_matched_controls: number;
  treated_mean: number;
  control_mean: number;
}

/** ATT and psmatch2's SE (weights taken as fixed) for one outcome. */
export function attFromMatch(m: MatchResult, yT: ArrayLike<number>, yC: ArrayLike<number>): AttEstimate {
  const NT = m.onSupport.length;
  if (NT === 0) return { att: 0, se: 0, n_treated: 0, n_matched_controls: 0, treated_mean: 0, control_mean: 0 };
  const yt = Float64Array.from(m.onSupport, (i) => yT[i]!);
  let st = 0;
  for (const v of yt) st += v;
  let sc = 0;
  let sw2 = 0;
  const used: number[] = [];
  for (let j = 0; j < m.controlWeight.length; j++) {
    const w = m.controlWeight[j]!;
    if (w > 0) {
      sc += w * yC[j]!;
      sw2 += w * w;
      used.push(yC[j]!);
    }
  }
  const tMean = st / NT;
  const cMean = sc / NT;
  const se = Math.sqrt(variance(yt) / NT + (sw2 * variance(used)) / (NT * NT));
  return { att: tMean - cMean, se, n_treated: NT, n_matched_controls: m.nMatchedControls, treated_mean: tMean, control_mean: cMean };
}

/**
 * Bootstrap SEs: treated and controls are resampled separately with
 * replacement (stratified by group), scores and VEP held fixed, and matching
 * is redone on the resample (a unit drawn m times counts m times). Windows
 * depend only on the scores, so each replicate is O(n).
 */
export function bootstrapAtt(m: MatchResult, yT: ArrayLike<number>[], yC: ArrayLike<number>[], reps: number, rng: Rng): number[] {
  const nT = m.lo.length;
  const nC = m.controlOrder.length;
  const nOut = yT.length;
  const draws: number[][] = yT.map(() => []);
  const mT = new Int32Array(nT);
  const mCsorted = new Int32Array(nC);
  const cnt = new Float64Array(nC + 1);
  const sums = yC.map(() => new Float64Array(nC + 1));
  for (let r = 0; r < reps; r++) {
    mT.fill(0);
    mCsorted.fill(0);
    for (let i = 0; i < nT; i++) mT[rng.int(nT)]!++;
    for (let i = 0; i < nC; i++) mCsorted[rng.int(nC)]!++;
    for (let s = 0; s < nC; s++) {
      const mult = mCsorted[s]!;
      cnt[s + 1] = cnt[s]! + mult;
      const j = m.controlOrder[s]!;
      for (let o = 0; o < nOut; o++) sums[o]![s + 1] = sums[o]![s]! + mult * yC[o]![j]!;
    }
    let wsum = 0;
    const eff = new Float64Array(nOut);
    for (let t = 0; t < nT; t++) {
      const mult = mT[t]!;
      if (mult === 0) continue;
      const k = cnt[m.hi[t]!]! - cnt[m.lo[t]!]!;
      if (k <= 0) continue;
      wsum += mult;
      for (let o = 0; o < nOut; o++) eff[o]! += mult * (yT[o]![t]! - (sums[o]![m.hi[t]!]! - sums[o]![m.lo[t]!]!) / k);
    }
    if (wsum === 0) continue;
    for (let o = 0; o < nOut; o++) draws[o]!.push(eff[o]! / wsum);
  }
  return draws.map((d) => (d.length >= 2 ? Math.sqrt(variance(d)) : 0));
}
