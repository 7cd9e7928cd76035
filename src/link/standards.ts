/**
 * Default standards used for non-overlap reasons (../shared/RULES.md, 陇南
 * 2024Q1 from the seed). The rules module owns the versioned standards table;
 * these defaults are used until a county-specific source is wired in.
 */
export interface LinkStandards {
  /** 农村低保标准, yuan/person/year. */
  dibaoAnnual: number;
  /** 防返贫监测标准 (人均纯收入), yuan/person/year. */
  monitoringLine: number;
  /** 低保边缘 = edgeMultiple × 低保标准. */
  edgeMultiple: number;
  /** Financial assets allowed per person, in months of 低保标准. */
  depositMonths: number;
  source: string;
}

export const DEFAULT_STANDARDS: LinkStandards = {
  dibaoAnnual: 7920,
  monitoringLine: 6900,
  edgeMultiple: 1.5,
  depositMonths: 24,
  source: 'RULES.md 默认值（陇南市 2024Q1）',
};
