/**
 * Hand-built snapshots for tests (rules, what-if). Not used by production code.
 * Defaults describe a fully known, ordinary 3-person household well above every
 * line, so each test changes only what it is about.
 */
import type { HarmonizedIncome, HouseholdSnapshot, IncomeFigure, Provenance, SnapshotMember } from './snapshot.ts';

const T: Provenance = { system: 'derived', file: 'test', field: 'test' };
export const k = <V>(value: V | null) => (value === null ? { value: null, provenance: null } : { value, provenance: T });

let seq = 0;
export function member(o: Partial<Omit<SnapshotMember, 'health' | 'disabilityGrade' | 'disabilityType' | 'labourCapacity' | 'schooling' | 'medicalInsured'>> & {
  health?: SnapshotMember['health']['value'];
  disabilityGrade?: SnapshotMember['disabilityGrade']['value'];
  disabilityType?: SnapshotMember['disabilityType']['value'];
  labourCapacity?: SnapshotMember['labourCapacity']['value'];
  schooling?: string | null;
} = {}): SnapshotMember {
  seq += 1;
  return {
    personKey: o.personKey ?? `p${seq}`,
    name: o.name ?? `成员${seq}`,
    idNumber: o.idNumber ?? null,
    sex: o.sex ?? null,
    age: o.age === undefined ? 40 : o.age,
    inPrm: o.inPrm ?? true,
    inLip: o.inLip ?? true,
    health: k(o.health === undefined ? 'healthy' : o.health),
    disabilityGrade: k(o.disabilityGrade === undefined ? null : o.disabilityGrade),
    disabilityType: k(o.disabilityType === undefined ? null : o.disabilityType),
    labourCapacity: k(o.labourCapacity === undefined ? 'full' : o.labourCapacity),
    schooling: k(o.schooling === undefined ? '非在校生' : o.schooling),
    medicalInsured: k(true),
    lipCategory: o.lipCategory ?? null,
  };
}

export function fig(perCapita: number, size: number, source: IncomeFigure['source']): IncomeFigure {
  return { perCapita, total: perCapita * size, size, source, year: 2024, method: 'test' };
}

export interface SnapOpts {
  id?: string;
  township?: string;
  members?: SnapshotMember[];
  /** 民政口径 per-capita income; null = unknown. */
  lipIncome?: number | null;
  /** 防返贫口径 per-capita income; null = unknown. */
  prmIncome?: number | null;
  deposits?: number | null;
  vehicles?: number | null;
  houses?: number | null;
  medical?: number | null;
  education?: number | null;
  indicators?: Partial<Record<'housing' | 'water' | 'education' | 'medical', boolean | null>>;
  prm?: Partial<NonNullable<HouseholdSnapshot['prm']>> | null;
  lip?: Partial<NonNullable<HouseholdSnapshot['lip']>> | null;
  signals?: HouseholdSnapshot['signals'];
  history?: HouseholdSnapshot['incomeHistory'];
  externalSupporter?: boolean | null;
  asOf?: string;
}

export function snap(o: SnapOpts = {}): HouseholdSnapshot {
  const members = o.members ?? [member(), member(), member({ age: 12, schooling: '小学', labourCapacity: null })];
  const n = members.length;
  const income: HarmonizedIncome = {
    lipBasis: o.lipIncome === null ? null : fig(o.lipIncome ?? 20000, n, 'lip'),
    prmBasis: o.prmIncome === null ? null : fig(o.prmIncome ?? 20000, n, 'prm'),
    prmOriginal: null,
    lipOriginal: null,
    flags: [],
  };
  const ind = { housing: true, water: true, education: true, medical: true, ...(o.indicators ?? {}) };
  return {
    householdId: o.id ?? 'H1',
    countyCode: '621200',
    regionCode: '621200001001',
    township: o.township ?? '城关镇',
    village: '一村',
    asOf: o.asOf ?? '2024-06-30',
    members,
    prm:
      o.prm === null
        ? null
        : { householdNo: 'P1', fileId: 'f', householdType: null, monitoringCategory: null, riskType: null, riskCleared: null, riskClearedDate: null, monitoredSince: null, measures: [], ...(o.prm ?? {}) },
    lip: o.lip === null || o.lip === undefined ? (o.lip === null ? null : { familyNo: 'L1', fileId: 'g', personCategory: null, assistanceStatus: null, benefitMonthly: null }) : { familyNo: 'L1', fileId: 'g', personCategory: null, assistanceStatus: null, benefitMonthly: null, ...o.lip },
    income,
    assets: {
      deposits: k(o.deposits === undefined ? 0 : o.deposits),
      vehicles: k(o.vehicles === undefined ? 0 : o.vehicles),
      houses: k(o.houses === undefined ? 1 : o.houses),
    },
    rigidSpending: { medical: k(o.medical === undefined ? 0 : o.medical), education: k(o.education === undefined ? 0 : o.education), other: k(null) },
    indicators: {
      housing: k(ind.housing),
      water: k(ind.water),
      education: k(ind.education),
      medical: k(ind.medical),
    },
    signals: o.signals ?? [],
    incomeHistory: o.history ?? [],
    externalSupporter: o.externalSupporter === undefined ? null : o.externalSupporter,
  };
}
