/**
 * Types of the four-group evaluation (../shared/formats/evaluation.md):
 * I = neither (control), II = PRM only (防止返贫监测对象), III = LIP only
 * (低收入帮扶对象), IV = both.
 */
export type Group = 'I' | 'II' | 'III' | 'IV';
export type TreatedGroup = 'II' | 'III' | 'IV';
export const GROUPS: readonly Group[] = ['I', 'II', 'III', 'IV'];
export const TREATED_GROUPS: readonly TreatedGroup[] = ['II', 'III', 'IV'];
export type Region = 'east' | 'central' | 'west';
export type Outcome = 'vep' | 'wage_business_share' | 'work_willing';
export const OUTCOMES: readonly Outcome[] = ['vep', 'wage_business_share', 'work_willing'];

/** One household of the evaluation file, validated. */
export interface EvalRow {
  hh_id: string;
  prm: 0 | 1;
  lip: 0 | 1;
  head_age: number;
  head_edu_years: number;
  head_healthy: 0 | 1;
  head_party: 0 | 1;
  hh_size: number;
  working_age_share: number;
  income_pc: number;
  expense_pc: number;
  medical_share: number;
  fin_assets_pc: number;
  unsafe_water: 0 | 1;
  region: Region;
  wage_business_share: number;
  work_willing: 0 | 1;
}

export function groupOf(r: Pick<EvalRow, 'prm' | 'lip'>): Group {
  if (r.prm === 1) return r.lip === 1 ? 'IV' : 'II';
  return r.lip === 1 ? 'III' : 'I';
}

/** A row left out under --drop-incomplete (1-based data row). */
export interface ExcludedRow {
  row: number;
  column: string;
  reason: string;
}

export interface EvaluateOptions {
  /** Poverty line z, yuan per person per year (default 4000). */
  povertyLine?: number;
  /** Radius-matching caliper on the Lechner score (default 0.05, edge included). */
  caliper?: number;
  /** Bootstrap replicates for se_bootstrap (0 = off). */
  bootstrap?: number;
  seed?: number;
  /** Add II/III/IV dummies to both VEP equations. */
  vepWithGroups?: boolean;
  /** Histogram bins for the propensity overlap charts (default 20). */
  histogramBins?: number;
}
