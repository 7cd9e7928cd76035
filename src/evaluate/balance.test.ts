import { describe, expect, it } from 'vitest';
import { balanceRow, weightedTTest } from './balance.ts';
import { radiusMatch } from './psm.ts';

describe('weighted t-test', () => {
  /*
   * Unit weights reduce to the pooled two-sample t-test:
   *   T = (1, 2, 3): mean 2, SS 2 · C = (2, 4, 6, 8): mean 5, SS 20
   *   s² = 22/5, se = sqrt(4.4 (1/3 + 1/4)) = sqrt(2.5666…), t = −3/se, df 5.
   */
  it('equals the pooled t-test with unit weights', () => {
    const r = weightedTTest([1, 2, 3], [1, 1, 1], [2, 4, 6, 8], [1, 1, 1, 1]);
    expect(r.diff).toBe(-3);
    expect(r.t).toBeCloseTo(-3 / Math.sqrt(4.4 * (1 / 3 + 1 / 4)), 12);
    // t(5) two-sided p for |t| = 1.8726 is about 0.12.
    expect(r.p).toBeGreaterThan(0.1);
    expect(r.p).toBeLessThan(0.14);
  });
  it('scaling all weights leaves the p-value unchanged (analytic weights)', () => {
    const a = weightedTTest([1, 2, 3], [1, 1, 1], [2, 4, 6, 8], [0.5, 1, 1.5, 1]);
    const b = weightedTTest([1, 2, 3], [3, 3, 3], [2, 4, 6, 8], [1.5, 3, 4.5, 3]);
    expect(a.p).toBeCloseTo(b.p, 12);
  });
  it('constant identical columns give p = 1, never NaN', () => {
    expect(weightedTTest([1, 1], [1, 1], [1, 1], [1, 1]).p).toBe(1);
  });
});

describe('balance row', () => {
  it('standardized bias uses the unmatched variances', () => {
    // Example of psm.test.ts: T on support = 0, 1; weights [1/3, 1/3, 5/6, 1/2, 0].
    const m = radiusMatch([0.25, 0.5, 0.9375], [0.125, 0.25, 0.375, 0.625, 0.75], 0.125);
    const xT = [10, 6, 3];
    const xC = [4, 2, 8, 5, 1];
    const r = balanceRow('x', xT, xC, m);
    expect(r.treated).toBe(8);
    const control = (4 / 3 + 2 / 3 + (8 * 5) / 6 + 5 / 2) / 2;
    expect(r.control).toBeCloseTo(control, 12);
    const varT = ((10 - 19 / 3) ** 2 + (6 - 19 / 3) ** 2 + (3 - 19 / 3) ** 2) / 2;
    const varC = [4, 2, 8, 5, 1].reduce((s, v) => s + (v - 4) ** 2, 0) / 4;
    expect(r.std_bias).toBeCloseTo((100 * (8 - control)) / Math.sqrt((varT + varC) / 2), 10);
    expect(r.std_bias_before).toBeCloseTo((100 * (19 / 3 - 4)) / Math.sqrt((varT + varC) / 2), 10);
  });
});
