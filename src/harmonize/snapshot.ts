/**
 * Builds the unified HouseholdSnapshot (统一家庭视图) from the PRM household(s),
 * LIP family(ies) and department signals grouped into one unified household.
 * Indicators one system lacks are filled from the other or from department
 * feeds, each with provenance (system, file, field); disagreements are kept
 * as `conflicts`. Pure: the caller (harmonize/store or rules/store) loads rows.
 *
 * Choice rules (documented so staff can trust them):
 * - 健康/劳动能力: LIP first (civil-affairs verification is household-visit
 *   based), then PRM; disagreements recorded. 健康 falls back to 医保 门诊慢特病认定
 *   (chronic) or a 残联 certificate (disabled) when neither system has it.
 * - 残疾等级/类别: 残联 feed (新办残疾证/残疾等级变更, latest) first, then LIP, then PRM.
 * - 住房/饮水/义务教育/基本医疗: a department event that says "not secured" (住建
 *   危房鉴定 C/D级, 水利 饮水安全问题, 教育 辍学) overrides; else PRM's field; 基本医疗
 *   falls back to every member insured (PRM 是否参加城乡居民基本医疗保险).
 * - 资产: LIP columns; when LIP has none, 公安 机动车登记 and 不动产 房产登记 events give a
 *   lower bound (a registration proves ownership; no event proves nothing).
 * - 刚性支出 医疗: the larger of LIP 医疗自付支出 and 医保 住院自付费用 in the past 12 months.
 */
import type { LipFamilyAttrs, LipMemberAttrs, PrmHouseholdAttrs, PrmMemberAttrs } from '../domain/records.ts';
import { DEFAULT_RULES_CONFIG, type RulesConfig } from '../rules/config.ts';
import { addMonths } from '../rules/rules.ts';
import type {
  DisabilityType,
  Filled,
  Health,
  HouseholdSnapshot,
  IncomeAssessment,
  LabourCapacity,
  LipIncomeInput,
  PrmIncomeInput,
  Provenance,
  SignalEvent,
  SnapshotMember,
} from '../rules/snapshot.ts';
import { harmonizeIncome, prmNetTotal, type IncomeParams } from './income.ts';

/** One member row of an import file; `A` is the system's extra attributes. */
export interface MemberRecord<A> {
  fileId: string;
  rowNo: number;
  name: string | null;
  idNumber: string | null;
  sex: 'M' | 'F' | null;
  birthDate: string | null;
  relation: string | null;
  attrs: A;
}

export type PrmMemberRecord = MemberRecord<PrmMemberAttrs>;
export type LipMemberRecord = MemberRecord<LipMemberAttrs>;

export interface PrmHouseholdRecord {
  fileId: string;
  householdNo: string;
  regionCode: string;
  township: string | null;
  village: string | null;
  householdType: string | null;
  monitoringCategory: string | null;
  incomeYear: number | null;
  attrs: PrmHouseholdAttrs;
  members: PrmMemberRecord[];
  /** false for records from superseded files (used only as income history). */
  current?: boolean;
}

export interface LipFamilyRecord {
  fileId: string;
  familyNo: string;
  regionCode: string;
  township: string | null;
  village: string | null;
  personCategory: string | null;
  assistanceStatus: string | null;
  incomeYear: number | null;
  attrs: LipFamilyAttrs;
  members: LipMemberRecord[];
}

export interface SnapshotInput {
  householdId: string;
  countyCode: string;
  asOf: string;
  prm: PrmHouseholdRecord[];
  lip: LipFamilyRecord[];
  signals: SignalEvent[];
}

const HEALTH: Record<string, Health> = { 健康: 'healthy', 长期慢性病: 'chronic', 慢性病: 'chronic', 患有大病: 'serious', 重病: 'serious', 大病: 'serious', 残疾: 'disabled' };
const GRADE: Record<string, 1 | 2 | 3 | 4> = { 一级: 1, 二级: 2, 三级: 3, 四级: 4, '1': 1, '2': 2, '3': 3, '4': 4, 一: 1, 二: 2, 三: 3, 四: 4 };
const LABOUR: Record<string, LabourCapacity> = {
  技能劳动力: 'full',
  普通劳动力: 'full',
  弱劳动力或半劳动力: 'partial',
  丧失劳动力: 'none',
  无劳动力: 'none',
  有劳动能力: 'full',
  部分丧失劳动能力: 'partial',
  完全丧失劳动能力: 'none',
  '无劳动能力(未成年或老年)': 'none',
  '无劳动能力（未成年或老年）': 'none',
};
const DIS_TYPE: Record<string, DisabilityType> = { 视力: 'visual', 听力: 'hearing', 言语: 'speech', 肢体: 'physical', 智力: 'intellectual', 精神: 'mental', 多重: 'multiple' };

export function parseDisabilityNote(note: string | null): { grade: 1 | 2 | 3 | 4 | null; type: DisabilityType | null } {
  const t = note ?? '';
  const g = /([一二三四1-4])\s*级/.exec(t);
  const ty = Object.keys(DIS_TYPE).find((k) => t.includes(k));
  return { grade: g ? GRADE[g[1]] : null, type: ty ? DIS_TYPE[ty] : null };
}

/** First known value in order; the others that disagree become conflicts. */
function pick<T>(cands: { value: T | null | undefined; provenance: Provenance }[]): Filled<T> {
  const known = cands.filter((c): c is { value: T; provenance: Provenance } => c.value !== null && c.value !== undefined);
  if (known.length === 0) return { value: null, provenance: null };
  const [first, ...rest] = known;
  const conflicts = rest.filter((c) => c.value !== first.value);
  return conflicts.length ? { value: first.value, provenance: first.provenance, conflicts } : { value: first.value, provenance: first.provenance };
}

export function ageOn(birth: string | null, asOf: string): number | null {
  if (!birth) return null;
  const b = birth.slice(0, 10);
  let age = Number(asOf.slice(0, 4)) - Number(b.slice(0, 4));
  if (asOf.slice(5, 10) < b.slice(5, 10)) age -= 1;
  return age;
}

const p = (system: Provenance['system'], file: string, field: string): Provenance => ({ system, file, field });

function sumOrNull(vals: (number | null | undefined)[]): number | null {
  const k = vals.filter((v): v is number => v !== null && v !== undefined);
  return k.length === 0 ? null : k.reduce((a, b) => a + b, 0);
}

export function buildSnapshot(input: SnapshotInput, params: IncomeParams, cfg: RulesConfig = DEFAULT_RULES_CONFIG): HouseholdSnapshot {
  const { asOf } = input;
  const prmCur = input.prm.filter((h) => h.current !== false);
  const prmOld = input.prm.filter((h) => h.current === false);
  const lip = input.lip;

  // ---- members, merged by ID number
  interface Acc {
    key: string;
    name: string | null;
    idNumber: string | null;
    sex: 'M' | 'F' | null;
    birth: string | null;
    prm?: { r: PrmMemberRecord };
    lip?: { r: LipMemberRecord; fam: LipFamilyRecord };
  }
  const byKey = new Map<string, Acc>();
  for (const h of prmCur)
    for (const m of h.members) {
      const key = m.idNumber ?? `prm:${m.fileId}:${m.rowNo}`;
      const a = byKey.get(key) ?? { key, name: m.name, idNumber: m.idNumber, sex: m.sex, birth: m.birthDate };
      a.prm = { r: m };
      byKey.set(key, a);
    }
  for (const f of lip)
    for (const m of f.members) {
      const key = m.idNumber ?? `lip:${m.fileId}:${m.rowNo}`;
      const a = byKey.get(key) ?? { key, name: m.name, idNumber: m.idNumber, sex: m.sex, birth: m.birthDate };
      a.lip = { r: m, fam: f };
      a.name ??= m.name;
      a.sex ??= m.sex;
      a.birth ??= m.birthDate;
      byKey.set(key, a);
    }
  const sigsFor = (id: string | null): SignalEvent[] => (id ? input.signals.filter((e) => e.idNumber === id) : []);

  const members: SnapshotMember[] = [...byKey.values()].map((a) => {
    const pr = a.prm?.r;
    const lr = a.lip?.r;
    const disEvents = sigsFor(a.idNumber)
      .filter((e) => e.source === '残联')
      .sort((x, y) => (y.date ?? '').localeCompare(x.date ?? ''));
    const feedDis = disEvents.length ? { ...parseDisabilityNote(disEvents[0].note), file: disEvents[0].file } : null;
    const schoolingLip = lr?.attrs.employment === '在校学生' ? '在校' : null;
    const chronicEv = sigsFor(a.idNumber).find((e) => e.source === '医保' && e.eventType === '门诊慢特病认定');
    return {
      personKey: a.key,
      name: a.name,
      idNumber: a.idNumber,
      sex: a.sex,
      age: ageOn(a.birth, asOf),
      inPrm: !!pr,
      inLip: !!lr,
      health: pick<Health>([
        { value: lr ? HEALTH[lr.attrs.health ?? ''] : null, provenance: p('lip', lr?.fileId ?? '', '健康状况') },
        { value: pr ? HEALTH[pr.attrs.health ?? ''] : null, provenance: p('prm', pr?.fileId ?? '', '健康状况') },
        // neither system knows: a 医保 门诊慢特病认定 says chronic illness, a 残联 certificate disability
        { value: chronicEv ? 'chronic' : null, provenance: p('feed', chronicEv?.file ?? '', '医保 门诊慢特病认定') },
        { value: feedDis?.grade ? 'disabled' : null, provenance: p('feed', feedDis?.file ?? '', '残联 说明') },
      ]),
      disabilityGrade: pick<1 | 2 | 3 | 4>([
        { value: feedDis?.grade ?? null, provenance: p('feed', feedDis?.file ?? '', '残联 说明') },
        { value: lr ? GRADE[lr.attrs.disabilityGrade ?? ''] : null, provenance: p('lip', lr?.fileId ?? '', '残疾等级') },
        { value: pr ? GRADE[pr.attrs.disabilityGrade ?? ''] : null, provenance: p('prm', pr?.fileId ?? '', '残疾等级') },
      ]),
      disabilityType: pick<DisabilityType>([{ value: feedDis?.type ?? null, provenance: p('feed', feedDis?.file ?? '', '残联 说明') }]),
      labourCapacity: pick<LabourCapacity>([
        { value: lr ? LABOUR[lr.attrs.labourCapacity ?? ''] : null, provenance: p('lip', lr?.fileId ?? '', '劳动能力') },
        { value: pr ? LABOUR[pr.attrs.labourSkill ?? ''] : null, provenance: p('prm', pr?.fileId ?? '', '劳动技能') },
      ]),
      schooling: pick<string>([
        { value: pr?.attrs.schooling ?? null, provenance: p('prm', pr?.fileId ?? '', '在校生状况') },
        { value: schoolingLip, provenance: p('lip', lr?.fileId ?? '', '就业状况') },
      ]),
      medicalInsured: pick<boolean>([{ value: pr?.attrs.medicalInsured ?? null, provenance: p('prm', pr?.fileId ?? '', '是否参加城乡居民基本医疗保险') }]),
      lipCategory: lr?.attrs.personCategory ?? null,
    };
  });

  // ---- income
  const elderlyOf = (births: (string | null)[]): number => births.filter((b) => (ageOn(b, asOf) ?? 0) >= 60).length;
  const prmByYear = new Map<number | null, PrmHouseholdRecord[]>();
  for (const h of input.prm) prmByYear.set(h.incomeYear, [...(prmByYear.get(h.incomeYear) ?? []), h]);
  const prmYears: PrmIncomeInput[] = [];
  for (const [year, hs] of prmByYear) {
    const f = (k: keyof PrmHouseholdAttrs): number | null => sumOrNull(hs.map((h) => h.attrs[k] as number | null | undefined));
    const ms = hs.flatMap((h) => h.members);
    prmYears.push({
      fileId: hs[0].fileId,
      year,
      wage: f('incomeWage'),
      businessGross: f('incomeBusinessGross'),
      businessCost: f('costBusiness'),
      property: f('incomeProperty'),
      transfer: f('incomeTransfer'),
      transferDibao: f('transferDibao'),
      transferTekun: f('transferTekun'),
      transferPension: f('transferPension'),
      recordedTotal: f('netIncome'),
      recordedPerCapita: hs.length === 1 ? (hs[0].attrs.netIncomePc ?? null) : null,
      size: ms.length,
      elderly: elderlyOf(ms.map((m) => m.birthDate)),
    });
  }
  let lipIncome: LipIncomeInput | null = null;
  if (lip.length > 0) {
    const f = (k: keyof LipFamilyAttrs): number | null => sumOrNull(lip.map((x) => x.attrs[k] as number | null | undefined));
    const ms = lip.flatMap((x) => x.members);
    const active = lip.filter((x) => !/停保|退出/.test(x.assistanceStatus ?? ''));
    lipIncome = {
      fileId: lip[0].fileId,
      year: lip[0].incomeYear,
      wage: f('incomeWage'),
      businessNet: f('incomeBusinessNet'),
      propertyNet: f('incomePropertyNet'),
      transferNet: f('incomeTransferNet'),
      recordedTotal: f('disposableIncome'),
      recordedMonthlyPerCapita: lip.length === 1 ? (lip[0].attrs.incomeMonthlyPc ?? null) : null,
      benefitMonthly: sumOrNull(active.map((x) => x.attrs.benefitMonthly)),
      size: ms.length,
      elderly: elderlyOf(ms.map((m) => m.birthDate)),
    };
  }
  // All PRM years (superseded exports included) so the ¾/¼ calendar rule can use two years.
  const income = harmonizeIncome(prmYears, lipIncome, params);
  // Earlier PRM years are history (assessment at the end of the income year, 30 Sep).
  const latestYear = income.prmOriginal?.year ?? null;
  const incomeHistory: IncomeAssessment[] = prmYears
    .filter((y) => y.year !== null && y.year !== latestYear && y.size > 0 && prmNetTotal(y) !== null)
    .map((y) => ({ date: `${y.year}-09-30`, perCapita: Math.round(((prmNetTotal(y) ?? 0) / y.size) * 100) / 100 }))
    .sort((a, b) => a.date.localeCompare(b.date));

  // ---- indicators
  const hh = prmCur[0];
  const windowStart = addMonths(asOf, -12);
  const recent = input.signals.filter((e) => e.date !== null && e.date <= asOf && e.date > windowStart);
  const indicator = (k: 'housing' | 'water' | 'education' | 'medical', field: keyof PrmHouseholdAttrs, label: string): Filled<boolean> => {
    const ev = recent.find((e) => cfg.indicatorEvents.some((r) => r.indicator === k && r.rule.source === e.source && r.rule.eventType === e.eventType && (!r.rule.noteIncludes || r.rule.noteIncludes.some((n) => (e.note ?? '').includes(n)))));
    const prmVals = prmCur.map((h) => ({ value: h.attrs[field] as boolean | null | undefined, provenance: p('prm', h.fileId, label) }));
    const cands: { value: boolean | null | undefined; provenance: Provenance }[] = [];
    if (ev) cands.push({ value: false, provenance: p('feed', ev.file, `${ev.source} ${ev.eventType}`) });
    cands.push(...prmVals);
    if (k === 'medical') {
      const ins = members.filter((m) => m.inPrm || m.inLip).map((m) => m.medicalInsured.value);
      const v = ins.some((x) => x === false) ? false : ins.length > 0 && ins.every((x) => x === true) ? true : null;
      cands.push({ value: v, provenance: p('derived', hh?.fileId ?? '', '全部成员参加城乡居民基本医疗保险') });
    }
    return pick<boolean>(cands);
  };

  // ---- assets
  const lipF = (k: keyof LipFamilyAttrs): number | null => (lip.length ? sumOrNull(lip.map((x) => x.attrs[k] as number | null | undefined)) : null);
  const lipFile = lip[0]?.fileId ?? '';
  const evCount = (source: string, type: string): { n: number; file: string } | null => {
    const evs = input.signals.filter((e) => e.source === source && e.eventType === type);
    return evs.length ? { n: evs.length, file: evs[0].file } : null;
  };
  const vehEv = evCount('公安', '机动车登记');
  const houseEv = evCount('不动产', '房产登记');
  const vehicles = pick<number>([
    { value: lipF('vehicles'), provenance: p('lip', lipFile, '机动车辆(辆)') },
    { value: vehEv?.n ?? null, provenance: p('feed', vehEv?.file ?? '', '公安 机动车登记') },
  ]);
  const houses = pick<number>([
    { value: lipF('houses'), provenance: p('lip', lipFile, '房产(套)') },
    { value: houseEv?.n ?? null, provenance: p('feed', houseEv?.file ?? '', '不动产 房产登记') },
  ]);

  // ---- rigid spending
  const medEvents = recent.filter((e) => e.source === '医保' && e.eventType === '住院自付费用');
  const medFeed = medEvents.length ? medEvents.reduce((a, e) => a + (e.amount ?? 0), 0) : null;
  const medLip = lipF('medicalOutOfPocket');
  const medical: Filled<number> =
    medLip === null && medFeed === null
      ? { value: null, provenance: null }
      : (medFeed ?? -1) > (medLip ?? -1)
        ? { value: medFeed, provenance: p('feed', medEvents[0].file, '医保 住院自付费用(近12个月合计)') }
        : { value: medLip, provenance: p('lip', lipFile, '医疗自付支出(元/年)') };

  const first = prmCur[0] ?? null;
  const firstLip = lip[0] ?? null;
  const tekunVerified = lip.some((f) => f.personCategory === '特困人员' && !/停保|退出|暂停/.test(f.assistanceStatus ?? ''));
  return {
    householdId: input.householdId,
    countyCode: input.countyCode,
    regionCode: first?.regionCode ?? firstLip?.regionCode ?? input.countyCode,
    township: first?.township ?? firstLip?.township ?? null,
    village: first?.village ?? firstLip?.village ?? null,
    asOf,
    members,
    prm: first
      ? {
          householdNo: prmCur.map((h) => h.householdNo).join(','),
          fileId: first.fileId,
          householdType: first.householdType,
          monitoringCategory: first.monitoringCategory,
          riskType: first.attrs.riskType ?? null,
          riskCleared: first.attrs.riskCleared ?? null,
          riskClearedDate: first.attrs.riskClearedDate ?? null,
          monitoredSince: first.attrs.monitoredSince ?? null,
          measures: first.attrs.measures ?? [],
        }
      : null,
    lip: firstLip
      ? {
          familyNo: lip.map((f) => f.familyNo).join(','),
          fileId: firstLip.fileId,
          personCategory: firstLip.personCategory,
          assistanceStatus: firstLip.assistanceStatus,
          benefitMonthly: lipF('benefitMonthly'),
        }
      : null,
    income,
    assets: {
      deposits: pick<number>([{ value: lipF('deposits'), provenance: p('lip', lipFile, '存款及理财(元)') }]),
      vehicles,
      houses,
    },
    rigidSpending: {
      medical,
      education: pick<number>([{ value: lipF('educationSpending'), provenance: p('lip', lipFile, '教育支出(元/年)') }]),
      other: { value: null, provenance: null },
    },
    indicators: {
      housing: indicator('housing', 'housingSecure', '住房安全有保障'),
      water: indicator('water', 'waterSecure', '饮水安全有保障'),
      education: indicator('education', 'educationSecure', '义务教育有保障'),
      medical: indicator('medical', 'medicalSecure', '基本医疗有保障'),
    },
    signals: input.signals,
    incomeHistory,
    // 特困 in 在保 status: civil affairs verified that no supporter is able (特困办法 第八条).
    externalSupporter: tekunVerified ? false : null,
  };
}
