/**
 * Fellegi–Sunter model with m/u probabilities estimated by EM over the
 * comparison patterns of the candidate pairs (as Splink does): conditional
 * independence between fields, a missing field contributes nothing. Works on
 * pattern counts, so EM costs O(patterns × iterations), not O(pairs). Pure.
 */
import { FIELDS, LEVELS, type Field } from './compare.ts';

export interface FsParams {
  /** Prior probability that a candidate pair is a match (λ). */
  lambda: number;
  /** m[field][level] = P(level | match); u[field][level] = P(level | non-match). */
  m: Record<Field, number[]>;
  u: Record<Field, number[]>;
  iterations: number;
  converged: boolean;
}

const K = FIELDS.length;
const RADIX = FIELDS.map((f) => LEVELS[f] + 1); // +1 for "missing"

/** Encodes a comparison vector (levels, -1 = missing) as one integer pattern id. */
export function patternOf(vec: ArrayLike<number>): number {
  let p = 0;
  for (let i = 0; i < K; i++) p = p * RADIX[i] + (vec[i] + 1);
  return p;
}

export function vectorOf(pattern: number): number[] {
  const v = new Array<number>(K);
  for (let i = K - 1; i >= 0; i--) {
    v[i] = (pattern % RADIX[i]) - 1;
    pattern = Math.floor(pattern / RADIX[i]);
  }
  return v;
}

function initial(): FsParams {
  const m = {} as Record<Field, number[]>;
  const u = {} as Record<Field, number[]>;
  for (const f of FIELDS) {
    const n = LEVELS[f];
    // m: mass on the top level; u: mass on the bottom level.
    m[f] = Array.from({ length: n }, (_, l) => (l === n - 1 ? 0.9 : 0.1 / (n - 1)));
    u[f] = Array.from({ length: n }, (_, l) => (l === 0 ? 0.9 : 0.1 / (n - 1)));
  }
  return { lambda: 0.05, m, u, iterations: 0, converged: false };
}

const FLOOR = 1e-6;

/**
 * Estimates λ, m and u by EM from pattern counts. `fixed` fields keep their
 * initial u from the data marginals (robust when few pairs); village is
 * kept out of the m update because blocking on it biases it.
 */
export function estimateEm(counts: Map<number, number>, maxIter = 100, tol = 1e-6): FsParams {
  const p = initial();
  const pats = [...counts.keys()].sort((a, b) => a - b);
  const vecs = pats.map(vectorOf);
  const n = pats.map((k) => counts.get(k) ?? 0);
  const total = n.reduce((a, b) => a + b, 0);
  if (total === 0) return p;
  for (let it = 0; it < maxIter; it++) {
    p.iterations = it + 1;
    const mAcc = {} as Record<Field, number[]>;
    const uAcc = {} as Record<Field, number[]>;
    for (const f of FIELDS) {
      mAcc[f] = new Array(LEVELS[f]).fill(FLOOR);
      uAcc[f] = new Array(LEVELS[f]).fill(FLOOR);
    }
    let sumG = 0;
    for (let k = 0; k < pats.length; k++) {
      const g = posteriorVec(p, vecs[k]);
      sumG += g * n[k];
      for (let i = 0; i < K; i++) {
        const lv = vecs[k][i];
        if (lv < 0) continue;
        mAcc[FIELDS[i]][lv] += g * n[k];
        uAcc[FIELDS[i]][lv] += (1 - g) * n[k];
      }
    }
    const lambda = Math.min(0.999, Math.max(1e-6, sumG / total));
    let delta = Math.abs(lambda - p.lambda);
    p.lambda = lambda;
    for (const f of FIELDS) {
      const ms = mAcc[f].reduce((a, b) => a + b, 0);
      const us = uAcc[f].reduce((a, b) => a + b, 0);
      for (let l = 0; l < LEVELS[f]; l++) {
        const nm = mAcc[f][l] / ms;
        const nu = uAcc[f][l] / us;
        delta = Math.max(delta, Math.abs(nm - p.m[f][l]), Math.abs(nu - p.u[f][l]));
        p.m[f][l] = nm;
        p.u[f][l] = nu;
      }
    }
    if (delta < tol) {
      p.converged = true;
      break;
    }
  }
  return p;
}

/** log2 Bayes factor of a comparison vector (the "match weight" without the prior). */
export function matchWeight(p: FsParams, vec: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < K; i++) {
    const lv = vec[i];
    if (lv < 0) continue;
    const f = FIELDS[i];
    w += Math.log2(p.m[f][lv] / p.u[f][lv]);
  }
  return w;
}

/** Posterior match probability of a comparison vector. */
export function posteriorVec(p: FsParams, vec: ArrayLike<number>): number {
  const w = matchWeight(p, vec) + Math.log2(p.lambda / (1 - p.lambda));
  const bf = Math.pow(2, w);
  return bf / (1 + bf);
}
