/**
 * Identification rules (认定规则): one pure function per rule over a
 * HouseholdSnapshot and the standards in force. Each returns a decision and
 * every reason it used (rule id, code, Chinese message, inputs, the standard
 * value and its source). Missing data gives 'unknown', never 'eligible'.
 *
 * A rule is a conjunction of conditions: any condition false → not_eligible;
 * otherwise any unknown → unknown; otherwise eligible. All conditions are
 * evaluated and reported, so staff see everything that would still block a
 * household once the missing data arrive.
 */
import type { DisabilityRule, RulesConfig, SignalRule } from './config.ts';
import { DEFAULT_RULES_CONFIG } from './config.ts';
import type { StandardKind, StandardRef, StandardSet } from './standards.ts';
import {
  lipScope,
  prmScope,
  type HouseholdSnapshot,
  type IndicatorKey,
  type SignalEvent,
  type SnapshotMember,
} from './snapshot.ts';

export const RULE_IDS = ['dibao', 'dibao_single', 'tekun', 'dibao_edge', 'rigid', 'prm_income', 'prm_risk', 'prm_type', 'risk_cleared'] as const;
export type RuleId = (typeof RULE_IDS)[number];
export type Decision = 'eligible' | 'not_eligible' | 'unknown';

export const RULE_LABELS: Record<RuleId, string> = {
  dibao: '最低生活保障(低保)',
  dibao_single: '单人保',
  tekun: '特困人员供养',
  dibao_edge: '低保边缘家庭',
  rigid: '刚性支出困难家庭',
  prm_income: '防返贫监测(收入)',
  prm_risk: '防返贫监测(风险)',
  prm_type: '防返贫监测对象类别',
  risk_cleared: '风险消除',
};

export interface Reason {
  ruleId: RuleId;
  code: string;
  /** 中文说明 */
  message: string;
  inputs: Record<string, unknown>;
  standard?: { kind: StandardKind; amount: number; source: string; validFrom: string; regionPrefix: string };
  /** Whether this condition holds (true), fails (false) or is unknown (null). */
  holds: boolean | null;
}

export interface RuleResult {
  ruleId: RuleId;
  decision: Decision;
  reasons: Reason[];
  /** Persons the decision covers (单人保, 特困), by personKey. */
  persons?: string[];
  /** 防返贫 监测对象类别 for prm_type. */
  type?: PrmType;
}

export type PrmType = '脱贫不稳定户' | '边缘易致贫户' | '突发严重困难户';

export interface RuleContext {
  std: StandardSet;
  cfg: RulesConfig;
}

const yuan = (n: number): string => `${Math.round(n * 100) / 100} 元`;

function reason(ruleId: RuleId, code: string, holds: boolean | null, message: string, inputs: Record<string, unknown> = {}, standard?: StandardRef): Reason {
  return { ruleId, code, message, inputs, holds, ...(standard ? { standard: { ...standard } } : {}) };
}

/** All conditions true → eligible; any false → not_eligible; else unknown. */
export function combine(ruleId: RuleId, reasons: Reason[], extra: Partial<RuleResult> = {}): RuleResult {
  const decision: Decision = reasons.some((r) => r.holds === false) ? 'not_eligible' : reasons.some((r) => r.holds === null) ? 'unknown' : 'eligible';
  return { ruleId, decision, reasons, ...extra };
}

// ---------------------------------------------------------------- conditions

function incomeBelow(ruleId: RuleId, s: HouseholdSnapshot, basis: 'lip' | 'prm', limit: number, std: StandardRef, label: string, extra: Record<string, unknown> = {}): Reason {
  const fig = basis === 'lip' ? s.income.lipBasis : s.income.prmBasis;
  const basisName = basis === 'lip' ? '可支配收入(民政口径)' : '纯收入(防返贫口径)';
  if (!fig) return reason(ruleId, 'INCOME_UNKNOWN', null, `缺少${basisName}人均收入，无法判断是否低于${label}`, { basis, limit, ...extra }, std);
  const inputs = { basis, perCapita: fig.perCapita, source: fig.source, year: fig.year, limit, ...extra };
  return fig.perCapita < limit
    ? reason(ruleId, 'INCOME_BELOW', true, `人均${basisName} ${yuan(fig.perCapita)} 低于${label} ${yuan(limit)}`, inputs, std)
    : reason(ruleId, 'INCOME_NOT_BELOW', false, `人均${basisName} ${yuan(fig.perCapita)} 不低于${label} ${yuan(limit)}`, inputs, std);
}

/** 财产状况符合规定: deposits, vehicles, houses against the local limits. */
export function assetReasons(ruleId: RuleId, s: HouseholdSnapshot, ctx: RuleContext): Reason[] {
  const { std, cfg } = ctx;
  const size = lipScope(s).length;
  const out: Reason[] = [];
  const missing = (what: string, code: string, inputs: Record<string, unknown>, st: StandardRef): Reason =>
    cfg.missingAssets === 'within_limits'
      ? reason(ruleId, `${code}_ASSUMED`, true, `缺少${what}信息，按配置视为符合规定(需入户核实)`, inputs, st)
      : reason(ruleId, `${code}_UNKNOWN`, null, `缺少${what}信息，无法判断财产状况`, inputs, st);

  const depLimit = std.deposit_months.amount * (std.dibao_annual.amount / 12) * size;
  const dep = s.assets.deposits.value;
  const depInputs = { deposits: dep, limit: depLimit, members: size, months: std.deposit_months.amount, dibaoAnnual: std.dibao_annual.amount, provenance: s.assets.deposits.provenance };
  if (dep === null) out.push(missing('存款及理财', 'DEPOSITS', depInputs, std.deposit_months));
  else
    out.push(
      dep <= depLimit
        ? reason(ruleId, 'DEPOSITS_WITHIN', true, `存款及理财 ${yuan(dep)} 不超过上限 ${yuan(depLimit)} (${std.deposit_months.amount} 个月低保标准 × ${size} 人)`, depInputs, std.deposit_months)
        : reason(ruleId, 'DEPOSITS_OVER', false, `存款及理财 ${yuan(dep)} 超过上限 ${yuan(depLimit)} (${std.deposit_months.amount} 个月低保标准 × ${size} 人)`, depInputs, std.deposit_months),
    );

  const veh = s.assets.vehicles.value;
  const vehInputs = { vehicles: veh, limit: std.max_vehicles.amount, provenance: s.assets.vehicles.provenance };
  if (veh === null) out.push(missing('机动车辆', 'VEHICLES', vehInputs, std.max_vehicles));
  else
    out.push(
      veh <= std.max_vehicles.amount
        ? reason(ruleId, 'VEHICLES_WITHIN', true, `机动车辆 ${veh} 辆，不超过 ${std.max_vehicles.amount} 辆`, vehInputs, std.max_vehicles)
        : reason(ruleId, 'VEHICLES_OVER', false, `机动车辆 ${veh} 辆，超过 ${std.max_vehicles.amount} 辆(残疾人代步车、农用车不计)`, vehInputs, std.max_vehicles),
    );

  const hs = s.assets.houses.value;
  const hsInputs = { houses: hs, limit: std.max_houses.amount, provenance: s.assets.houses.provenance };
  if (hs === null) out.push(missing('房产', 'HOUSES', hsInputs, std.max_houses));
  else
    out.push(
      hs <= std.max_houses.amount
        ? reason(ruleId, 'HOUSES_WITHIN', true, `房产 ${hs} 套，不超过 ${std.max_houses.amount} 套`, hsInputs, std.max_houses)
        : reason(ruleId, 'HOUSES_OVER', false, `房产 ${hs} 套，超过 ${std.max_houses.amount} 套`, hsInputs, std.max_houses),
    );
  return out;
}

/** Whether a disability matches a rule list: true, false, or null when the type would decide. */
export function matchDisability(rules: DisabilityRule[], m: SnapshotMember): boolean | null {
  const grade = m.disabilityGrade.value;
  if (grade === null) return m.health.value === 'disabled' ? null : false;
  const type = m.disabilityType.value;
  if (type !== null) return rules.some((r) => (r.type === null || r.type === type) && grade <= r.maxGrade);
  if (rules.some((r) => r.type === null && grade <= r.maxGrade)) return true;
  return rules.some((r) => r.type !== null && grade <= r.maxGrade) ? null : false;
}

const LABOUR_LABEL: Record<string, string> = { full: '有劳动能力', partial: '部分丧失劳动能力', none: '无劳动能力' };
const DIS_LABEL: Record<string, string> = { visual: '视力', hearing: '听力', speech: '言语', physical: '肢体', intellectual: '智力', mental: '精神', multiple: '多重' };

export interface NoLabour {
  value: boolean | null;
  why: string;
}

/** 无劳动能力 (特困人员认定办法 第五条), with the local additions in config. */
export function noLabourCapacity(m: SnapshotMember, cfg: RulesConfig): NoLabour {
  if (m.age !== null && m.age >= cfg.elderlyAge) return { value: true, why: `年满${cfg.elderlyAge}周岁(${m.age}岁)` };
  if (m.age !== null && m.age < cfg.minorAge) return { value: true, why: `未满${cfg.minorAge}周岁(${m.age}岁)` };
  if (m.age !== null && m.age < cfg.studentAge && m.schooling.value !== null && cfg.studentStages.includes(m.schooling.value))
    return { value: true, why: `未满${cfg.studentAge}周岁且在读${m.schooling.value}` };
  const dis = matchDisability(cfg.noLabourDisabilities, m);
  if (dis === true) return { value: true, why: `${m.disabilityType.value ? DIS_LABEL[m.disabilityType.value] : ''}残疾${m.disabilityGrade.value}级` };
  if (cfg.recordedNoneCounts && m.labourCapacity.value === 'none') return { value: true, why: '系统记录为丧失/无劳动能力' };
  if (m.age === null) return { value: null, why: '出生日期不详' };
  if (dis === null) return { value: null, why: `残疾等级${m.disabilityGrade.value ?? '不详'}级但残疾类别不详` };
  const rec = m.labourCapacity.value ? LABOUR_LABEL[m.labourCapacity.value] : null;
  return { value: false, why: `${m.age}岁，处于劳动年龄${rec ? `，记录为${rec}` : ''}` };
}

function inWindow(e: SignalEvent, asOf: string, months: number): boolean {
  if (!e.date) return false;
  return e.date <= asOf && e.date > addMonths(asOf, -months);
}

function matches(e: SignalEvent, r: SignalRule): boolean {
  if (e.source !== r.source || e.eventType !== r.eventType) return false;
  if (r.noteIncludes && !r.noteIncludes.some((n) => (e.note ?? '').includes(n))) return false;
  return true;
}

/** ISO date plus n months (n may be negative), clamped to the month's last day. */
export function addMonths(iso: string, n: number): string {
  const y = Number(iso.slice(0, 4));
  const m = Number(iso.slice(5, 7)) - 1 + n;
  const d = Number(iso.slice(8, 10));
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return `${String(ty).padStart(4, '0')}-${String(tm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

// ---------------------------------------------------------------- rules

/** 低保: LIP-basis per-capita income < 低保标准, assets within limits (低保办法 第十三、十四条). */
export function ruleDibao(s: HouseholdSnapshot, ctx: RuleContext): RuleResult {
  const { std } = ctx;
  return combine('dibao', [incomeBelow('dibao', s, 'lip', std.dibao_annual.amount, std.dibao_annual, '低保标准'), ...assetReasons('dibao', s, ctx)]);
}

/** 低保边缘: not 低保, income < edge_multiple × 低保标准, assets within limits (民发〔2022〕83号). */
export function ruleDibaoEdge(s: HouseholdSnapshot, ctx: RuleContext, dibao = ruleDibao(s, ctx)): RuleResult {
  const { std } = ctx;
  const limit = std.edge_multiple.amount * std.dibao_annual.amount;
  const notDibao =
    dibao.decision === 'eligible'
      ? reason('dibao_edge', 'IS_DIBAO', false, '已符合低保条件，不再认定为低保边缘', {})
      : dibao.decision === 'unknown'
        ? reason('dibao_edge', 'DIBAO_UNKNOWN', null, '是否符合低保尚不确定', {})
        : reason('dibao_edge', 'NOT_DIBAO', true, '不符合低保条件', {});
  return combine('dibao_edge', [
    notDibao,
    incomeBelow('dibao_edge', s, 'lip', limit, std.edge_multiple, `低保边缘标准(${std.edge_multiple.amount} × 低保标准)`, { dibaoAnnual: std.dibao_annual.amount }),
    ...assetReasons('dibao_edge', s, ctx),
  ]);
}

/** 单人保: in a 低保边缘 family, members with 重病 or 重度残疾 may be covered alone (低保办法 第八条). */
export function ruleDibaoSingle(s: HouseholdSnapshot, ctx: RuleContext, edge = ruleDibaoEdge(s, ctx)): RuleResult {
  const { cfg } = ctx;
  const isEdge =
    edge.decision === 'eligible'
      ? reason('dibao_single', 'EDGE_FAMILY', true, '家庭符合低保边缘条件', {})
      : edge.decision === 'unknown'
        ? reason('dibao_single', 'EDGE_UNKNOWN', null, '是否为低保边缘家庭尚不确定', {})
        : reason('dibao_single', 'NOT_EDGE_FAMILY', false, '家庭不是低保边缘家庭，单人保不适用', {});
  const persons: string[] = [];
  let anyUnknown = false;
  const who: string[] = [];
  for (const m of lipScope(s)) {
    const ill = m.health.value === null ? null : cfg.singleHealth.includes(m.health.value);
    const dis = matchDisability(cfg.singleDisabilities, m);
    if (ill === true || dis === true) {
      persons.push(m.personKey);
      who.push(`${m.name ?? m.personKey}(${ill ? '重病' : `残疾${m.disabilityGrade.value}级`})`);
    } else if (ill === null || dis === null) anyUnknown = true;
  }
  const member =
    persons.length > 0
      ? reason('dibao_single', 'SEVERE_MEMBER', true, `成员 ${who.join('、')} 可单独纳入低保`, { persons })
      : anyUnknown
        ? reason('dibao_single', 'SEVERE_MEMBER_UNKNOWN', null, '部分成员健康或残疾信息不详', {})
        : reason('dibao_single', 'NO_SEVERE_MEMBER', false, '没有重病或重度残疾成员', {});
  return combine('dibao_single', [isEdge, member], persons.length > 0 ? { persons } : {});
}

/** 特困: every member without labour capacity, income < 低保标准, assets within limits, no able supporter (特困办法 第四—八条). */
export function ruleTekun(s: HouseholdSnapshot, ctx: RuleContext): RuleResult {
  const { std, cfg } = ctx;
  const members = lipScope(s);
  const each = members.map((m) => ({ m, r: noLabourCapacity(m, cfg) }));
  const capable = each.filter((e) => e.r.value === false);
  const unknownCap = each.filter((e) => e.r.value === null);
  const labourInputs = { members: each.map((e) => ({ person: e.m.personKey, noLabourCapacity: e.r.value, why: e.r.why })) };
  const labour =
    members.length === 0
      ? reason('tekun', 'NO_MEMBERS', null, '没有家庭成员信息', {})
      : capable.length > 0
        ? reason('tekun', 'HAS_CAPABLE_MEMBER', false, `家庭中有劳动能力成员: ${capable.map((e) => `${e.m.name ?? e.m.personKey}(${e.r.why})`).join('、')}`, labourInputs)
        : unknownCap.length > 0
          ? reason('tekun', 'LABOUR_UNKNOWN', null, `成员劳动能力不详: ${unknownCap.map((e) => `${e.m.name ?? e.m.personKey}(${e.r.why})`).join('、')}`, labourInputs)
          : reason('tekun', 'NO_LABOUR_CAPACITY', true, `全部成员无劳动能力: ${each.map((e) => `${e.m.name ?? e.m.personKey}(${e.r.why})`).join('、')}`, labourInputs);
  const supporter =
    s.externalSupporter === false
      ? reason('tekun', 'NO_ABLE_SUPPORTER', true, '无法定义务人或义务人无履行能力', {})
      : s.externalSupporter === true
        ? reason('tekun', 'HAS_ABLE_SUPPORTER', false, '有能够履行义务的法定赡养/抚养/扶养人', {})
        : reason('tekun', 'SUPPORTER_UNKNOWN', null, '家庭以外法定义务人情况未核实', {});
  const r = combine('tekun', [
    labour,
    incomeBelow('tekun', s, 'lip', std.dibao_annual.amount, std.dibao_annual, '低保标准(特困 无生活来源)'),
    ...assetReasons('tekun', s, ctx),
    supporter,
  ]);
  if (r.decision === 'eligible') r.persons = members.map((m) => m.personKey);
  return r;
}

/** Sum of rigid spending (医疗自付 + 教育 + 其他); null when medical or education is unknown. */
function rigidTotal(s: HouseholdSnapshot): { total: number | null; parts: Record<string, number | null> } {
  const med = s.rigidSpending.medical.value;
  const edu = s.rigidSpending.education.value;
  const other = s.rigidSpending.other.value ?? 0;
  return { total: med === null || edu === null ? null : med + edu + other, parts: { medical: med, education: edu, other } };
}

/**
 * 刚性支出困难家庭 (认定办法 第四、五条): not 低保/特困/低边; per-capita income
 * < rigid_income_ref; assets within limits; rigid spending / total income > rigid_share.
 */
export function ruleRigid(s: HouseholdSnapshot, ctx: RuleContext, prior?: { dibao: RuleResult; tekun: RuleResult; edge: RuleResult }): RuleResult {
  const { std } = ctx;
  const dibao = prior?.dibao ?? ruleDibao(s, ctx);
  const p = prior ?? { dibao, tekun: ruleTekun(s, ctx), edge: ruleDibaoEdge(s, ctx, dibao) };
  const already = [p.dibao, p.tekun, p.edge].filter((r) => r.decision === 'eligible').map((r) => RULE_LABELS[r.ruleId]);
  const notOther =
    already.length > 0
      ? reason('rigid', 'IN_OTHER_CATEGORY', false, `已符合${already.join('、')}条件`, { categories: already })
      : p.dibao.decision === 'unknown' || p.edge.decision === 'unknown'
        ? reason('rigid', 'OTHER_CATEGORY_UNKNOWN', null, '是否符合低保/低保边缘尚不确定', {})
        : reason('rigid', 'NOT_OTHER_CATEGORY', true, '不符合低保、特困、低保边缘条件', {});
  const { total, parts } = rigidTotal(s);
  const fig = s.income.lipBasis;
  const share = std.rigid_share.amount;
  let heavy: Reason;
  if (total === null || !fig) heavy = reason('rigid', 'RIGID_UNKNOWN', null, '缺少刚性支出(医疗自付、教育)或家庭收入信息', { ...parts, income: fig?.total ?? null }, std.rigid_share);
  else {
    const ratio = fig.total > 0 ? total / fig.total : total > 0 ? Number.POSITIVE_INFINITY : 0;
    const inputs = { ...parts, rigidTotal: total, income: fig.total, ratio: Number.isFinite(ratio) ? Math.round(ratio * 10000) / 10000 : 'infinite' };
    heavy =
      ratio > share
        ? reason('rigid', 'RIGID_HEAVY', true, `近12个月刚性支出 ${yuan(total)} 占家庭收入 ${yuan(fig.total)} 的比例超过 ${share}`, inputs, std.rigid_share)
        : reason('rigid', 'RIGID_NOT_HEAVY', false, `近12个月刚性支出 ${yuan(total)} 占家庭收入 ${yuan(fig.total)} 的比例未超过 ${share}`, inputs, std.rigid_share);
  }
  return combine('rigid', [
    notOther,
    incomeBelow('rigid', s, 'lip', std.rigid_income_ref.amount, std.rigid_income_ref, '上年当地居民人均可支配收入'),
    ...assetReasons('rigid', s, ctx),
    heavy,
  ]);
}

/** 防返贫 收入: PRM-basis per-capita net income < monitoring line. */
export function rulePrmIncome(s: HouseholdSnapshot, ctx: RuleContext): RuleResult {
  return combine('prm_income', [incomeBelow('prm_income', s, 'prm', ctx.std.monitoring_line.amount, ctx.std.monitoring_line, '防返贫监测标准')]);
}

const INDICATOR_LABEL: Record<IndicatorKey, string> = { housing: '住房安全', water: '饮水安全', education: '义务教育', medical: '基本医疗' };

/** Sudden-hardship events in the window (heavy medical costs only when above the share of income). */
export function suddenEvents(s: HouseholdSnapshot, ctx: RuleContext, months: number): { events: SignalEvent[]; medicalUnknown: boolean } {
  const win = s.signals.filter((e) => inWindow(e, s.asOf, months) && ctx.cfg.suddenEvents.some((r) => matches(e, r)));
  const medical = win.filter((e) => e.source === '医保');
  const others = win.filter((e) => e.source !== '医保');
  const medSum = medical.reduce((a, e) => a + (e.amount ?? 0), 0);
  const income = s.income.prmBasis?.total ?? s.income.lipBasis?.total ?? null;
  if (medical.length === 0) return { events: others, medicalUnknown: false };
  if (income === null) return { events: others, medicalUnknown: true };
  return { events: medSum > ctx.cfg.heavyMedicalShare * Math.max(income, 0) ? [...others, ...medical] : others, medicalUnknown: false };
}

/**
 * 防返贫 风险: sudden heavy spending or income loss (因病/因残/因灾/因意外/失业) in the
 * income window, or any of 住房/饮水/义务教育/基本医疗 not secured.
 */
export function rulePrmRisk(s: HouseholdSnapshot, ctx: RuleContext): RuleResult {
  const months = ctx.std.income_window_months.amount;
  const { events, medicalUnknown } = suddenEvents(s, ctx, months);
  const reasons: Reason[] = [];
  if (events.length > 0)
    reasons.push(
      reason('prm_risk', 'SUDDEN_EVENT', true, `近${months}个月发生: ${events.map((e) => `${e.source}${e.eventType}${e.date ? `(${e.date})` : ''}`).join('、')}`, { events, sudden: true }, ctx.std.income_window_months),
    );
  for (const k of ['housing', 'water', 'education', 'medical'] as const) {
    const ind = s.indicators[k];
    if (ind.value === false) reasons.push(reason('prm_risk', `${k.toUpperCase()}_NOT_SECURED`, true, `${INDICATOR_LABEL[k]}未保障`, { indicator: k, provenance: ind.provenance }));
  }
  if (reasons.length > 0) return { ruleId: 'prm_risk', decision: 'eligible', reasons };
  const unknownInds = (['housing', 'water', 'education', 'medical'] as const).filter((k) => s.indicators[k].value === null);
  if (unknownInds.length > 0 || medicalUnknown) {
    return {
      ruleId: 'prm_risk',
      decision: 'unknown',
      reasons: [
        reason(
          'prm_risk',
          'RISK_UNKNOWN',
          null,
          `${unknownInds.map((k) => INDICATOR_LABEL[k]).join('、')}${medicalUnknown ? (unknownInds.length ? '、' : '') + '大额医疗支出占收入比例' : ''} 情况不详`,
          { unknown: unknownInds, medicalUnknown },
        ),
      ],
    };
  }
  return { ruleId: 'prm_risk', decision: 'not_eligible', reasons: [reason('prm_risk', 'NO_RISK', false, `“三保障”和饮水安全均有保障，近${months}个月无突发困难事件`, {})] };
}

const previouslyPoor = (s: HouseholdSnapshot): boolean => (s.prm?.householdType ?? '').includes('脱贫户');

/** 监测对象类别: 脱贫户 at risk → 脱贫不稳定户; else below line → 边缘易致贫户; else sudden → 突发严重困难户. */
export function rulePrmType(s: HouseholdSnapshot, ctx: RuleContext, income = rulePrmIncome(s, ctx), risk = rulePrmRisk(s, ctx)): RuleResult {
  if (income.decision !== 'eligible' && risk.decision !== 'eligible') {
    const unk = income.decision === 'unknown' || risk.decision === 'unknown';
    return {
      ruleId: 'prm_type',
      decision: unk ? 'unknown' : 'not_eligible',
      reasons: [reason('prm_type', unk ? 'MONITORING_UNKNOWN' : 'NOT_MONITORING', unk ? null : false, unk ? '收入或风险信息不全，无法确定是否为监测对象' : '收入不低于监测标准且无风险，不是监测对象', {})],
    };
  }
  const poor = previouslyPoor(s);
  const type: PrmType = poor ? '脱贫不稳定户' : income.decision === 'eligible' ? '边缘易致贫户' : '突发严重困难户';
  const why = poor ? '脱贫户存在返贫风险' : income.decision === 'eligible' ? '一般农户人均纯收入低于监测标准' : '一般农户因突发事件或保障缺失出现严重困难';
  return {
    ruleId: 'prm_type',
    decision: 'eligible',
    type,
    reasons: [reason('prm_type', 'TYPE', true, `${why}，类别: ${type}`, { householdType: s.prm?.householdType ?? null, prmIncome: income.decision, prmRisk: risk.decision, type })],
  };
}

const isMonitored = (s: HouseholdSnapshot): boolean => !!s.prm && ((s.prm.householdType ?? '').includes('监测户') || !!s.prm.monitoringCategory);

/**
 * 风险消除: income ≥ line for ≥ stable_months (an assessment that old and all since
 * above the line), 三保障/饮水 secured, no sudden event in stable_months; a
 * household without labour capacity is never cleared (stays tracked).
 */
export function ruleRiskCleared(s: HouseholdSnapshot, ctx: RuleContext): RuleResult {
  const { std, cfg } = ctx;
  if (!isMonitored(s)) return combine('risk_cleared', [reason('risk_cleared', 'NOT_MONITORED', false, '不是防返贫监测对象', { householdType: s.prm?.householdType ?? null })]);
  const reasons: Reason[] = [];
  const each = prmScope(s).map((m) => noLabourCapacity(m, cfg));
  if (each.length > 0 && each.every((e) => e.value === true))
    reasons.push(reason('risk_cleared', 'NO_LABOUR_HOUSEHOLD', false, '无劳动能力家庭落实保障后不标注风险消除，持续跟踪', {}));
  else if (each.some((e) => e.value === false)) reasons.push(reason('risk_cleared', 'HAS_LABOUR', true, '家庭有劳动能力成员', {}));
  else reasons.push(reason('risk_cleared', 'LABOUR_UNKNOWN', null, '成员劳动能力不详', {}));

  const line = std.monitoring_line.amount;
  const months = std.stable_months.amount;
  const cur = s.income.prmBasis;
  const history = [...s.incomeHistory, ...(cur ? [{ date: s.asOf, perCapita: cur.perCapita }] : [])].sort((a, b) => a.date.localeCompare(b.date));
  const cutoff = addMonths(s.asOf, -months);
  const anchorIdx = history.map((h) => h.date <= cutoff).lastIndexOf(true);
  const hInputs = { history, line, cutoff };
  if (!cur) reasons.push(reason('risk_cleared', 'INCOME_UNKNOWN', null, '缺少当前人均纯收入', hInputs, std.monitoring_line));
  else if (cur.perCapita < line) reasons.push(reason('risk_cleared', 'INCOME_BELOW_LINE', false, `当前人均纯收入 ${yuan(cur.perCapita)} 低于监测标准 ${yuan(line)}`, hInputs, std.monitoring_line));
  else if (anchorIdx < 0) reasons.push(reason('risk_cleared', 'STABILITY_UNKNOWN', null, `没有 ${cutoff} 以前的收入评估，无法确认收入已稳定 ${months} 个月`, hInputs, std.stable_months));
  else if (history.slice(anchorIdx).every((h) => h.perCapita >= line))
    reasons.push(reason('risk_cleared', 'INCOME_STABLE', true, `人均纯收入自 ${history[anchorIdx].date} 起持续不低于监测标准 ${yuan(line)}(≥${months}个月)`, hInputs, std.stable_months));
  else reasons.push(reason('risk_cleared', 'INCOME_UNSTABLE', false, `近${months}个月内有评估低于监测标准 ${yuan(line)}`, hInputs, std.stable_months));

  for (const k of ['housing', 'water', 'education', 'medical'] as const) {
    const v = s.indicators[k].value;
    reasons.push(
      v === true
        ? reason('risk_cleared', `${k.toUpperCase()}_SECURED`, true, `${INDICATOR_LABEL[k]}有保障`, { provenance: s.indicators[k].provenance })
        : v === false
          ? reason('risk_cleared', `${k.toUpperCase()}_NOT_SECURED`, false, `${INDICATOR_LABEL[k]}未保障`, { provenance: s.indicators[k].provenance })
          : reason('risk_cleared', `${k.toUpperCase()}_UNKNOWN`, null, `${INDICATOR_LABEL[k]}情况不详`, {}),
    );
  }
  const { events, medicalUnknown } = suddenEvents(s, ctx, months);
  reasons.push(
    events.length > 0
      ? reason('risk_cleared', 'RECENT_RISK', false, `近${months}个月仍有风险事件: ${events.map((e) => `${e.source}${e.eventType}`).join('、')}`, { events }, std.stable_months)
      : medicalUnknown
        ? reason('risk_cleared', 'RECENT_RISK_UNKNOWN', null, '近期医疗支出是否属于大额刚性支出无法判断(收入不详)', {}, std.stable_months)
        : reason('risk_cleared', 'NO_RECENT_RISK', true, `近${months}个月无新增风险事件`, {}, std.stable_months),
  );
  return combine('risk_cleared', reasons);
}

export type RuleResults = Record<RuleId, RuleResult>;

/** Every rule over one snapshot, sharing intermediate results. */
export function runRules(s: HouseholdSnapshot, std: StandardSet, cfg: RulesConfig = DEFAULT_RULES_CONFIG): RuleResults {
  const ctx: RuleContext = { std, cfg };
  const dibao = ruleDibao(s, ctx);
  const tekun = ruleTekun(s, ctx);
  const edge = ruleDibaoEdge(s, ctx, dibao);
  const single = ruleDibaoSingle(s, ctx, edge);
  const rigid = ruleRigid(s, ctx, { dibao, tekun, edge });
  const prmIncome = rulePrmIncome(s, ctx);
  const prmRisk = rulePrmRisk(s, ctx);
  const prmType = rulePrmType(s, ctx, prmIncome, prmRisk);
  const cleared = ruleRiskCleared(s, ctx);
  return { dibao, dibao_single: single, tekun, dibao_edge: edge, rigid, prm_income: prmIncome, prm_risk: prmRisk, prm_type: prmType, risk_cleared: cleared };
}
