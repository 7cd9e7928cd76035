import { describe, expect, it } from 'vitest';
import type { Design } from './linalg.ts';
import { fitMlogit, mlogitDerivatives, mlogitProbs } from './mlogit.ts';
import { makeRng } from '../domain/rng.ts';

/*
 * Hand case: one binary covariate x, three outcomes. With a saturated model
 * the MLE probabilities are the cell frequencies:
 *   x=0: outcome counts (4, 2, 2) → p = (1/2, 1/4, 1/4)
 *   x=1: outcome counts (1, 3, 4) → p = (1/8, 3/8, 1/2)
 * so β_j = ln(n_j0/n_00), slope_j = ln(n_j1/n_01) − ln(n_j0/n_00):
 *   β_1 = −ln 2, slope_1 = ln 3 + ln 2 = ln 6; β_2 = −ln 2, slope_2 = ln 4 + ln 2 = ln 8.
 */
describe('multinomial logit, hand case', () => {
  const cells: Array<[number, number[]]> = [
    [0, [4, 2, 2]],
    [1, [1, 3, 4]],
  ];
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [x, counts] of cells) counts.forEach((c, j) => {
    for (let k = 0; k < c; k++) {
      xs.push(1, x);
      ys.push(j);
    }
  });
  const d: Design = { X: Float64Array.from(xs), n: ys.length, p: 2, names: ['intercept', 'x'] };
  const y = Uint8Array.from(ys);
  const fit = fitMlogit(d, y, 3);
  it('recovers the closed-form coefficients and log-likelihood', () => {
    expect(fit.converged).toBe(true);
    expect(fit.beta[0]).toBeCloseTo(-Math.log(2), 8);
    expect(fit.beta[1]).toBeCloseTo(Math.log(6), 8);
    expect(fit.beta[2]).toBeCloseTo(-Math.log(2), 8);
    expect(fit.beta[3]).toBeCloseTo(Math.log(8), 8);
    const ll = 4 * Math.log(0.5) + 4 * Math.log(0.25) + Math.log(1 / 8) + 3 * Math.log(3 / 8) + 4 * Math.log(0.5);
    expect(fit.logLik).toBeCloseTo(ll, 9);
    // Null model: overall shares (5, 5, 6)/16.
    expect(fit.logLikNull).toBeCloseTo(5 * Math.log(5 / 16) * 2 + 6 * Math.log(6 / 16), 9);
    expect(fit.pseudoR2).toBeCloseTo(1 - ll / fit.logLikNull, 12);
  });
});

describe('multinomial logit on simulated data', () => {
  const rng = makeRng(5);
  const n = 20000;
  const p = 3;
  const trueBeta = [-0.5, 0.8, -0.3, 0.2, -0.6, 0.9];
  const X = new Float64Array(n * p);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    X[i * p] = 1;
    X[i * p + 1] = rng.normal();
    X[i * p + 2] = rng.next() < 0.4 ? 1 : 0;
  }
  const d: Design = { X, n, p, names: ['intercept', 'a', 'b'] };
  const { probs } = mlogitProbs(d, new Uint8Array(n), 3, trueBeta);
  for (let i = 0; i < n; i++) {
    const u = rng.next();
    y[i] = u < probs[i * 3]! ? 0 : u < probs[i * 3]! + probs[i * 3 + 1]! ? 1 : 2;
  }
  const fit = fitMlogit(d, y, 3);
  it('converges with the score ≈ 0 at the optimum', () => {
    expect(fit.converged).toBe(true);
    expect(fit.gradientMaxAbs).toBeLessThan(1e-6);
    const { grad } = mlogitDerivatives(d, y, 3, fit.probs);
    for (const g of grad) expect(Math.abs(g)).toBeLessThan(1e-6);
  });
  it('recovers the true coefficients within 4 standard errors', () => {
    trueBeta.forEach((b, k) => expect(Math.abs(fit.beta[k]! - b)).toBeLessThan(4 * fit.se[k]!));
  });
  it('the optimum beats nearby points (a real maximum)', () => {
    for (let k = 0; k < trueBeta.length; k++) {
      const moved = Float64Array.from(fit.beta);
      moved[k]! += 0.01;
      expect(mlogitProbs(d, y, 3, moved).logLik).toBeLessThan(fit.logLik);
    }
  });
});
