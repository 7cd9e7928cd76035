import { describe, expect, it } from 'vitest';
import { member, snap } from '../rules/testing.ts';
import { DEFAULT_STANDARDS, standardsInForce, type Standard } from '../rules/standards.ts';
import { identify } from '../rules/identify.ts';
import { annualPayment, overlayStandards, whatIf } from './whatif.ts';

const row = (kind: Standard['kind'], amount: number): Standard => ({ kind, regionPrefix: '', amount, validFrom: '0001-01-01', validTo: null, source: '测算', version: 1 });

// 陇南 2024: 低保 7920, 监测线 6900, 低边 < 11880. Each household has 2 able adults (persons = 2).
const two = () => [member(), member()];
const population = [
  // A: 低保 today (income 5920 → gap 2000 × 2 persons = 4000 a year)
  snap({ id: 'A', township: '甲镇', members: two(), lipIncome: 5920, prmIncome: 8000 }),
  // B: 低边 today (8500), becomes 低保 when the standard rises to 9000 (gap 500 × 2 = 1000)
  snap({ id: 'B', township: '甲镇', members: two(), lipIncome: 8500, prmIncome: 9500 }),
  // C: not low-income (12000) — becomes 低边 at 9000 × 1.5 = 13500
  snap({ id: 'C', township: '乙镇', members: two(), lipIncome: 12000, prmIncome: 12500 }),
  // D: PRM-only monitoring object under a raised line (prm 10000), LIP income 11000 → 低边 today
  snap({ id: 'D', township: '乙镇', members: two(), lipIncome: 11000, prmIncome: 10000, lip: null }),
  // E: 特困: two elderly, income 3000, no supporter: 1.3 × 7920 × 2 = 20592 a year
  snap({ id: 'E', township: '乙镇', members: [member({ age: 70 }), member({ age: 65 })], lipIncome: 3000, prmIncome: 6000, externalSupporter: false }),
];

describe('what-if', () => {
  it('base categories and payments on the hand-built population', () => {
    const std = standardsInForce(DEFAULT_STANDARDS, '621200001001', '2024-06-30');
    const cats = population.map((s) => identify(s, std).unified.lipCategory);
    expect(cats).toEqual(['dibao', 'dibao_edge', 'none', 'dibao_edge', 'tekun']);
    expect(population.map((s) => annualPayment(identify(s, std)).total)).toEqual([4000, 0, 0, 0, 20592]);
  });

  it('raising 低保 to 9000: category matrix, persons, budget and townships', () => {
    const w = whatIf(population, DEFAULT_STANDARDS, [row('dibao_annual', 9000)]);
    expect(w.households).toBe(5);
    expect(w.persons).toBe(10);
    const cell = (from: string, to: string) => w.matrix.find((c) => c.from === from && c.to === to);
    expect(cell('dibao_edge', 'dibao')).toEqual({ from: 'dibao_edge', to: 'dibao', households: 1, persons: 2 });
    expect(cell('none', 'dibao_edge')).toEqual({ from: 'none', to: 'dibao_edge', households: 1, persons: 2 });
    expect(cell('dibao', 'dibao')?.households).toBe(1);
    expect(w.changedHouseholds).toBe(2);
    expect(w.changedPersons).toBe(4);
    // before: A 4000 + E 20592; after: A (9000−5920)×2 = 6160, B (9000−8500)×2 = 1000, E 1.3×9000×2 = 23400
    expect(w.budget.before).toEqual({ dibao: 4000, dibao_single: 0, tekun: 20592, dibao_edge: 0, total: 24592 });
    expect(w.budget.after).toEqual({ dibao: 7160, dibao_single: 0, tekun: 23400, dibao_edge: 0, total: 30560 });
    expect(w.budget.delta).toBe(5968);
    expect(w.byTownship.map((t) => [t.township, t.households, t.changedHouseholds, t.changedPersons])).toEqual([
      ['甲镇', 2, 1, 2],
      ['乙镇', 3, 1, 2],
    ]);
    expect(w.changedStandards).toEqual([{ kind: 'dibao_annual', before: 7920, after: 9000, source: '测算' }]);
  });

  it('raising the monitoring line and adopting PRM indicators in LIP: coverage before/after', () => {
    const w = whatIf(population, DEFAULT_STANDARDS, [row('monitoring_line', 11880), row('lip_adopt_prm_indicators', 1)]);
    // monitoring objects: before only E (6000 < 6900); after A, B, D, E (prm < 11880)
    expect(w.prmMonitoring).toEqual({ before: 1, after: 4 });
    // before: E is 特困 → 1/1 covered; after: A 低保, B 低边, D 低边, E 特困 → 4/4
    expect(w.coverage.before).toEqual({ monitored: 1, covered: 1, share: 1 });
    expect(w.coverage.after).toEqual({ monitored: 4, covered: 4, share: 1 });
    // LIP status today: only households with an LIP record in a category count (none here)
    expect(w.coverage.current).toEqual({ monitored: 1, covered: 0, share: 0 });
  });

  it('the edge payment is a configurable amount', () => {
    const w = whatIf(population, DEFAULT_STANDARDS, [row('edge_payment_monthly', 50)]);
    // B and D are 低边 with 2 persons each: 50 × 12 × 4 = 2400
    expect(w.budget.after.dibao_edge).toBe(2400);
    expect(w.budget.delta).toBe(2400);
  });

  it('scenario rows overlay only the kinds they name; a county row in the scenario wins for that county', () => {
    const base = standardsInForce(DEFAULT_STANDARDS, '621200001001', '2024-06-30');
    const o = overlayStandards(base, [row('dibao_annual', 9000), { ...row('dibao_annual', 9500), regionPrefix: '621200' }], '621200001001', '2024-06-30');
    expect(o.dibao_annual.amount).toBe(9500);
    expect(o.monitoring_line).toEqual(base.monitoring_line);
    const other = overlayStandards(base, [{ ...row('dibao_annual', 9500), regionPrefix: '360727' }], '621200001001', '2024-06-30');
    expect(other.dibao_annual.amount).toBe(7920);
  });
});

describe('what-if: LIP adopts PRM indicators', () => {
  it('a household above every income line but with unsafe housing becomes 其他低收入人口', () => {
    const f = snap({ id: 'F', members: two(), lipIncome: 20000, prmIncome: 20000, indicators: { housing: false } });
    const g = snap({ id: 'G', members: two(), lipIncome: 20000, prmIncome: 20000 });
    const w = whatIf([f, g], DEFAULT_STANDARDS, [row('lip_adopt_prm_indicators', 1)]);
    expect(w.matrix).toEqual([
      { from: 'none', to: 'other', households: 1, persons: 2 },
      { from: 'none', to: 'none', households: 1, persons: 2 },
    ]);
    // F is a 防返贫 monitoring object (突发严重困难户) in both runs; covered only after adoption
    expect(w.coverage.before).toEqual({ monitored: 1, covered: 0, share: 0 });
    expect(w.coverage.after).toEqual({ monitored: 1, covered: 1, share: 1 });
    expect(w.budget.delta).toBe(0);
  });

  it('单人保 pays the full standard for each member covered alone', () => {
    const s = snap({ members: [member(), member({ health: 'serious' })], lipIncome: 9000 });
    const std = standardsInForce(DEFAULT_STANDARDS, '621200001001', '2024-06-30');
    const id = identify(s, std);
    expect(id.unified.lipCategory).toBe('dibao_single');
    expect(annualPayment(id)).toMatchObject({ dibao_single: 7920, total: 7920 });
  });
});
