/**
 * Standards (标准) as versioned data: every number the identification rules use
 * is a row keyed by region-code prefix and validity period, never a constant in
 * code. A county overrides the province, the province overrides the national
 * fallback (prefix '').
 *
 * Resolution (`standardsInForce`):
 * - a row applies to a region when the region code starts with its prefix;
 * - a row is in force on `date` when valid_from <= date (inclusive) and
 *   (valid_to is null or date < valid_to) (exclusive end, so consecutive
 *   versions can share a boundary date without overlapping);
 * - among applicable rows of one kind the longest prefix wins; ties go to the
 *   latest valid_from, then the highest version.
 * Pure: no database, no file system.
 */
import { BinkuError } from '../domain/errors.ts';

export const STANDARD_KINDS = [
  'dibao_annual', // 农村低保标准, 元/人/年
  'monitoring_line', // 防返贫监测标准 (人均纯收入), 元/人/年
  'edge_multiple', // 低保边缘 = 低保标准 × multiple
  'tekun_multiple', // 特困基本生活标准 = 低保标准 × multiple
  'rigid_income_ref', // 刚性支出困难: 上年当地居民人均可支配收入, 元/人/年
  'rigid_share', // 刚性支出 / 家庭总收入 above this share = heavy
  'deposit_months', // 人均金融资产上限, months of monthly 低保标准
  'income_window_months', // 防返贫 income/event window
  'basic_pension_monthly', // 城乡居民基础养老金 (excluded from 低保 income), 元/人/月
  'max_vehicles', // 机动车辆 allowed (exempt vehicles excluded from the count)
  'max_houses', // 房产(套) allowed
  'edge_payment_monthly', // 低边 cash per person per month (0 = no cash, services only)
  'stable_months', // 风险消除: income must stay above the line this long
  'conflict_share', // PRM vs LIP income on one basis differing by more than this share = conflicting_figures
  'lip_adopt_prm_indicators', // 1 = LIP takes over PRM's indicators (住房/饮水/义务教育/基本医疗) and sudden-hardship signals (seed's 并库 step)
] as const;
export type StandardKind = (typeof STANDARD_KINDS)[number];

/** Chinese label of each kind (XLSX headers, UI). */
export const STANDARD_LABELS: Record<StandardKind, string> = {
  dibao_annual: '农村低保标准(元/人·年)',
  monitoring_line: '防返贫监测标准(元/人·年)',
  edge_multiple: '低保边缘倍数',
  tekun_multiple: '特困供养标准倍数',
  rigid_income_ref: '上年居民人均可支配收入(元)',
  rigid_share: '刚性支出占收入比例',
  deposit_months: '人均金融资产上限(月低保标准)',
  income_window_months: '收入核算期(月)',
  basic_pension_monthly: '基础养老金(元/月)',
  max_vehicles: '机动车辆上限(辆)',
  max_houses: '房产上限(套)',
  edge_payment_monthly: '低边补助(元/人·月)',
  stable_months: '风险消除收入稳定期(月)',
  conflict_share: '两系统收入差异容忍比例',
  lip_adopt_prm_indicators: '民政平台采纳防返贫指标(1=是)',
};

export interface Standard {
  kind: StandardKind;
  /** 行政区划 prefix: '' national, '62' province, '621200' city/county … */
  regionPrefix: string;
  amount: number;
  /** ISO date, inclusive. */
  validFrom: string;
  /** ISO date, exclusive; null = open-ended. */
  validTo: string | null;
  source: string;
  version: number;
}

/** What a rule cites: the value used and where it came from. */
export interface StandardRef {
  kind: StandardKind;
  amount: number;
  source: string;
  validFrom: string;
  regionPrefix: string;
}

/** The resolved set for one region and date; every kind present. */
export type StandardSet = Record<StandardKind, StandardRef>;

export function isStandardKind(k: string): k is StandardKind {
  return (STANDARD_KINDS as readonly string[]).includes(k);
}

/** All standards in force for `regionCode` on `date` (ISO). Throws when a kind has no row at all. */
export function standardsInForce(all: readonly Standard[], regionCode: string, date: string): StandardSet {
  const best = new Map<StandardKind, Standard>();
  for (const s of all) {
    if (!regionCode.startsWith(s.regionPrefix)) continue;
    if (s.validFrom > date) continue;
    if (s.validTo !== null && date >= s.validTo) continue;
    const cur = best.get(s.kind);
    if (!cur || better(s, cur)) best.set(s.kind, s);
  }
  const missing = STANDARD_KINDS.filter((k) => !best.has(k));
  if (missing.length > 0) {
    throw new BinkuError('BK_RULES_STANDARD_MISSING', `缺少有效标准: ${missing.join(', ')} (地区 ${regionCode}, 日期 ${date})`, {
      status: 422,
      en: `no standard in force for ${missing.join(', ')} at ${regionCode} on ${date}`,
      details: { missing, regionCode, date },
    });
  }
  const out = {} as StandardSet;
  for (const [k, s] of best) out[k] = { kind: k, amount: s.amount, source: s.source, validFrom: s.validFrom, regionPrefix: s.regionPrefix };
  return out;
}

function better(a: Standard, b: Standard): boolean {
  if (a.regionPrefix.length !== b.regionPrefix.length) return a.regionPrefix.length > b.regionPrefix.length;
  if (a.validFrom !== b.validFrom) return a.validFrom > b.validFrom;
  return a.version > b.version;
}

/** Checks one standard row; returns Chinese problems (empty = fine). */
export function validateStandard(s: Partial<Standard>): string[] {
  const p: string[] = [];
  if (!s.kind || !isStandardKind(s.kind)) p.push(`未知标准类型: ${s.kind ?? '(空)'}`);
  if (s.regionPrefix === undefined || !/^\d{0,12}$/.test(s.regionPrefix)) p.push(`地区前缀必须是0–12位数字: ${s.regionPrefix ?? '(空)'}`);
  if (typeof s.amount !== 'number' || !Number.isFinite(s.amount) || s.amount < 0) p.push(`数值无效: ${s.amount}`);
  if (!s.validFrom || !/^\d{4}-\d{2}-\d{2}$/.test(s.validFrom)) p.push(`生效日期无效: ${s.validFrom ?? '(空)'}`);
  if (s.validTo !== null && s.validTo !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(s.validTo)) p.push(`失效日期无效: ${s.validTo}`);
  if (s.validFrom && s.validTo && s.validTo <= s.validFrom) p.push(`失效日期必须晚于生效日期: ${s.validFrom} → ${s.validTo}`);
  return p;
}

const NATIONAL = '全国默认值 (../shared/RULES.md)';
const LONGNAN = '陇南市 2024Q1 (种子论文 注a: 农村低保标准 7920, 防返贫监测标准 6900)';
const GANSU_2023 =
  '甘肃省 2023 年农村居民人均可支配收入 13131 元 (甘肃省2023年国民经济和社会发展统计公报; 按公开数字录入, 使用前请核对)';

function row(kind: StandardKind, regionPrefix: string, amount: number, source: string, validFrom = '2020-01-01'): Standard {
  return { kind, regionPrefix, amount, validFrom, validTo: null, source, version: 1 };
}

/**
 * Defaults seeded into a new database: a national fallback for every kind
 * (prefix '') and 陇南市 (621200) 2024 values from RULES.md and the seed paper.
 * The seed paper's county is 龙南市 (江西赣州, 360727); RULES.md files its
 * figures under 陇南 621200, so the same figures are also seeded for 360727.
 */
export const DEFAULT_STANDARDS: readonly Standard[] = [
  row('dibao_annual', '', 7920, `${NATIONAL}; 数值取自陇南 2024Q1 示例, 各地须覆盖`),
  row('monitoring_line', '', 6900, `${NATIONAL}; 数值取自陇南 2024Q1 示例, 各省每年设定`),
  row('edge_multiple', '', 1.5, '最低生活保障审核确认办法(民发〔2021〕57号)第八条; 民发〔2022〕83号'),
  row('tekun_multiple', '', 1.3, `${NATIONAL}: 特困基本生活标准默认 1.3 倍低保标准`),
  row('rigid_income_ref', '', 13131, `${GANSU_2023} — 全国兜底占位值, 各地须以本地上年数字覆盖`),
  row('rigid_share', '', 0.5, `${NATIONAL}: 刚性支出困难家庭认定办法第四条 比例由地方规定, 默认 0.5`),
  row('deposit_months', '', 24, `${NATIONAL}: 地方规则示例 (深圳/揭阳 24 个月低保标准)`),
  row('income_window_months', '', 12, '防返贫监测: 识别前 12 个月收入 (各地指南)'),
  row('basic_pension_monthly', '', 143, `${NATIONAL}: 城乡居民基础养老金 143 元/月`),
  row('max_vehicles', '', 0, `${NATIONAL}: 无机动车 (残疾人代步车、农用车除外)`),
  row('max_houses', '', 1, `${NATIONAL}: 居住用途房产不超过 1 套`),
  row('edge_payment_monthly', '', 0, `${NATIONAL}: 低保边缘不发放现金, 只享受专项救助`),
  row('stable_months', '', 6, '风险消除: 收入持续稳定原则上不少于半年 (各地指南)'),
  row('conflict_share', '', 0.2, `${NATIONAL}: 两系统同口径人均收入相差超过 20% 视为数据冲突`),
  row('lip_adopt_prm_indicators', '', 0, '现状: 民政平台不采集住房/饮水/三保障指标'),
  ...(['621200', '360727'] as const).flatMap((p) => [
    row('dibao_annual', p, 7920, LONGNAN, '2024-01-01'),
    row('monitoring_line', p, 6900, LONGNAN, '2024-01-01'),
    row('edge_multiple', p, 1.5, `${LONGNAN}; 民发〔2022〕83号`, '2024-01-01'),
    row('tekun_multiple', p, 1.3, `${LONGNAN}; RULES.md 默认`, '2024-01-01'),
    row('rigid_income_ref', p, 13131, p === '621200' ? GANSU_2023 : `占位值: ${GANSU_2023}; 江西省数字待录入`, '2024-01-01'),
  ]),
];
