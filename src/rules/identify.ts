/**
 * Joint identification (联合认定) for one unified household: every rule's
 * decision with reasons, the single category the unified rules give on each
 * side, both systems' current status, and the differences staff must review.
 * Pure.
 */
import { DEFAULT_RULES_CONFIG, type RulesConfig } from './config.ts';
import { runRules, RULE_LABELS, type Decision, type PrmType, type RuleId, type RuleResults } from './rules.ts';
import { lipScope, prmScope, type HouseholdSnapshot, type IncomeFlag } from './snapshot.ts';
import type { StandardSet } from './standards.ts';

/** LIP-side category, most protective first (tekun > dibao > 单人保 > 低边 > 刚性 > 其他). */
export const LIP_CATEGORIES = ['tekun', 'dibao', 'dibao_single', 'dibao_edge', 'rigid', 'other', 'none', 'unknown'] as const;
export type LipCategory = (typeof LIP_CATEGORIES)[number];

export const LIP_CATEGORY_LABELS: Record<LipCategory, string> = {
  tekun: '特困人员',
  dibao: '低保对象',
  dibao_single: '单人保',
  dibao_edge: '低保边缘家庭',
  rigid: '刚性支出困难家庭',
  other: '其他低收入人口(防返贫风险)',
  none: '不属于低收入人口',
  unknown: '待核实(信息不全)',
};

/** LIP export 人员类别 → category. */
export function lipCategoryFromExport(personCategory: string | null, status: string | null): LipCategory {
  if (status && /停保|退出/.test(status)) return 'none';
  switch ((personCategory ?? '').trim()) {
    case '特困人员':
      return 'tekun';
    case '低保对象':
      return 'dibao';
    case '低保边缘家庭成员':
      return 'dibao_edge';
    case '刚性支出困难家庭成员':
      return 'rigid';
    case '其他低收入人口':
      return 'other';
    default:
      return 'none';
  }
}

export type DifferenceCode =
  | 'LIP_CATEGORY_DIFFERS' // LIP status ≠ unified LIP category
  | 'NOT_COVERED_BY_LIP' // 兜不住: PRM-only household meets a LIP rule
  | 'PRM_NOT_MONITORED' // meets 防返贫 monitoring but not marked
  | 'PRM_TYPE_DIFFERS'
  | 'PRM_MONITORED_WITHOUT_GROUND' // marked, rules say not a monitoring object
  | 'RISK_CLEARED_EARLY' // marked 风险消除, rule says not yet
  | 'LIP_ONLY_MEETS_PRM' // LIP-only household meets 防返贫 monitoring
  | 'INCOME_FLAG';

export interface Difference {
  code: DifferenceCode;
  severity: 'high' | 'medium' | 'info';
  message: string;
  details?: Record<string, unknown>;
}

/** The household header is the snapshot's (same ids, place and date). */
export interface Identification extends Pick<HouseholdSnapshot, 'householdId' | 'countyCode' | 'regionCode' | 'township' | 'village' | 'asOf'> {
  /** Persons on each side's household scope. */
  lipPersons: number;
  prmPersons: number;
  results: RuleResults;
  unified: {
    lipCategory: LipCategory;
    /** Persons the LIP category covers (单人保: only the severe members). */
    lipCategoryPersons: number;
    /** Higher-ranked rules still 'unknown' (the category may rise once data arrive). */
    pending: RuleId[];
    prmMonitoring: Decision;
    prmType: PrmType | null;
    riskCleared: Decision;
  };
  current: {
    prm: { householdNo: string; householdType: string | null; monitoringCategory: string | null; riskCleared: boolean | null } | null;
    lip: { familyNo: string; personCategory: string | null; assistanceStatus: string | null; category: LipCategory } | null;
  };
  incomeFlags: IncomeFlag[];
  differences: Difference[];
  standards: StandardSet;
}

const ORDER: { rule: RuleId; cat: LipCategory }[] = [
  { rule: 'tekun', cat: 'tekun' },
  { rule: 'dibao', cat: 'dibao' },
  { rule: 'dibao_single', cat: 'dibao_single' },
  { rule: 'dibao_edge', cat: 'dibao_edge' },
  { rule: 'rigid', cat: 'rigid' },
];

/** The unified LIP category from the rule results (first eligible in ORDER). */
export function lipCategoryOf(results: RuleResults, adoptPrm: boolean): { category: LipCategory; pending: RuleId[] } {
  const pending: RuleId[] = [];
  for (const { rule, cat } of ORDER) {
    const d = results[rule].decision;
    if (d === 'eligible') return { category: cat, pending };
    if (d === 'unknown') pending.push(rule);
  }
  // Seed's 并库 step: the LIP platform adopts PRM's indicators (住房/饮水/义务教育/基本医疗)
  // and sudden-hardship signals, so a household at such a risk is a 其他低收入人口.
  if (adoptPrm && results.prm_risk.decision === 'eligible') return { category: 'other', pending };
  return { category: pending.length > 0 ? 'unknown' : 'none', pending };
}

const failing = (results: RuleResults, rule: RuleId): string =>
  results[rule].reasons
    .filter((r) => r.holds === false)
    .map((r) => r.message)
    .join('；');

export function identify(s: HouseholdSnapshot, std: StandardSet, cfg: RulesConfig = DEFAULT_RULES_CONFIG): Identification {
  const results = runRules(s, std, cfg);
  const adopt = std.lip_adopt_prm_indicators.amount >= 1;
  const { category, pending } = lipCategoryOf(results, adopt);
  const lipPersons = lipScope(s).length;
  const lipCategoryPersons =
    category === 'dibao_single' ? (results.dibao_single.persons?.length ?? 0) : category === 'none' || category === 'unknown' ? 0 : category === 'other' ? prmScope(s).length : lipPersons;
  const prmType = results.prm_type.decision === 'eligible' ? (results.prm_type.type ?? null) : null;
  const current: Identification['current'] = {
    prm: s.prm ? { householdNo: s.prm.householdNo, householdType: s.prm.householdType, monitoringCategory: s.prm.monitoringCategory, riskCleared: s.prm.riskCleared } : null,
    lip: s.lip
      ? { familyNo: s.lip.familyNo, personCategory: s.lip.personCategory, assistanceStatus: s.lip.assistanceStatus, category: lipCategoryFromExport(s.lip.personCategory, s.lip.assistanceStatus) }
      : null,
  };
  const diffs: Difference[] = [];
  const curLip = current.lip?.category ?? 'none';
  const lipActive = curLip !== 'none';
  const isCash = (c: LipCategory): boolean => c === 'dibao' || c === 'tekun' || c === 'dibao_single';

  if (s.prm && !lipActive && (isCash(category) || category === 'dibao_edge')) {
    diffs.push({
      code: 'NOT_COVERED_BY_LIP',
      severity: 'high',
      message: `${s.lip ? '民政平台未在保' : '仅在防返贫系统'}，统一口径符合${LIP_CATEGORY_LABELS[category]}条件但未纳入民政低收入人口(兜不住)`,
      details: { unified: category },
    });
  } else if (lipActive && category !== 'unknown' && curLip !== category && !(curLip === 'dibao' && category === 'dibao_single')) {
    const why = curLip === 'other' || category === 'other' ? '' : failing(results, curLip as RuleId);
    diffs.push({
      code: 'LIP_CATEGORY_DIFFERS',
      severity: isCash(curLip) !== isCash(category) ? 'high' : 'medium',
      message: `民政平台为${LIP_CATEGORY_LABELS[curLip]}(${s.lip?.assistanceStatus ?? ''})，统一口径认定为${LIP_CATEGORY_LABELS[category]}${why ? `：${why}` : ''}`,
      details: { current: curLip, unified: category },
    });
  }

  const monitored = !!s.prm && ((s.prm.householdType ?? '').includes('监测户') || !!s.prm.monitoringCategory) && s.prm.riskCleared !== true;
  if (prmType) {
    if (!s.prm) {
      diffs.push({ code: 'LIP_ONLY_MEETS_PRM', severity: 'medium', message: `仅在民政平台，统一口径符合防返贫监测条件(${prmType})，未纳入防返贫监测`, details: { unified: prmType } });
    } else if (!monitored) {
      diffs.push({ code: 'PRM_NOT_MONITORED', severity: 'high', message: `统一口径符合防返贫监测条件(${prmType})，但防返贫系统未标注为监测对象${s.prm.riskCleared ? '(已标注风险消除)' : ''}`, details: { unified: prmType } });
    } else if (s.prm.monitoringCategory && s.prm.monitoringCategory !== prmType) {
      diffs.push({ code: 'PRM_TYPE_DIFFERS', severity: 'info', message: `监测对象类别记录为${s.prm.monitoringCategory}，统一口径为${prmType}`, details: { current: s.prm.monitoringCategory, unified: prmType } });
    }
  } else if (monitored && results.prm_type.decision === 'not_eligible') {
    diffs.push({
      code: 'PRM_MONITORED_WITHOUT_GROUND',
      severity: 'medium',
      message: `防返贫系统标注为监测对象，统一口径不符合监测条件：${failing(results, 'prm_income')}${results.risk_cleared.decision === 'eligible' ? '；满足风险消除条件' : ''}`,
    });
  }
  if (s.prm?.riskCleared === true && results.risk_cleared.decision === 'not_eligible' && results.risk_cleared.reasons.some((r) => r.code !== 'NOT_MONITORED')) {
    diffs.push({ code: 'RISK_CLEARED_EARLY', severity: 'high', message: `已标注风险消除，但统一规则不满足：${failing(results, 'risk_cleared')}` });
  }
  for (const f of s.income.flags) diffs.push({ code: 'INCOME_FLAG', severity: 'info', message: f.message, details: { flag: f.code, ...(f.details ?? {}) } });

  return {
    householdId: s.householdId,
    countyCode: s.countyCode,
    regionCode: s.regionCode,
    township: s.township,
    village: s.village,
    asOf: s.asOf,
    lipPersons,
    prmPersons: prmScope(s).length,
    results,
    unified: { lipCategory: category, lipCategoryPersons, pending, prmMonitoring: results.prm_type.decision, prmType, riskCleared: results.risk_cleared.decision },
    current,
    incomeFlags: s.income.flags,
    differences: diffs,
    standards: std,
  };
}

/** One-line Chinese summary of a rule result (CLI tables). */
export function ruleSummary(results: RuleResults, rule: RuleId): string {
  const r = results[rule];
  const d = r.decision === 'eligible' ? '符合' : r.decision === 'not_eligible' ? '不符合' : '待核实';
  const key = r.reasons.filter((x) => (r.decision === 'eligible' ? x.holds === true : r.decision === 'unknown' ? x.holds === null : x.holds === false)).map((x) => x.message);
  return `${RULE_LABELS[rule]}: ${d}${key.length ? ` — ${key.join('；')}` : ''}`;
}
