import { describe, expect, it } from 'vitest';
import { attFromMatch, bootstrapAtt, radiusMatch } from './psm.ts';
import { makeRng } from '../domain/rng.ts';

/*
 * Hand-computed example (scores are multiples of 1/16, exact in binary, so
 * the caliper edge is tested exactly). Caliper 0.125.
 *   treated  T1 e=0.25 y=10 · T2 e=0.5 y=6 · T3 e=0.9375 y=3
 *   controls C1 0.125/4 · C2 0.25/2 · C3 0.375/8 · C4 0.625/5 · C5 0.75/1
 * T1: C1 (|Δ|=0.125, edge), C2 (0), C3 (0.125, edge) → k=3, mean 14/3, effect 10−14/3 = 16/3
 * T2: C3 (edge), C4 (edge) → k=2, mean 6.5, effect −0.5
 * T3: nearest C5 at 0.1875 > 0.125 → off support
 * ATT = (16/3 − 1/2)/2 = 29/12. Weights w = [1/3, 1/3, 5/6, 1/2, 0].
 * SE: Var(y_T)=Var(10,6)=8 → 8/2 = 4; Σw² = 1/9+1/9+25/36+1/4 = 7/6;
 *     Var(y_C) over C1..C4 = Var(4,2,8,5) = 18.75/3 = 6.25;
 *     (7/6)(6.25)/2² = 175/96 → SE = sqrt(4 + 175/96).
 */
const eT = [0.25, 0.5, 0.9375];
const yT = [10, 6, 3];
const eC = [0.125, 0.25, 0.375, 0.625, 0.75];
const yC = [4, 2, 8, 5, 1];

describe('radius matching, hand-computed example', () => {
  const m = radiusMatch(eT, eC, 0.125);
  it('includes controls exactly on the caliper edge and drops treated without controls', () => {
    expect(m.offSupport).toBe(1);
    expect(Array.from(m.onSupport)).toEqual([0, 1]);
    const w = Array.from(m.controlWeight);
    [1 / 3, 1 / 3, 5 / 6, 1 / 2, 0].forEach((v, j) => expect(w[j]).toBeCloseTo(v, 12));
    expect(m.nMatchedControls).toBe(4);
  });
  it('ATT and psmatch2 SE', () => {
    const a = attFromMatch(m, yT, yC);
    expect(a.att).toBeCloseTo(29 / 12, 12);
    expect(a.se).toBeCloseTo(Math.sqrt(4 + 175 / 96), 12);
    expect(a.n_treated).toBe(2);
    expect(a.n_matched_controls).toBe(4);
  });
  it('a slightly smaller caliper loses the edge controls', () => {
    const m2 = radiusMatch(eT, eC, 0.124);
    // T1 keeps only C2, T2 has nothing within 0.124.
    expect(m2.offSupport).toBe(2);
    expect(attFromMatch(m2, yT, yC).att).toBeCloseTo(10 - 2, 12);
  });
});

describe('radius matching agrees with brute force on random scores', () => {
  it('same windows, weights and ATT as the O(n²) definition', () => {
    const rng = makeRng(7);
    const nT = 300;
    const nC = 900;
    const sT = Array.from({ length: nT }, () => Math.round(rng.next() * 200) / 200);
    const sC = Array.from({ length: nC }, () => Math.round(rng.next() ** 2 * 200) / 200);
    const yt = sT.map((s) => s + rng.normal());
    const yc = sC.map((s) => s + rng.normal());
    const cal = 0.01;
    const m = radiusMatch(sT, sC, cal);
    const w = new Array<number>(nC).fill(0);
    let sum = 0;
    let on = 0;
    sT.forEach((e, i) => {
      const js = sC.map((c, j) => (Math.abs(c - e) <= cal ? j : -1)).filter((j) => j >= 0);
      if (js.length === 0) return;
      on++;
      sum += yt[i]! - js.reduce((s, j) => s + yc[j]!, 0) / js.length;
      for (const j of js) w[j]! += 1 / js.length;
    });
    expect(m.onSupport.length).toBe(on);
    w.forEach((v, j) => expect(m.controlWeight[j]).toBeCloseTo(v, 10));
    expect(attFromMatch(m, yt, yc).att).toBeCloseTo(sum / on, 10);
  });
});

describe('bootstrap SE', () => {
  it('is reproducible from the seed, positive, and near the analytic SE on a large sample', () => {
    const rng = makeRng(3);
    const n = 2000;
    const sT = Array.from({ length: n }, () => rng.next());
    const sC = Array.from({ length: 3 * n }, () => rng.next());
    const yt = sT.map(() => 1 + rng.normal());
    const yc = sC.map(() => rng.normal());
    const m = radiusMatch(sT, sC, 0.05);
    const a = attFromMatch(m, yt, yc);
    const b1 = bootstrapAtt(m, [yt], [yc], 200, makeRng(11))[0]!;
    const b2 = bootstrapAtt(m, [yt], [yc], 200, makeRng(11))[0]!;
    expect(b1).toBe(b2);
    expect(b1).toBeGreaterThan(0);
    expect(b1 / a.se).toBeGreaterThan(0.75);
    expect(b1 / a.se).toBeLessThan(1.3);
  });
});
