/**
 * Least squares on a row-major design (n × p in a Float64Array). The normal
 * equations are accumulated here; solving is left to ml-matrix (Cholesky,
 * falling back to an SVD-based solve when X'WX is not positive definite).
 */
import { CholeskyDecomposition, Matrix, solve } from 'ml-matrix';
import { BinkuError } from '../domain/errors.ts';

/** A design matrix: row i is X[i*p .. i*p+p). */
export interface Design {
  X: Float64Array;
  n: number;
  p: number;
  names: string[];
}

/** Solves A b = rhs for symmetric positive (semi)definite A. */
export function solveSpd(A: Matrix, rhs: Matrix): Matrix {
  const chol = new CholeskyDecomposition(A);
  if (chol.isPositiveDefinite()) return chol.solve(rhs);
  return solve(A, rhs, true);
}

/** Weighted least squares β = (X'WX)⁻¹X'Wy; `w` omitted = OLS. */
export function wls(d: Design, y: ArrayLike<number>, w?: ArrayLike<number>): Float64Array {
  const { X, n, p } = d;
  const xtx = new Float64Array(p * p);
  const xty = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    if (wi === 0) continue;
    const o = i * p;
    const yi = y[i]!;
    for (let a = 0; a < p; a++) {
      const xa = X[o + a]! * wi;
      xty[a]! += xa * yi;
      for (let b = a; b < p; b++) xtx[a * p + b]! += xa * X[o + b]!;
    }
  }
  const A = new Matrix(p, p);
  for (let a = 0; a < p; a++) for (let b = a; b < p; b++) {
    A.set(a, b, xtx[a * p + b]!);
    A.set(b, a, xtx[a * p + b]!);
  }
  const rhs = Matrix.columnVector(Array.from(xty));
  const beta = solveSpd(A, rhs).getColumn(0);
  if (beta.some((v) => !Number.isFinite(v))) {
    throw new BinkuError('BK_EVALUATE_SINGULAR', '回归方程无法求解（变量共线或样本过少）', { en: 'singular regression design' });
  }
  return Float64Array.from(beta);
}

/** Fitted values Xβ. */
export function predict(d: Design, beta: ArrayLike<number>): Float64Array {
  const { X, n, p } = d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const o = i * p;
    for (let a = 0; a < p; a++) s += X[o + a]! * beta[a]!;
    out[i] = s;
  }
  return out;
}
