import { describe, expect, it } from 'vitest';
import { buildSnapshot, parseDisabilityNote, type LipFamilyRecord, type PrmHouseholdRecord } from './snapshot.ts';
import type { SignalEvent } from '../rules/snapshot.ts';

const params = { basicPensionMonthly: 143, conflictShare: 0.2 };
const A = '621202196001011234';
const B = '621202198505052345';
const C = '621202201001013456';

const prm = (o: Partial<PrmHouseholdRecord> = {}): PrmHouseholdRecord => ({
  fileId: 'prm-f',
  householdNo: 'P1',
  regionCode: '621202100201',
  township: '城关镇',
  village: '一村',
  householdType: '脱贫户',
  monitoringCategory: null,
  incomeYear: 2024,
  attrs: { incomeWage: 12000, incomeBusinessGross: 0, costBusiness: 0, incomeProperty: 0, incomeTransfer: 0, housingSecure: true, waterSecure: null, educationSecure: true, medicalSecure: null },
  members: [
    { fileId: 'prm-f', rowNo: 2, name: '王建国', idNumber: A, sex: 'M', birthDate: '1960-01-01', relation: '户主', attrs: { health: '患有大病', disabilityGrade: null, labourSkill: '弱劳动力或半劳动力', medicalInsured: true } },
    { fileId: 'prm-f', rowNo: 3, name: '王小军', idNumber: B, sex: 'M', birthDate: '1985-05-05', relation: '之子', attrs: { health: '健康', labourSkill: '普通劳动力', medicalInsured: true } },
    { fileId: 'prm-f', rowNo: 4, name: '王小花', idNumber: C, sex: 'F', birthDate: '2010-01-01', relation: '之孙女', attrs: { health: '健康', labourSkill: '无劳动力', schooling: '初中', medicalInsured: true } },
  ],
  ...o,
});

const lip = (o: Partial<LipFamilyRecord> = {}): LipFamilyRecord => ({
  fileId: 'lip-f',
  familyNo: 'L1',
  regionCode: '621202100201',
  township: '城关镇',
  village: '一村',
  personCategory: '低保对象',
  assistanceStatus: '在保',
  incomeYear: 2024,
  attrs: { incomeWage: 6000, incomeBusinessNet: 0, incomePropertyNet: 0, incomeTransferNet: 0, deposits: 5000, vehicles: null, houses: 1, medicalOutOfPocket: 3000, educationSpending: 800, benefitMonthly: 400 },
  members: [
    { fileId: 'lip-f', rowNo: 2, name: '王建国', idNumber: A, sex: 'M', birthDate: '1960-01-01', relation: '本人', attrs: { health: '慢性病', labourCapacity: '部分丧失劳动能力', personCategory: '低保对象' } },
    { fileId: 'lip-f', rowNo: 3, name: '王小花', idNumber: C, sex: 'F', birthDate: '2010-01-01', relation: '孙子女', attrs: { health: '健康', labourCapacity: '无劳动能力(未成年或老年)', employment: '在校学生' } },
  ],
  ...o,
});

const ev = (o: Partial<SignalEvent>): SignalEvent => ({ source: '', eventType: '', date: '2024-05-01', amount: null, note: null, idNumber: A, file: 'feed-f', ...o });

describe('buildSnapshot', () => {
  const s = buildSnapshot(
    {
      householdId: 'H1',
      countyCode: '621202',
      asOf: '2024-09-30',
      prm: [prm()],
      lip: [lip()],
      signals: [
        ev({ source: '残联', eventType: '新办残疾证', note: '肢体二级', date: '2024-03-01' }),
        ev({ source: '住建', eventType: '危房鉴定', note: 'C级', idNumber: B, date: '2024-06-01' }),
        ev({ source: '医保', eventType: '住院自付费用', amount: 5200, date: '2024-04-01' }),
        ev({ source: '公安', eventType: '机动车登记', idNumber: B, date: '2023-01-01' }),
      ],
    },
    params,
  );

  it('merges members of both systems by ID number and keeps who is where', () => {
    expect(s.members.map((m) => [m.name, m.inPrm, m.inLip, m.age])).toEqual([
      ['王建国', true, true, 64],
      ['王小军', true, false, 39],
      ['王小花', true, true, 14],
    ]);
  });

  it('fills member indicators by the documented order, with provenance and conflicts', () => {
    const wang = s.members[0];
    // health: LIP (慢性病) first, PRM (患有大病) disagrees → conflict kept
    expect(wang.health.value).toBe('chronic');
    expect(wang.health.provenance).toEqual({ system: 'lip', file: 'lip-f', field: '健康状况' });
    expect(wang.health.conflicts?.[0]).toEqual({ value: 'serious', provenance: { system: 'prm', file: 'prm-f', field: '健康状况' } });
    // disability: only the 残联 feed knows it, with its type
    expect(wang.disabilityGrade).toMatchObject({ value: 2, provenance: { system: 'feed', file: 'feed-f' } });
    expect(wang.disabilityType.value).toBe('physical');
    expect(wang.labourCapacity).toMatchObject({ value: 'partial', provenance: { system: 'lip', field: '劳动能力' } });
    // LIP-only fields missing on a PRM-only member come from PRM
    expect(s.members[1].labourCapacity).toMatchObject({ value: 'full', provenance: { system: 'prm', field: '劳动技能' } });
    expect(s.members[2].schooling).toMatchObject({ value: '初中', provenance: { system: 'prm' } });
  });

  it('fills household indicators LIP lacks from PRM and department feeds', () => {
    // 住建 C级 overrides PRM's 住房安全有保障 = 是
    expect(s.indicators.housing.value).toBe(false);
    expect(s.indicators.housing.provenance).toEqual({ system: 'feed', file: 'feed-f', field: '住建 危房鉴定' });
    expect(s.indicators.housing.conflicts?.[0].provenance.system).toBe('prm');
    expect(s.indicators.education).toMatchObject({ value: true, provenance: { system: 'prm', field: '义务教育有保障' } });
    // PRM left 饮水 empty and no feed says anything: unknown
    expect(s.indicators.water.value).toBeNull();
    // 基本医疗: PRM empty, derived from every member insured
    expect(s.indicators.medical).toMatchObject({ value: true, provenance: { system: 'derived' } });
  });

  it('assets and rigid spending from LIP, feeds filling the gaps', () => {
    expect(s.assets.deposits).toMatchObject({ value: 5000, provenance: { system: 'lip' } });
    // LIP left vehicles empty; a 公安 registration proves at least one
    expect(s.assets.vehicles).toMatchObject({ value: 1, provenance: { system: 'feed', field: '公安 机动车登记' } });
    // 医保 5200 in the last 12 months > LIP 3000
    expect(s.rigidSpending.medical).toMatchObject({ value: 5200, provenance: { system: 'feed' } });
    expect(s.rigidSpending.education.value).toBe(800);
  });

  it('income on both bases with both originals', () => {
    expect(s.income.prmBasis).toMatchObject({ total: 12000, perCapita: 4000, source: 'prm' });
    expect(s.income.lipBasis).toMatchObject({ total: 6000, perCapita: 3000, source: 'lip' });
    expect(s.income.prmOriginal?.fileId).toBe('prm-f');
    expect(s.income.lipOriginal?.fileId).toBe('lip-f');
    expect(s.lip).toMatchObject({ familyNo: 'L1', personCategory: '低保对象', benefitMonthly: 400 });
    expect(s.prm).toMatchObject({ householdNo: 'P1', householdType: '脱贫户' });
  });

  it('superseded PRM years become income history', () => {
    const old = prm({ fileId: 'old', incomeYear: 2023, current: false, attrs: { incomeWage: 9000 } });
    const t = buildSnapshot({ householdId: 'H1', countyCode: '621202', asOf: '2024-09-30', prm: [prm(), old], lip: [], signals: [] }, params);
    expect(t.incomeHistory).toEqual([{ date: '2023-09-30', perCapita: 3000 }]);
    expect(t.income.prmBasis?.year).toBe(2024);
    expect(t.members).toHaveLength(3);
  });

  it('health missing in both systems comes from a 医保 chronic-illness recognition', () => {
    const noHealth = prm({ members: [{ ...prm().members[1], attrs: { labourSkill: '普通劳动力' } }] });
    const t = buildSnapshot(
      { householdId: 'H2', countyCode: '621202', asOf: '2024-09-30', prm: [noHealth], lip: [], signals: [ev({ source: '医保', eventType: '门诊慢特病认定', idNumber: B })] },
      params,
    );
    expect(t.members[0].health).toMatchObject({ value: 'chronic', provenance: { system: 'feed', field: '医保 门诊慢特病认定' } });
  });

  it('parses 残联 notes', () => {
    expect(parseDisabilityNote('智力残疾三级')).toEqual({ grade: 3, type: 'intellectual' });
    expect(parseDisabilityNote('等级: 1级')).toEqual({ grade: 1, type: null });
    expect(parseDisabilityNote(null)).toEqual({ grade: null, type: null });
  });
});
