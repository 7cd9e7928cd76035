import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_CONFIG } from './config.ts';
import { addMonths, runRules, type Decision, type RuleId } from './rules.ts';
import { DEFAULT_STANDARDS, standardsInForce } from './standards.ts';
import { member, snap, type SnapOpts } from './testing.ts';

// 陇南 621200, 2024: 低保 7920, 监测线 6900, 边缘 ×1.5 = 11880, 刚性参考 13131, 存款 24 个月.
const STD = standardsInForce(DEFAULT_STANDARDS, '621200001001', '2024-06-30');
const DEPOSIT_LIMIT_3 = 24 * (7920 / 12) * 3; // 47520

const elderly = (): ReturnType<typeof member>[] => [member({ age: 70, labourCapacity: 'none' }), member({ age: 66 })];

interface Case {
  name: string;
  rule: RuleId;
  snap: SnapOpts;
  expect: Decision;
  code?: string;
}

const cases: Case[] = [
  // ---- 低保
  { name: 'income one yuan below the standard', rule: 'dibao', snap: { lipIncome: 7919 }, expect: 'eligible', code: 'INCOME_BELOW' },
  { name: 'income exactly at the standard', rule: 'dibao', snap: { lipIncome: 7920 }, expect: 'not_eligible', code: 'INCOME_NOT_BELOW' },
  { name: 'income one yuan above', rule: 'dibao', snap: { lipIncome: 7921 }, expect: 'not_eligible', code: 'INCOME_NOT_BELOW' },
  { name: 'income unknown', rule: 'dibao', snap: { lipIncome: null }, expect: 'unknown', code: 'INCOME_UNKNOWN' },
  { name: 'deposits exactly at the limit', rule: 'dibao', snap: { lipIncome: 5000, deposits: DEPOSIT_LIMIT_3 }, expect: 'eligible', code: 'DEPOSITS_WITHIN' },
  { name: 'deposits one yuan over the limit', rule: 'dibao', snap: { lipIncome: 5000, deposits: DEPOSIT_LIMIT_3 + 1 }, expect: 'not_eligible', code: 'DEPOSITS_OVER' },
  { name: 'deposits unknown', rule: 'dibao', snap: { lipIncome: 5000, deposits: null }, expect: 'unknown', code: 'DEPOSITS_UNKNOWN' },
  { name: 'a car', rule: 'dibao', snap: { lipIncome: 5000, vehicles: 1 }, expect: 'not_eligible', code: 'VEHICLES_OVER' },
  { name: 'vehicles unknown', rule: 'dibao', snap: { lipIncome: 5000, vehicles: null }, expect: 'unknown', code: 'VEHICLES_UNKNOWN' },
  { name: 'a second house', rule: 'dibao', snap: { lipIncome: 5000, houses: 2 }, expect: 'not_eligible', code: 'HOUSES_OVER' },
  { name: 'income over but assets unknown stays not eligible', rule: 'dibao', snap: { lipIncome: 9000, deposits: null }, expect: 'not_eligible' },

  // ---- 低保边缘 (7920 ≤ income < 11880)
  { name: 'edge: income at the 低保 standard', rule: 'dibao_edge', snap: { lipIncome: 7920 }, expect: 'eligible', code: 'INCOME_BELOW' },
  { name: 'edge: one yuan below 1.5×', rule: 'dibao_edge', snap: { lipIncome: 11879 }, expect: 'eligible' },
  { name: 'edge: exactly 1.5×', rule: 'dibao_edge', snap: { lipIncome: 11880 }, expect: 'not_eligible', code: 'INCOME_NOT_BELOW' },
  { name: 'edge: one yuan above 1.5×', rule: 'dibao_edge', snap: { lipIncome: 11881 }, expect: 'not_eligible' },
  { name: 'edge: a 低保 household is not edge', rule: 'dibao_edge', snap: { lipIncome: 7919 }, expect: 'not_eligible', code: 'IS_DIBAO' },
  { name: 'edge: income unknown', rule: 'dibao_edge', snap: { lipIncome: null }, expect: 'unknown' },
  { name: 'edge: over deposits', rule: 'dibao_edge', snap: { lipIncome: 9000, deposits: DEPOSIT_LIMIT_3 + 1 }, expect: 'not_eligible', code: 'DEPOSITS_OVER' },

  // ---- 单人保
  { name: 'single: seriously ill member of an edge family', rule: 'dibao_single', snap: { lipIncome: 9000, members: [member(), member({ health: 'serious' })] }, expect: 'eligible', code: 'SEVERE_MEMBER' },
  { name: 'single: grade 2 disability of unknown type', rule: 'dibao_single', snap: { lipIncome: 9000, members: [member(), member({ health: 'disabled', disabilityGrade: 2 })] }, expect: 'eligible' },
  { name: 'single: grade 3 intellectual disability', rule: 'dibao_single', snap: { lipIncome: 9000, members: [member(), member({ health: 'disabled', disabilityGrade: 3, disabilityType: 'intellectual' })] }, expect: 'eligible' },
  { name: 'single: grade 3 physical disability does not count', rule: 'dibao_single', snap: { lipIncome: 9000, members: [member(), member({ health: 'disabled', disabilityGrade: 3, disabilityType: 'physical' })] }, expect: 'not_eligible', code: 'NO_SEVERE_MEMBER' },
  { name: 'single: grade 3 of unknown type is unknown', rule: 'dibao_single', snap: { lipIncome: 9000, members: [member(), member({ health: 'disabled', disabilityGrade: 3 })] }, expect: 'unknown' },
  { name: 'single: not an edge family (income at 1.5×)', rule: 'dibao_single', snap: { lipIncome: 11880, members: [member({ health: 'serious' })] }, expect: 'not_eligible', code: 'NOT_EDGE_FAMILY' },
  { name: 'single: health unknown', rule: 'dibao_single', snap: { lipIncome: 9000, members: [member({ health: null })] }, expect: 'unknown' },

  // ---- 特困
  { name: 'tekun: elderly, income one yuan below, no supporter', rule: 'tekun', snap: { members: elderly(), lipIncome: 7919, externalSupporter: false }, expect: 'eligible', code: 'NO_LABOUR_CAPACITY' },
  { name: 'tekun: income exactly at the standard', rule: 'tekun', snap: { members: elderly(), lipIncome: 7920, externalSupporter: false }, expect: 'not_eligible', code: 'INCOME_NOT_BELOW' },
  { name: 'tekun: income one yuan above', rule: 'tekun', snap: { members: elderly(), lipIncome: 7921, externalSupporter: false }, expect: 'not_eligible' },
  { name: 'tekun: aged exactly 60 counts', rule: 'tekun', snap: { members: [member({ age: 60 })], lipIncome: 5000, externalSupporter: false }, expect: 'eligible' },
  { name: 'tekun: aged 59 and able', rule: 'tekun', snap: { members: [member({ age: 59 })], lipIncome: 5000, externalSupporter: false }, expect: 'not_eligible', code: 'HAS_CAPABLE_MEMBER' },
  { name: 'tekun: grade 2 physical disability', rule: 'tekun', snap: { members: [member({ age: 40, disabilityGrade: 2, disabilityType: 'physical', health: 'disabled' })], lipIncome: 5000, externalSupporter: false }, expect: 'eligible' },
  { name: 'tekun: grade 3 physical disability is not enough', rule: 'tekun', snap: { members: [member({ age: 40, disabilityGrade: 3, disabilityType: 'physical', health: 'disabled' })], lipIncome: 5000, externalSupporter: false }, expect: 'not_eligible' },
  { name: 'tekun: student aged 17 in 高中', rule: 'tekun', snap: { members: [member({ age: 17, schooling: '高中', labourCapacity: null })], lipIncome: 5000, externalSupporter: false }, expect: 'eligible' },
  { name: 'tekun: supporter not verified', rule: 'tekun', snap: { members: elderly(), lipIncome: 5000, externalSupporter: null }, expect: 'unknown', code: 'SUPPORTER_UNKNOWN' },
  { name: 'tekun: able supporter', rule: 'tekun', snap: { members: elderly(), lipIncome: 5000, externalSupporter: true }, expect: 'not_eligible', code: 'HAS_ABLE_SUPPORTER' },
  { name: 'tekun: age unknown', rule: 'tekun', snap: { members: [member({ age: null, labourCapacity: null })], lipIncome: 5000, externalSupporter: false }, expect: 'unknown', code: 'LABOUR_UNKNOWN' },
  { name: 'tekun: income unknown', rule: 'tekun', snap: { members: elderly(), lipIncome: null, externalSupporter: false }, expect: 'unknown' },

  // ---- 刚性支出困难 (income < 13131, not 低保/边缘, rigid / income > 0.5); 3 persons at 12000 = 36000 total
  { name: 'rigid: spending one yuan above half of income', rule: 'rigid', snap: { lipIncome: 12000, medical: 18001, education: 0 }, expect: 'eligible', code: 'RIGID_HEAVY' },
  { name: 'rigid: spending exactly half', rule: 'rigid', snap: { lipIncome: 12000, medical: 10000, education: 8000 }, expect: 'not_eligible', code: 'RIGID_NOT_HEAVY' },
  { name: 'rigid: income exactly at the reference', rule: 'rigid', snap: { lipIncome: 13131, medical: 30000, education: 0 }, expect: 'not_eligible', code: 'INCOME_NOT_BELOW' },
  { name: 'rigid: income one yuan below the reference', rule: 'rigid', snap: { lipIncome: 13130, medical: 30000, education: 0 }, expect: 'eligible' },
  { name: 'rigid: an edge family is not rigid', rule: 'rigid', snap: { lipIncome: 9000, medical: 30000, education: 0 }, expect: 'not_eligible', code: 'IN_OTHER_CATEGORY' },
  { name: 'rigid: spending unknown', rule: 'rigid', snap: { lipIncome: 12000, medical: null }, expect: 'unknown', code: 'RIGID_UNKNOWN' },

  // ---- 防返贫 收入
  { name: 'prm income one yuan below the line', rule: 'prm_income', snap: { prmIncome: 6899 }, expect: 'eligible' },
  { name: 'prm income exactly at the line', rule: 'prm_income', snap: { prmIncome: 6900 }, expect: 'not_eligible' },
  { name: 'prm income one yuan above', rule: 'prm_income', snap: { prmIncome: 6901 }, expect: 'not_eligible' },
  { name: 'prm income unknown', rule: 'prm_income', snap: { prmIncome: null }, expect: 'unknown' },

  // ---- 防返贫 风险
  { name: 'risk: all secured, no events', rule: 'prm_risk', snap: {}, expect: 'not_eligible', code: 'NO_RISK' },
  { name: 'risk: housing not secured', rule: 'prm_risk', snap: { indicators: { housing: false } }, expect: 'eligible', code: 'HOUSING_NOT_SECURED' },
  { name: 'risk: water unknown', rule: 'prm_risk', snap: { indicators: { water: null } }, expect: 'unknown', code: 'RISK_UNKNOWN' },
  {
    name: 'risk: disaster inside the 12-month window',
    rule: 'prm_risk',
    snap: { signals: [{ source: '应急', eventType: '自然灾害受灾', date: '2023-07-01', amount: 20000, note: null, idNumber: null, file: 'f' }] },
    expect: 'eligible',
    code: 'SUDDEN_EVENT',
  },
  {
    name: 'risk: disaster exactly 12 months before is outside',
    rule: 'prm_risk',
    snap: { signals: [{ source: '应急', eventType: '自然灾害受灾', date: '2023-06-30', amount: 20000, note: null, idNumber: null, file: 'f' }] },
    expect: 'not_eligible',
  },
  {
    // income 3 × 5000 = 15000; heavy when out-of-pocket > 0.5 × 15000 = 7500
    name: 'risk: hospital costs one yuan above half of income',
    rule: 'prm_risk',
    snap: { prmIncome: 5000, signals: [{ source: '医保', eventType: '住院自付费用', date: '2024-03-01', amount: 7501, note: null, idNumber: null, file: 'f' }] },
    expect: 'eligible',
  },
  {
    name: 'risk: hospital costs exactly half of income',
    rule: 'prm_risk',
    snap: { prmIncome: 5000, signals: [{ source: '医保', eventType: '住院自付费用', date: '2024-03-01', amount: 7500, note: null, idNumber: null, file: 'f' }] },
    expect: 'not_eligible',
  },
  {
    name: 'risk: hospital costs with income unknown',
    rule: 'prm_risk',
    snap: { prmIncome: null, lipIncome: null, signals: [{ source: '医保', eventType: '住院自付费用', date: '2024-03-01', amount: 7500, note: null, idNumber: null, file: 'f' }] },
    expect: 'unknown',
  },

  // ---- 监测对象类别
  { name: 'type: not a monitoring object', rule: 'prm_type', snap: {}, expect: 'not_eligible' },
  { name: 'type: unknown income', rule: 'prm_type', snap: { prmIncome: null }, expect: 'unknown' },

  // ---- 风险消除 (asOf 2024-06-30, cutoff 2023-12-30)
  { name: 'cleared: not monitored', rule: 'risk_cleared', snap: {}, expect: 'not_eligible', code: 'NOT_MONITORED' },
  {
    name: 'cleared: stable for exactly 6 months',
    rule: 'risk_cleared',
    snap: { prm: { householdType: '监测户' }, prmIncome: 6900, history: [{ date: '2023-12-30', perCapita: 7000 }] },
    expect: 'eligible',
    code: 'INCOME_STABLE',
  },
  {
    name: 'cleared: last assessment one day short of 6 months',
    rule: 'risk_cleared',
    snap: { prm: { householdType: '监测户' }, prmIncome: 8000, history: [{ date: '2023-12-31', perCapita: 7000 }] },
    expect: 'unknown',
    code: 'STABILITY_UNKNOWN',
  },
  {
    name: 'cleared: current income one yuan below the line',
    rule: 'risk_cleared',
    snap: { prm: { householdType: '监测户' }, prmIncome: 6899, history: [{ date: '2023-09-30', perCapita: 7000 }] },
    expect: 'not_eligible',
    code: 'INCOME_BELOW_LINE',
  },
  {
    name: 'cleared: an assessment below the line in between',
    rule: 'risk_cleared',
    snap: { prm: { householdType: '监测户' }, prmIncome: 8000, history: [{ date: '2023-09-30', perCapita: 7000 }, { date: '2024-03-31', perCapita: 6000 }] },
    expect: 'not_eligible',
    code: 'INCOME_UNSTABLE',
  },
  {
    name: 'cleared: never for a household without labour capacity',
    rule: 'risk_cleared',
    snap: { prm: { householdType: '监测户' }, members: elderly(), prmIncome: 9000, history: [{ date: '2023-09-30', perCapita: 9000 }] },
    expect: 'not_eligible',
    code: 'NO_LABOUR_HOUSEHOLD',
  },
  {
    name: 'cleared: water unknown',
    rule: 'risk_cleared',
    snap: { prm: { householdType: '监测户' }, prmIncome: 9000, history: [{ date: '2023-09-30', perCapita: 9000 }], indicators: { water: null } },
    expect: 'unknown',
    code: 'WATER_UNKNOWN',
  },
  {
    name: 'cleared: recent disaster',
    rule: 'risk_cleared',
    snap: {
      prm: { householdType: '监测户' },
      prmIncome: 9000,
      history: [{ date: '2023-09-30', perCapita: 9000 }],
      signals: [{ source: '应急', eventType: '意外事故', date: '2024-05-01', amount: null, note: null, idNumber: null, file: 'f' }],
    },
    expect: 'not_eligible',
    code: 'RECENT_RISK',
  },
];

describe('identification rules (table)', () => {
  for (const c of cases) {
    it(`${c.rule}: ${c.name} → ${c.expect}`, () => {
      const r = runRules(snap(c.snap), STD)[c.rule];
      expect(r.decision).toBe(c.expect);
      if (c.code) expect(r.reasons.map((x) => x.code)).toContain(c.code);
      for (const x of r.reasons) {
        expect(x.ruleId).toBe(c.rule);
        expect(x.message).toMatch(/[\u4e00-\u9fa5]/);
      }
    });
  }

  it('covers every rule', () => {
    const covered = new Set(cases.map((c) => c.rule));
    for (const r of ['dibao', 'dibao_single', 'tekun', 'dibao_edge', 'rigid', 'prm_income', 'prm_risk', 'prm_type', 'risk_cleared']) expect(covered.has(r as RuleId), r).toBe(true);
  });

  it('never says eligible when data are missing', () => {
    const empty = snap({ lipIncome: null, prmIncome: null, deposits: null, vehicles: null, houses: null, medical: null, education: null, indicators: { housing: null, water: null, education: null, medical: null }, members: [member({ age: null, health: null, labourCapacity: null })] });
    const all = runRules(empty, STD);
    for (const r of Object.values(all)) expect(r.decision, r.ruleId).not.toBe('eligible');
  });

  it('cites the standard value and its source', () => {
    const r = runRules(snap({ lipIncome: 7919 }), STD).dibao;
    const inc = r.reasons.find((x) => x.code === 'INCOME_BELOW')!;
    expect(inc.standard).toMatchObject({ kind: 'dibao_annual', amount: 7920, regionPrefix: '621200', validFrom: '2024-01-01' });
    expect(inc.standard!.source).toContain('陇南');
    expect(inc.inputs).toMatchObject({ perCapita: 7919, limit: 7920, basis: 'lip' });
  });

  it('assigns 监测对象类别 by history and cause', () => {
    const types = (o: SnapOpts) => runRules(snap(o), STD).prm_type.type;
    expect(types({ prmIncome: 6000, prm: { householdType: '脱贫户' } })).toBe('脱贫不稳定户');
    expect(types({ prmIncome: 6000 })).toBe('边缘易致贫户');
    expect(types({ prmIncome: 9000, indicators: { housing: false } })).toBe('突发严重困难户');
  });

  it('missing assets can be configured as within limits (documented assumption)', () => {
    const s = snap({ lipIncome: 5000, deposits: null, vehicles: null, houses: null });
    expect(runRules(s, STD).dibao.decision).toBe('unknown');
    const r = runRules(s, STD, { ...DEFAULT_RULES_CONFIG, missingAssets: 'within_limits' }).dibao;
    expect(r.decision).toBe('eligible');
    expect(r.reasons.map((x) => x.code)).toContain('DEPOSITS_ASSUMED');
  });

  it('no-labour disabilities are configuration, not code', () => {
    const s = snap({ members: [member({ age: 40, disabilityGrade: 3, disabilityType: 'physical', health: 'disabled' })], lipIncome: 5000, externalSupporter: false });
    expect(runRules(s, STD).tekun.decision).toBe('not_eligible');
    const cfg = { ...DEFAULT_RULES_CONFIG, noLabourDisabilities: [...DEFAULT_RULES_CONFIG.noLabourDisabilities, { type: 'physical' as const, maxGrade: 3 }] };
    expect(runRules(s, STD, cfg).tekun.decision).toBe('eligible');
  });

  it('addMonths clamps to the month end', () => {
    expect(addMonths('2024-03-31', -1)).toBe('2024-02-29');
    expect(addMonths('2024-06-30', -12)).toBe('2023-06-30');
    expect(addMonths('2024-01-15', -1)).toBe('2023-12-15');
  });
});
