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
/** Number of distinct patterns: every pattern number is below it (patterns index typed arrays). */
export const PATTERNS = RADIX.reduce((a, b) => a * b, 1);

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

export type LevelProbs = Record<Field, number[]>;

/** Default m starting values (P(level | match)) where no labelled pairs inform them. */
export const DEFAULT_M: LevelProbs = {
  name: [0.03, 0.05, 0.12, 0.8],
  birth: [0.05, 0.15, 0.8],
  sex: [0.02, 0.98],
  village: [0.1, 0.9],
  // A true match whose IDs differ is mostly a typo (close) or a check-digit slip.
  id: [0.05, 0.6, 0.35],
};

function uniformish(f: Field, top: boolean): number[] {
  const n = LEVELS[f];
  return Array.from({ length: n }, (_, l) => ((top ? l === n - 1 : l === 0) ? 0.9 : 0.1 / (n - 1)));
}

export interface EmOptions {
  /** Starting m; also the prior mean (MAP-EM) when priorWeight > 0. */
  m0?: LevelProbs;
  /** Starting u; kept fixed when fixU (Splink: u from random sampling, fixed during EM). */
  u0?: LevelProbs;
  fixU?: boolean;
  /** Pseudo-pairs of the Dirichlet prior on m: keeps EM stable when true matches are few. */
  priorWeight?: number;
  lambda0?: number;
  /** Fields whose m stays at m0 (Splink: the blocking columns are not estimated in that EM session). */
  fixM?: readonly Field[];
  maxIter?: number;
  tol?: number;
}

const FLOOR = 1e-6;

/**
 * Estimates λ and m (and u unless fixed) by EM from pattern counts.
 */
export function estimateEm(counts: Map<number, number>, opts: EmOptions = {}): FsParams {
  const m = {} as LevelProbs;
  const u = {} as LevelProbs;
  for (const f of FIELDS) {
    m[f] = [...(opts.m0?.[f] ?? uniformish(f, true))];
    u[f] = [...(opts.u0?.[f] ?? uniformish(f, false))];
  }
  const prior = opts.m0 ? Object.fromEntries(FIELDS.map((f) => [f, [...m[f]]])) as LevelProbs : undefined;
  const pw = opts.priorWeight ?? 0;
  const p: FsParams = { lambda: opts.lambda0 ?? 0.01, m, u, iterations: 0, converged: false };
  const maxIter = opts.maxIter ?? 200;
  const tol = opts.tol ?? 1e-7;
  const pats = [...counts.keys()].sort((a, b) => a - b);
  const vecs = pats.map(vectorOf);
  const n = pats.map((k) => counts.get(k) ?? 0);
  const total = n.reduce((a, b) => a + b, 0);
  if (total === 0) return p;
  for (let it = 0; it < maxIter; it++) {
    p.iterations = it + 1;
    const mAcc = {} as LevelProbs;
    const uAcc = {} as LevelProbs;
    for (const f of FIELDS) {
      mAcc[f] = Array.from({ length: LEVELS[f] }, (_, l) => FLOOR + (prior ? pw * prior[f][l] : 0));
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
    const lambda = Math.min(0.5, Math.max(1e-7, sumG / total));
    let delta = Math.abs(lambda - p.lambda) / Math.max(lambda, 1e-9);
    p.lambda = lambda;
    for (const f of FIELDS) {
      const ms = mAcc[f].reduce((a, b) => a + b, 0);
      const us = uAcc[f].reduce((a, b) => a + b, 0);
      for (let l = 0; l < LEVELS[f]; l++) {
        if (!opts.fixM?.includes(f)) {
          const nm = mAcc[f][l] / ms;
          delta = Math.max(delta, Math.abs(nm - p.m[f][l]));
          p.m[f][l] = nm;
        }
        if (!opts.fixU) {
          const nu = uAcc[f][l] / us;
          delta = Math.max(delta, Math.abs(nu - p.u[f][l]));
          p.u[f][l] = nu;
        }
      }
    }
    if (delta < tol) {
      p.converged = true;
      break;
    }
  }
  return p;
}

/** Level frequencies of a set of comparison vectors (with add-one smoothing): u from random pairs, m from labelled matches. */
export function levelFrequencies(vectors: Iterable<ArrayLike<number>>, smoothing = 1): LevelProbs {
  const acc = {} as LevelProbs;
  for (const f of FIELDS) acc[f] = new Array(LEVELS[f]).fill(smoothing);
  for (const v of vectors) {
    for (let i = 0; i < K; i++) if (v[i] >= 0) acc[FIELDS[i]][v[i]]++;
  }
  for (const f of FIELDS) {
    const s = acc[f].reduce((a, b) => a + b, 0);
    acc[f] = acc[f].map((x) => x / s);
  }
  return acc;
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
