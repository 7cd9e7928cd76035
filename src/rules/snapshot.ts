/**
 * HouseholdSnapshot: everything the identification rules look at for one
 * unified household (统一家庭), built by harmonize/ from the PRM household,
 * the LIP family and department signals. Every field that may be unknown is
 * `null` when unknown — never 0 or false — so rules can answer 'unknown'.
 */

/** Where a filled value came from. */
export interface Provenance {
  system: 'prm' | 'lip' | 'feed' | 'derived';
  /** import_file.file_id (or '' for hand-built / derived values). */
  file: string;
  /** Column (Chinese header) or rule that produced the value. */
  field: string;
}

export interface Filled<T> {
  value: T | null;
  provenance: Provenance | null;
  /** Other sources that disagreed with the chosen one. */
  conflicts?: { value: T; provenance: Provenance }[];
}

export type Health = 'healthy' | 'chronic' | 'serious' | 'disabled';
export type LabourCapacity = 'full' | 'partial' | 'none';
/** 残疾类别: 视力 听力 言语 肢体 智力 精神 多重. */
export type DisabilityType = 'visual' | 'hearing' | 'speech' | 'physical' | 'intellectual' | 'mental' | 'multiple';

export interface SnapshotMember {
  /** Unified person key: the 18-digit ID when usable, else a system record key. */
  personKey: string;
  name: string | null;
  idNumber: string | null;
  sex: 'M' | 'F' | null;
  /** Whole years on the snapshot date; null when the birth date is unknown. */
  age: number | null;
  inPrm: boolean;
  inLip: boolean;
  health: Filled<Health>;
  /** 残疾等级 1–4. */
  disabilityGrade: Filled<1 | 2 | 3 | 4>;
  disabilityType: Filled<DisabilityType>;
  /** As recorded by a system (PRM 劳动技能 / LIP 劳动能力), before policy rules. */
  labourCapacity: Filled<LabourCapacity>;
  /** 在校生状况 (PRM) / 在校学生 (LIP): 非在校生 小学 初中 高中 中职 高职 大专及以上 学前教育 */
  schooling: Filled<string>;
  medicalInsured: Filled<boolean>;
  /** LIP 人员类别 of this member. */
  lipCategory: string | null;
}

export interface PrmIncomeInput {
  fileId: string;
  /** 收入年度 N = 1 Oct N−1 … 30 Sep N. */
  year: number | null;
  wage: number | null;
  businessGross: number | null;
  businessCost: number | null;
  property: number | null;
  transfer: number | null;
  transferDibao: number | null;
  transferTekun: number | null;
  transferPension: number | null;
  recordedTotal: number | null;
  recordedPerCapita: number | null;
  /** PRM household size used for per-capita figures (member rows). */
  size: number;
  /** Members aged ≥ 60 (for the basic-pension share). */
  elderly: number;
}

export interface LipIncomeInput {
  fileId: string;
  /** 收入统计年度 (calendar year). */
  year: number | null;
  wage: number | null;
  businessNet: number | null;
  propertyNet: number | null;
  transferNet: number | null;
  recordedTotal: number | null;
  recordedMonthlyPerCapita: number | null;
  /** 保障金额(元/月), family total, when 在保. */
  benefitMonthly: number | null;
  size: number;
  elderly: number;
}

export type IncomeFlagCode = 'period_mismatch' | 'conflicting_figures' | 'missing_income';

export interface IncomeFlag {
  code: IncomeFlagCode;
  message: string;
  details?: Record<string, unknown>;
}

/** One per-capita income figure on a named basis. */
export interface IncomeFigure {
  /** 元/人/年 */
  perCapita: number;
  /** Household total, 元/年. */
  total: number;
  size: number;
  /** 'prm' / 'lip' = the system's own figure; '*_converted' = converted from the other side. */
  source: 'prm' | 'lip' | 'prm_converted' | 'lip_converted';
  /** Year on this basis (PRM income year, or calendar year). */
  year: number | null;
  /** How the figure was obtained, in Chinese. */
  method: string;
}

export interface HarmonizedIncome {
  /** PRM 纯收入 basis (the 防返贫 rules). */
  prmBasis: IncomeFigure | null;
  /** LIP 可支配收入 basis, social assistance and basic pension excluded (the 民政 rules). */
  lipBasis: IncomeFigure | null;
  /** Both originals, untouched. */
  prmOriginal: PrmIncomeInput | null;
  lipOriginal: LipIncomeInput | null;
  flags: IncomeFlag[];
}

export interface Assets {
  deposits: Filled<number>;
  vehicles: Filled<number>;
  houses: Filled<number>;
}

export interface RigidSpending {
  /** 医疗自付 in the past 12 months (LIP column or 医保 feed sums, the larger). */
  medical: Filled<number>;
  education: Filled<number>;
  /** 残疾康复 and other recognised items (no export column yet; feeds only). */
  other: Filled<number>;
}

export type IndicatorKey = 'housing' | 'water' | 'education' | 'medical';

export interface SignalEvent {
  source: string;
  eventType: string;
  date: string | null;
  amount: number | null;
  note: string | null;
  idNumber: string | null;
  file: string;
}

export interface PrmStatus {
  householdNo: string;
  fileId: string;
  /** 户类型: 脱贫户 / 监测户 / 脱贫户且监测户 */
  householdType: string | null;
  /** 监测对象类别 */
  monitoringCategory: string | null;
  riskType: string | null;
  riskCleared: boolean | null;
  riskClearedDate: string | null;
  monitoredSince: string | null;
  measures: string[];
}

export interface LipStatus {
  familyNo: string;
  fileId: string;
  /** 人员类别 (family level, applicant row) */
  personCategory: string | null;
  /** 救助状态: 在保 / 暂停 / 停保 */
  assistanceStatus: string | null;
  benefitMonthly: number | null;
}

/** Per-capita PRM-basis income at an assessment date (for 风险消除). */
export interface IncomeAssessment {
  date: string;
  perCapita: number;
}

export interface HouseholdSnapshot {
  householdId: string;
  countyCode: string;
  /** 12-digit village code (standards resolve on it). */
  regionCode: string;
  township: string | null;
  village: string | null;
  /** ISO date the snapshot describes (rules and standards are evaluated on it). */
  asOf: string;
  members: SnapshotMember[];
  prm: PrmStatus | null;
  lip: LipStatus | null;
  income: HarmonizedIncome;
  assets: Assets;
  rigidSpending: RigidSpending;
  /** 住房/饮水/义务教育/基本医疗 有保障 (true = secured). */
  indicators: Record<IndicatorKey, Filled<boolean>>;
  signals: SignalEvent[];
  /** Earlier PRM-basis assessments (oldest first), for 风险消除. */
  incomeHistory: IncomeAssessment[];
  /**
   * A legally obliged supporter outside the household able to support
   * (特困 第八条). null = not verified (the exports do not carry it).
   */
  externalSupporter: boolean | null;
}

/** Members the 民政 rules count: the LIP family when there is one, else the PRM household. */
export function lipScope(s: HouseholdSnapshot): SnapshotMember[] {
  return s.lip ? s.members.filter((m) => m.inLip) : s.members;
}

/** Members the 防返贫 rules count: the PRM household when there is one, else the LIP family. */
export function prmScope(s: HouseholdSnapshot): SnapshotMember[] {
  return s.prm ? s.members.filter((m) => m.inPrm) : s.members;
}

export function unknown<T>(): Filled<T> {
  return { value: null, provenance: null };
}

export function known<T>(value: T, provenance: Provenance): Filled<T> {
  return { value, provenance };
}
