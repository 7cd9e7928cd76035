import { describe, expect, it } from 'vitest';
import { buildFeatures, compareVec, fastPattern } from './link-persons.ts';
import { namePinyin } from './compare.ts';
import { patternOf } from './fellegi-sunter.ts';
import type { LinkRecord } from './types.ts';

// Names chosen to hit every name level: same characters, 同音字, similar pinyin, single-syllable names.
const NAMES = ['王建国', '王建军', '王剑国', '张丽', '张莉', '张力', '李秀英', '李秀兰', '王', '汪', '陈明', '陈敏', '', null];
const BIRTHS = ['1960-01-01', '1960-01-02', '1961-01-01', '1960-02-01', '1970-05-05', '', null];
const SEXES = ['男', '女', '', null];
const IDS = ['621202196001010011', '621202196001010012', '621202196001010111', '621202197005050022', '62120219600101001X', null];

function rnd(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fastPattern (precomputed features)', () => {
  it('gives the same comparison vector as the string-based reference for every pair', () => {
    const r = rnd(42);
    const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
    const records: LinkRecord[] = Array.from({ length: 200 }, (_, i) => ({
      system: i % 2 ? 'lip' : 'prm',
      key: `G${i}#k`,
      groupNo: `G${i}`,
      regionCode: pick(['621202100201', '621202100202']),
      fileId: 'f',
      rowNo: i,
      name: pick(NAMES),
      idNumber: pick(IDS),
      idStatus: 'valid',
      sex: pick(SEXES),
      birthDate: pick(BIRTHS),
      relation: null,
      hash: '',
    }));
    const f = buildFeatures(records, (i) => (records[i].name ? namePinyin(records[i].name as string).join(' ') : ''));
    const nameLevels = new Set<number>();
    const birthLevels = new Set<number>();
    for (let a = 0; a < records.length; a++) {
      for (let b = 0; b < records.length; b++) {
        const ref = compareVec(records[a], records[b]);
        nameLevels.add(ref[0]);
        birthLevels.add(ref[1]);
        expect(fastPattern(f, a, b)).toBe(patternOf(ref));
      }
    }
    // The sample really covers all name levels (-1..3) and birth levels (-1..2).
    expect([...nameLevels].sort()).toEqual([-1, 0, 1, 2, 3]);
    expect([...birthLevels].sort()).toEqual([-1, 0, 1, 2]);
  });
});
