/**
 * Reasons why a household is in one system only (非重合原因), computed from
 * the RULES.md identification rules on the household's own data. Pure.
 */
import type { NonOverlapReason } from '../db/schema.ts';
import type { LinkStandards } from './standards.ts';

export interface PrmOnlyFacts {
  householdType: string | null; // 户类型
  members: number;
  netIncome: number | null; // 家庭年纯收入
  netIncomePc: number | null; // 家庭年人均纯收入
  transferDibao: number | null;
  transferTekun: number | null;
  riskCleared: boolean | null;
  labourMissing: boolean;
}

export interface LipOnlyFacts {
  hukou: string | null; // 户籍性质
  members: number;
  disposableIncome: number | null; // 家庭年可支配收入
  incomeMonthlyPc: number | null;
  deposits: number | null;
  vehicles: number | null;
  houses: number | null;
  assistanceStatus: string | null; // 救助状态
  labourMissing: boolean;
}

const r2 = (x: number): number => Math.round(x * 100) / 100;

/** PRM household not found in LIP (category II). */
export function prmOnlyReasons(f: PrmOnlyFacts, s: LinkStandards): NonOverlapReason[] {
  const out: NonOverlapReason[] = [];
  const members = Math.max(1, f.members);
  const pc = f.netIncomePc ?? (f.netIncome !== null ? f.netIncome / members : null);
  if (pc === null) {
    out.push({ code: 'income_missing', message: '缺少收入数据，无法按低保标准比对' });
  } else {
    // LIP basis excludes social assistance already received (低保金, 特困供养金).
    const lipBasis = pc - ((f.transferDibao ?? 0) + (f.transferTekun ?? 0)) / members;
    const edge = s.dibaoAnnual * s.edgeMultiple;
    const inputs = { income_pc: r2(pc), income_pc_lip_basis: r2(lipBasis), dibao_annual: s.dibaoAnnual, edge: r2(edge), source: s.source };
    if (lipBasis >= edge) out.push({ code: 'income_above_edge', message: `人均收入${r2(lipBasis)}元高于低保边缘标准${r2(edge)}元`, inputs });
    else if (lipBasis >= s.dibaoAnnual)
      out.push({ code: 'income_between_dibao_and_edge', message: `人均收入${r2(lipBasis)}元介于低保标准${s.dibaoAnnual}元与低保边缘标准${r2(edge)}元之间（可核查低保边缘）`, inputs });
    else out.push({ code: 'income_below_dibao_not_in_lip', message: `人均收入${r2(lipBasis)}元低于低保标准${s.dibaoAnnual}元但未纳入低收入人口（疑似兜不住）`, inputs });
  }
  const t = f.householdType ?? '';
  if (t.includes('脱贫户') && !t.includes('监测')) out.push({ code: 'tuopin_not_at_risk', message: '脱贫户，未识别为监测对象（无返贫风险）' });
  if (f.riskCleared === true) out.push({ code: 'risk_cleared', message: '监测对象风险已消除' });
  if (f.labourMissing) out.push({ code: 'labour_data_missing', message: '家庭成员劳动能力信息缺失' });
  return out;
}

/** LIP family not found in PRM (category III). */
export function lipOnlyReasons(f: LipOnlyFacts, s: LinkStandards): NonOverlapReason[] {
  const out: NonOverlapReason[] = [];
  const members = Math.max(1, f.members);
  if ((f.hukou ?? '').startsWith('非农')) out.push({ code: 'non_agricultural_hukou', message: '非农业户籍，不属于农村防返贫监测范围' });
  const pc = f.disposableIncome !== null ? f.disposableIncome / members : f.incomeMonthlyPc !== null ? f.incomeMonthlyPc * 12 : null;
  if (pc === null) out.push({ code: 'income_missing', message: '缺少收入数据，无法按监测标准比对' });
  else if (pc >= s.monitoringLine)
    out.push({ code: 'income_above_monitoring_line', message: `人均收入${r2(pc)}元高于防返贫监测标准${s.monitoringLine}元`, inputs: { income_pc: r2(pc), monitoring_line: s.monitoringLine, source: s.source } });
  else out.push({ code: 'income_below_monitoring_not_in_prm', message: `人均收入${r2(pc)}元低于防返贫监测标准${s.monitoringLine}元但未纳入监测`, inputs: { income_pc: r2(pc), monitoring_line: s.monitoringLine, source: s.source } });
  const depositLimit = (s.depositMonths * s.dibaoAnnual * members) / 12;
  if ((f.deposits ?? 0) > depositLimit || (f.vehicles ?? 0) > 0 || (f.houses ?? 0) > 1)
    out.push({ code: 'assets_over_limit', message: '家庭财产超过民政认定标准（存款、车辆或第二套住房）', inputs: { deposits: f.deposits, deposit_limit: r2(depositLimit), vehicles: f.vehicles, houses: f.houses } });
  if ((f.assistanceStatus ?? '').includes('停保') || (f.assistanceStatus ?? '').includes('退出')) out.push({ code: 'assistance_ended', message: '救助已停保（退出）' });
  if (f.labourMissing) out.push({ code: 'labour_data_missing', message: '家庭成员劳动能力信息缺失' });
  return out;
}

/** Chinese labels of the reason codes (reports, UI). */
export const REASON_LABELS: Record<string, string> = {
  income_missing: '缺少收入数据',
  income_above_edge: '收入高于低保边缘标准',
  income_between_dibao_and_edge: '收入介于低保标准与低保边缘标准之间',
  income_below_dibao_not_in_lip: '收入低于低保标准但未纳入低收入人口',
  tuopin_not_at_risk: '脱贫户无返贫风险',
  risk_cleared: '风险已消除',
  labour_data_missing: '劳动能力信息缺失',
  non_agricultural_hukou: '非农业户籍',
  income_above_monitoring_line: '收入高于防返贫监测标准',
  income_below_monitoring_not_in_prm: '收入低于监测标准但未纳入监测',
  assets_over_limit: '财产超过认定标准',
  assistance_ended: '救助已停保',
};
