import { describe, expect, it } from 'vitest';
import { HouseholdAggregator, HouseholdOutOfOrder, type HouseholdField } from './households.ts';

const fields: HouseholdField[] = [{ key: 'householdType', slot: 0, column: '户类型' }];

describe('HouseholdAggregator grouped mode', () => {
  it('hands a household over as soon as a row of another household follows, and drops it', () => {
    const agg = new HouseholdAggregator(fields, '户主', 'f.csv', 'grouped');
    agg.add('H1', 2, ['监测户'], true);
    agg.add('H1', 3, ['脱贫户'], false);
    expect([...agg.takeReady()]).toEqual([]);
    agg.add('H2', 4, ['脱贫户'], true);
    const ready = [...agg.takeReady()];
    expect(ready.map((h) => [h.no, h.members, h.values.householdType, h.conflicts.length])).toEqual([['H1', 2, '监测户', 1]]);
    expect(agg.size).toBe(1);
    expect([...agg.resolve()].map((h) => [h.no, h.members])).toEqual([['H2', 1]]);
  });

  it('throws HouseholdOutOfOrder when an ended household reappears; map mode accepts it', () => {
    const grouped = new HouseholdAggregator(fields, '户主', 'f.csv', 'grouped');
    const map = new HouseholdAggregator(fields, '户主', 'f.csv', 'map');
    const rows: [string, number][] = [['H1', 2], ['H2', 3], ['H1', 4]];
    expect(() => {
      for (const [no, r] of rows) grouped.add(no, r, ['监测户'], false);
    }).toThrow(HouseholdOutOfOrder);
    for (const [no, r] of rows) map.add(no, r, ['监测户'], false);
    expect([...map.takeReady()]).toEqual([]);
    expect([...map.resolve()].map((h) => [h.no, h.members])).toEqual([['H1', 2], ['H2', 1]]);
  });
});
