/**
 * Multinomial logit (多项 Logit) by maximum likelihood, Newton–Raphson with
 * step halving. Outcome 0 is the base category; parameters are stacked as
 * [β_1 (p values), β_2, …, β_{J−1}]. Linear systems and the covariance
 * matrix are solved/inverted by ml-matrix.
 */
import { Matrix, inverse } from 'ml-matrix';
import type { Design } from './linalg.ts';
import { solveSpd } from './linalg.ts';
import { zTwoSidedP } from './stats.ts';

export interface MlogitFit {
  /** Stacked coefficients, (J−1)·p. */
  beta: Float64Array;
  /** Standard errors from the inverse observed information. */
  se: Float64Array;
  converged: boolean;
  iterations: number;
  logLik: number;
  /** Log-likelihood of the intercept-only model. */
  logLikNull: number;
  /** McFadden pseudo-R² = 1 − LL/LL₀. */
  pseudoR2: number;
  /** Max |∂LL/∂β| at the returned estimate. */
  gradientMaxAbs: number;
  /** Fitted probabilities, row-major n × J. */
  probs: Float64Array;
  J: number;
}

/** Probabilities and log-likelihood at `beta`. */
export function mlogitProbs(d: Design, y: Uint8Array, J: number, beta: ArrayLike<number>): { probs: Float64Array; logLik: number } {
  const { X, n, p } = d;
  const probs = new Float64Array(n * J);
  const eta = new Float64Array(J);
  let ll = 0;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    let mx = 0;
    eta[0] = 0;
    for (let j = 1; j < J; j++) {
      let s = 0;
      const bo = (j - 1) * p;
      for (let a = 0; a < p; a++) s += X[o + a]! * beta[bo + a]!;
      eta[j] = s;
      if (s > mx) mx = s;
    }
    let den = 0;
    for (let j = 0; j < J; j++) den += Math.exp(eta[j]! - mx);
    const lden = Math.log(den) + mx;
    for (let j = 0; j < J; j++) probs[i * J + j] = Math.exp(eta[j]! - lden);
    ll += eta[y[i]!]! - lden;
  }
  return { probs, logLik: ll };
}

/** Gradient and negative Hessian (observed information) at fitted `probs`. */
export function mlogitDerivatives(d: Design, y: Uint8Array, J: number, probs: Float64Array): { grad: Float64Array; info: Matrix } {
  const { X, n, p } = d;
  const K = J - 1;
  const q = K * p;
  const grad = new Float64Array(q);
  // acc[m·pp + a·p + b] holds Σ w_i^{jk} x_ia x_ib (upper triangle) for the m-th pair j <= k.
  const pairs: Array<[number, number]> = [];
  for (let j = 0; j < K; j++) for (let k = j; k < K; k++) pairs.push([j, k]);
  const M = pairs.length;
  const pj = Int32Array.from(pairs, ([j]) => j);
  const pk = Int32Array.from(pairs, ([, k]) => k);
  const pp = p * p;
  const acc = new Float64Array(M * pp);
  const wts = new Float64Array(M);
  const xx = new Float64Array(pp);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    const pi = i * J;
    for (let j = 0; j < K; j++) {
      const r = (y[i] === j + 1 ? 1 : 0) - probs[pi + j + 1]!;
      const go = j * p;
      for (let a = 0; a < p; a++) grad[go + a]! += r * X[o + a]!;
    }
    for (let m = 0; m < M; m++) {
      const j = pj[m]!;
      const k = pk[m]!;
      wts[m] = probs[pi + j + 1]! * ((j === k ? 1 : 0) - probs[pi + k + 1]!);
    }
    for (let a = 0; a < p; a++) {
      const xa = X[o + a]!;
      const row = a * p;
      for (let b = a; b < p; b++) xx[row + b] = xa * X[o + b]!;
    }
    for (let m = 0; m < M; m++) {
      const w = wts[m]!;
      const base = m * pp;
      for (let a = 0; a < p; a++) {
        const row = a * p;
        for (let b = a; b < p; b++) acc[base + row + b]! += w * xx[row + b]!;
      }
    }
  }
  const info = new Matrix(q, q);
  pairs.forEach(([j, k], m) => {
    for (let a = 0; a < p; a++) for (let b = a; b < p; b++) {
      const v = acc[m * pp + a * p + b]!;
      info.set(j * p + a, k * p + b, v);
      info.set(j * p + b, k * p + a, v);
      info.set(k * p + a, j * p + b, v);
      info.set(k * p + b, j * p + a, v);
    }
  });
  return { grad, info };
}

export function fitMlogit(d: Design, y: Uint8Array, J: number, opts: { maxIter?: number; tol?: number } = {}): MlogitFit {
  const maxIter = opts.maxIter ?? 100;
  const tol = opts.tol ?? 1e-9;
  const { n, p } = d;
  const K = J - 1;
  const counts = new Array<number>(J).fill(0);
  for (let i = 0; i < n; i++) counts[y[i]!]!++;
  // Start from the intercept-only optimum (column 0 must be the intercept).
  const beta = new Float64Array(K * p);
  for (let j = 1; j < J; j++) beta[(j - 1) * p] = Math.log(Math.max(counts[j]!, 0.5) / Math.max(counts[0]!, 0.5));
  let logLikNull = 0;
  for (let j = 0; j < J; j++) if (counts[j]! > 0) logLikNull += counts[j]! * Math.log(counts[j]! / n);

  let cur = mlogitProbs(d, y, J, beta);
  let converged = false;
  let iterations = 0;
  let der = mlogitDerivatives(d, y, J, cur.probs);
  for (let it = 1; it <= maxIter; it++) {
    iterations = it;
    const step = solveSpd(der.info, Matrix.columnVector(Array.from(der.grad))).getColumn(0);
    let t = 1;
    let next = cur;
    let trial = beta;
    for (let h = 0; h < 30; h++) {
      trial = beta.map((b, i) => b + t * step[i]!);
      next = mlogitProbs(d, y, J, trial);
      if (next.logLik >= cur.logLik - 1e-12 * Math.abs(cur.logLik)) break;
      t /= 2;
    }
    const maxStep = Math.max(...step.map((s) => Math.abs(s * t)));
    const gain = next.logLik - cur.logLik;
    beta.set(trial);
    cur = next;
    der = mlogitDerivatives(d, y, J, cur.probs);
    if (maxStep < 1e-8 || (Math.abs(gain) < tol * (1 + Math.abs(cur.logLik)) && maxStep < 1e-4)) {
      converged = true;
      break;
    }
  }
  let se = new Float64Array(K * p);
  try {
    const cov = inverse(der.info, true);
    se = Float64Array.from({ length: K * p }, (_, i) => Math.sqrt(Math.max(cov.get(i, i), 0)));
  } catch {
    converged = false;
  }
  let gmax = 0;
  for (const g of der.grad) gmax = Math.max(gmax, Math.abs(g));
  return {
    beta,
    se,
    converged,
    iterations,
    logLik: cur.logLik,
    logLikNull,
    pseudoR2: logLikNull !== 0 ? 1 - cur.logLik / logLikNull : 0,
    gradientMaxAbs: gmax,
    probs: cur.probs,
    J,
  };
}

/** Coefficient table rows for outcome j (1-based among non-base outcomes). */
export function coefficientTable(fit: MlogitFit, names: string[], j: number): Array<{ variable: string; coef: number; se: number; z: number; p: number }> {
  const p = names.length;
  return names.map((variable, a) => {
    const coef = fit.beta[(j - 1) * p + a]!;
    const se = fit.se[(j - 1) * p + a]!;
    const z = se > 0 ? coef / se : 0;
    return { variable, coef, se, z, p: se > 0 ? zTwoSidedP(z) : 1 };
  });
}
