import { describe, expect, it } from 'vitest';
import { Rng, cumulative, makeRng, mulberry32 } from './rng.ts';

describe('seeded generators', () => {
  it('the same seed gives the same stream, another seed another one', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xa);
    const s1 = makeRng(7);
    const s2 = makeRng(7);
    expect([s1.next(), s1.int(10), s1.normal(), s1.normal()]).toEqual([s2.next(), s2.int(10), s2.normal(), s2.normal()]);
  });

  it('the evaluation generator is mulberry32 seeded with seed ^ 0x9e3779b9', () => {
    const core = mulberry32((5 ^ 0x9e3779b9) >>> 0);
    const s = makeRng(5);
    expect([s.next(), s.next()]).toEqual([core(), core()]);
  });

  it('uniforms stay in [0, 1) and ranges are respected', () => {
    const r = new Rng(1);
    for (let i = 0; i < 1000; i++) {
      const u = r.next();
      expect(u).toBeGreaterThanOrEqual(0);
      expect(u).toBeLessThan(1);
      const k = r.int(3, 5);
      expect(k >= 3 && k <= 5).toBe(true);
    }
  });

  it('weightedCum never picks a zero-weight item', () => {
    const r = new Rng(3);
    const cum = cumulative([1, 0, 2]);
    for (let i = 0; i < 500; i++) expect(r.weightedCum(['a', 'b', 'c'], cum)).not.toBe('b');
  });
});
