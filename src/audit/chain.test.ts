import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash, GENESIS_HASH, type ChainedFields } from './chain.ts';

const base: ChainedFields = {
  seq: 1,
  at: '2026-01-01T00:00:00.000Z',
  county_code: '621202',
  user_id: 'u1',
  username: 'alice',
  role: 'county_admin',
  action: 'unmask',
  target_type: 'prm_member',
  target_id: 'prm_member:621202:f1:3',
  reason: '入户核查',
  ip: '10.0.0.1',
  outcome: 'ok',
  details: { b: 1, a: [1, { d: 2, c: 3 }] },
};

describe('audit chain', () => {
  it('canonical JSON sorts keys at every level, so jsonb round trips hash the same', () => {
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toBe('{"a":{"c":3,"d":2},"b":1}');
    expect(canonicalJson({ b: 1, a: { c: 3, d: 2 } })).toBe(canonicalJson({ a: { d: 2, c: 3 }, b: 1 }));
  });

  it('changing any field changes the hash', () => {
    const h = chainHash(GENESIS_HASH, base);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    for (const k of Object.keys(base) as (keyof ChainedFields)[]) {
      const changed = { ...base, [k]: k === 'seq' ? 2 : k === 'details' ? { b: 2 } : `${String(base[k])}x` };
      expect(chainHash(GENESIS_HASH, changed), k).not.toBe(h);
    }
    expect(chainHash('f'.repeat(64), base)).not.toBe(h);
  });
});
