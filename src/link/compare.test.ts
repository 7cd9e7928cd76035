import { describe, expect, it } from 'vitest';
import { jaroWinkler, jaroWinklerAtLeast, namePinyin } from './compare.ts';

describe('jaroWinklerAtLeast', () => {
  it('agrees with jaroWinkler(a, b) >= min on pinyin names, edge cases and thresholds near the score', () => {
    const sur = '王,李,张,刘,陈,杨,赵,黄,周,吴,欧阳,司马'.split(',');
    const given = '建国,秀英,桂兰,伟,芳,娜,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,红梅,志强,海燕,德华,莉,力'.split(',');
    const py: string[] = [];
    for (const s of sur) for (const g of given) for (const g2 of ['', ...given.slice(0, 6)]) py.push(namePinyin(s + g + g2).join(' '));
    const extra = ['', 'a', 'ab', 'ba', 'abc', 'x'.repeat(31), 'x'.repeat(32), `y${'x'.repeat(30)}`, 'martha', 'marhta', 'dixon', 'dicksonx'];
    const all = [...py, ...extra];
    let checked = 0;
    let passed = 0;
    const wrong: string[] = [];
    for (let i = 0; i < all.length; i += 3) {
      for (let j = 0; j < all.length; j += 5) {
        const a = all[i];
        const b = all[j];
        const s = jaroWinkler(a, b);
        for (const min of [0.88, 0.7, 0.95, s, s + 1e-12, s - 1e-12]) {
          if (jaroWinklerAtLeast(a, b, min) !== s >= min) wrong.push(`${a} | ${b} | ${min}`);
          checked++;
        }
        if (s >= 0.88) passed++;
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(100_000);
    expect(passed).toBeGreaterThan(100); // both outcomes are exercised
  });
});
