import { describe, expect, it } from 'vitest';
import type { Design } from './linalg.ts';
import { makeRng } from '../domain/rng.ts';
import { normalCdf } from './stats.ts';
import { estimateVep } from './vep.ts';

describe('VEP (CJS three-step FGLS)', () => {
  /*
   * Intercept only, incomes 2000, 4000, 8000, 16000 (ln y = ln 1000 + k·ln 2, k = 1..4):
   *  a. OLS → mean m = ln 1000 + 2.5 ln 2; residuals ±0.5 ln 2, ±1.5 ln 2
   *  b. OLS of ê² → θ₀ = mean ê² = (2·0.25 + 2·2.25)(ln 2)²/4 = 1.25 (ln 2)²
   *  c. constant weights → θ = θ₀; σ² = 1.25 (ln 2)²
   *  d. constant weights → β = m
   *  VEP at z = 4000: Φ((ln 4000 − m)/σ) = Φ(−0.5 ln 2 / (sqrt(1.25) ln 2)) = Φ(−0.5/sqrt(1.25)).
   */
  it('hand case with an intercept only', () => {
    const d: Design = { X: Float64Array.from([1, 1, 1, 1]), n: 4, p: 1, names: ['intercept'] };
    const lny = [2000, 4000, 8000, 16000].map(Math.log);
    const r = estimateVep(d, lny, 4000);
    expect(r.beta[0]).toBeCloseTo(Math.log(1000) + 2.5 * Math.log(2), 10);
    expect(r.sigma2[0]).toBeCloseTo(1.25 * Math.log(2) ** 2, 10);
    for (const v of r.vep) expect(v).toBeCloseTo(normalCdf(-0.5 / Math.sqrt(1.25)), 10);
  });

  it('recovers a known heteroskedastic income process', () => {
    const rng = makeRng(9);
    const n = 40000;
    const X = new Float64Array(n * 2);
    const lny = new Float64Array(n);
    const trueMu = (x: number): number => 9 + 0.5 * x;
    const trueVar = (x: number): number => 0.2 + 0.3 * x;
    for (let i = 0; i < n; i++) {
      const x = rng.next() * 2;
      X[i * 2] = 1;
      X[i * 2 + 1] = x;
      lny[i] = trueMu(x) + Math.sqrt(trueVar(x)) * rng.normal();
    }
    const r = estimateVep({ X, n, p: 2, names: ['intercept', 'x'] }, lny, 8000);
    expect(r.beta[0]).toBeCloseTo(9, 1);
    expect(r.beta[1]).toBeCloseTo(0.5, 1);
    expect(r.theta[0]).toBeCloseTo(0.2, 1);
    expect(r.theta[1]).toBeCloseTo(0.3, 1);
    // VEP of the first household vs the true probability.
    const x0 = X[1]!;
    expect(r.vep[0]).toBeCloseTo(normalCdf((Math.log(8000) - trueMu(x0)) / Math.sqrt(trueVar(x0))), 1);
  });
});
