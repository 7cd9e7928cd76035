/**
 * Seeded pseudo-random numbers: one mulberry32 core (tiny, fast, fully
 * deterministic) behind the two APIs the project uses — the `Rng` class of the
 * demo generator (src/demo) and the small `SampleRng` of the evaluation
 * (src/evaluate: samples and bootstrap draws). Math.random is never used, so
 * the same seed always gives the same output.
 *
 * The two APIs seed the core differently and draw normals differently; both are
 * kept exactly as they were so that existing seeds reproduce the same demo
 * county and the same evaluation figures.
 */

/** mulberry32 over a 32-bit state: returns a function giving uniform floats in [0, 1). */
export function mulberry32(state: number): () => number {
  let a = state >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Generator with the helpers of the demo county generator. */
export class Rng {
  /** Uniform float in [0, 1). */
  readonly next: () => number;

  constructor(seed: number) {
    // Mix the seed so that nearby seeds (1, 2, 3…) give unrelated streams.
    let s = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
    s = Math.imul(s ^ (s >>> 16), 0x85ebca6b) >>> 0;
    s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35) >>> 0;
    this.next = mulberry32((s ^ (s >>> 16)) >>> 0);
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight; `weights` parallel to `items`. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T {
    let total = 0;
    for (const w of weights) total += w;
    let r = this.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= weights[i];
      if (r < 0) return items[i];
    }
    return items[items.length - 1];
  }

  /** Picks by precomputed cumulative weights (see `cumulative`); O(log n). */
  weightedCum<T>(items: readonly T[], cum: readonly number[]): T {
    const r = this.next() * cum[cum.length - 1];
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid] > r) hi = mid;
      else lo = mid + 1;
    }
    return items[lo];
  }

  /** Standard normal (Box–Muller, one draw per pair of uniforms). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal around a median with a multiplicative spread. */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(this.normal(0, sigma));
  }

  /** Fisher–Yates on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const a = items.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  /** A derived, independent generator (for sub-streams that must not shift others). */
  fork(salt: number): Rng {
    return new Rng((Math.floor(this.next() * 0x7fffffff) ^ Math.imul(salt, 0x27d4eb2d)) >>> 0);
  }
}

/** Running sums of weights, for `Rng.weightedCum`. */
export function cumulative(weights: readonly number[]): number[] {
  let t = 0;
  return weights.map((w) => (t += w));
}

/** The small generator the evaluation uses for samples and bootstrap draws. */
export interface SampleRng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer uniform in [0, n). */
  int(n: number): number;
  /** Standard normal (Box–Muller, both draws of a pair used). */
  normal(): number;
}

export function makeRng(seed: number): SampleRng {
  const next = mulberry32((Math.trunc(seed) ^ 0x9e3779b9) >>> 0);
  let spare: number | undefined;
  return {
    next,
    int: (n) => Math.floor(next() * n),
    normal: () => {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = 0;
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}
