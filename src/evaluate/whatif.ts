/**
 * What-if (统一标准模拟): apply a different standard set to the same households
 * and report who changes category, by township, the annual budget of cash
 * assistance, and the coverage of 防返贫监测对象 by the LIP platform.
 *
 * Scenario standards overlay the base: for each kind the scenario rows are
 * resolved alone (longest prefix, date in force); a kind the scenario does not
 * mention keeps the base value. So a scenario file needs only the changed rows,
 * e.g. `monitoring_line, '', 2024-01-01, 11880` (= 低保 × 1.5).
 *
 * Payment model (annual, 元; documented defaults, all from standards):
 * - 低保: 差额补助 = (低保标准 − 人均收入(民政口径)) per member per year, i.e.
 *   (monthly standard − monthly per-capita income) × members × 12; per-capita
 *   income below 0 counts as 0.
 * - 单人保: the full 低保标准 for each covered member (a one-person household
 *   without own income — the seriously ill or disabled member).
 * - 特困: 特困基本生活标准 = tekun_multiple × 低保标准 per member per year.
 * - 低保边缘: edge_payment_monthly × 12 per member (default 0: services, no cash).
 * - 刚性支出困难 / 其他 / 待核实 / 不属于: no cash in this model.
 * Coverage = share of households the unified rules make 防返贫监测对象 (prm_type
 * eligible under that standard set) that hold any LIP category (特困, 低保, 单人保,
 * 低边, 刚性, 其他). Also reported: the share covered today (LIP export status).
 * Pure.
 */
import { DEFAULT_RULES_CONFIG, type RulesConfig } from '../rules/config.ts';
import { identify, LIP_CATEGORIES, LIP_CATEGORY_LABELS, lipCategoryFromExport, type Identification, type LipCategory } from '../rules/identify.ts';
import type { HouseholdSnapshot } from '../rules/snapshot.ts';
import { isStandardKind, STANDARD_KINDS, standardsInForce, type Standard, type StandardSet } from '../rules/standards.ts';

export interface Budget {
  dibao: number;
  dibao_single: number;
  tekun: number;
  dibao_edge: number;
  total: number;
}

export interface Cell {
  from: LipCategory;
  to: LipCategory;
  households: number;
  persons: number;
}

export interface Coverage {
  /** 防返贫监测对象 (households) under this standard set. */
  monitored: number;
  /** Of those, households with a LIP category. */
  covered: number;
  share: number | null;
}

export interface TownshipRow {
  township: string;
  households: number;
  changedHouseholds: number;
  changedPersons: number;
  budgetBefore: number;
  budgetAfter: number;
  coverageBefore: Coverage;
  coverageAfter: Coverage;
}

export interface WhatIfReport {
  households: number;
  persons: number;
  matrix: Cell[];
  changedHouseholds: number;
  changedPersons: number;
  categoryCounts: { category: LipCategory; label: string; before: number; after: number; personsBefore: number; personsAfter: number }[];
  prmMonitoring: { before: number; after: number };
  budget: { before: Budget; after: Budget; delta: number; model: string };
  /** Sum of 保障金额 × 12 in the LIP export today (reference, not modelled). */
  currentPaymentsRecorded: number;
  coverage: { current: Coverage; before: Coverage; after: Coverage };
  byTownship: TownshipRow[];
  /** Standards the scenario changed (first household's region, for display). */
  changedStandards: { kind: string; before: number; after: number; source: string }[];
}

export const PAYMENT_MODEL =
  '低保: (低保标准 − 民政口径人均收入) × 成员数; 单人保: 低保标准 × 单独纳入人数; 特困: 特困倍数 × 低保标准 × 成员数; 低边: 低边月补助 × 12 × 成员数; 刚性支出困难、其他: 不计现金';

/** Scenario rows overlaid on the base set: each kind the scenario covers is taken from it. */
export function overlayStandards(base: StandardSet, scenario: readonly Standard[], regionCode: string, date: string): StandardSet {
  const out: StandardSet = { ...base };
  for (const kind of STANDARD_KINDS) {
    const rows = scenario.filter((s) => s.kind === kind);
    if (rows.length === 0) continue;
    // Resolve this kind alone: pad the other kinds with the base so the resolver does not complain.
    const pad: Standard[] = STANDARD_KINDS.filter((k) => k !== kind).map((k) => ({ kind: k, regionPrefix: '', amount: base[k].amount, validFrom: '0001-01-01', validTo: null, source: base[k].source, version: 0 }));
    try {
      out[kind] = standardsInForce([...rows, ...pad], regionCode, date)[kind];
    } catch {
      // no scenario row in force for this region/date: keep the base value
    }
  }
  return out;
}

/** Annual cash for one identification under its standards. */
export function annualPayment(id: Identification): Budget {
  const std = id.standards;
  const b: Budget = { dibao: 0, dibao_single: 0, tekun: 0, dibao_edge: 0, total: 0 };
  const gap = Math.max(0, std.dibao_annual.amount - Math.max(0, perCapitaLip(id)));
  switch (id.unified.lipCategory) {
    case 'dibao':
      b.dibao = gap * id.lipPersons;
      break;
    case 'dibao_single':
      // covered alone as a one-person household with no income of their own
      b.dibao_single = std.dibao_annual.amount * id.unified.lipCategoryPersons;
      break;
    case 'tekun':
      b.tekun = std.tekun_multiple.amount * std.dibao_annual.amount * id.lipPersons;
      break;
    case 'dibao_edge':
      b.dibao_edge = std.edge_payment_monthly.amount * 12 * id.lipPersons;
      break;
    default:
      break;
  }
  b.total = b.dibao + b.dibao_single + b.tekun + b.dibao_edge;
  return b;
}

/** 民政口径 per-capita income the 低保 rule used (0 when unknown; unknown households are never paid). */
function perCapitaLip(id: Identification): number {
  const r = id.results.dibao.reasons.find((x) => x.code === 'INCOME_BELOW' || x.code === 'INCOME_NOT_BELOW');
  return typeof r?.inputs.perCapita === 'number' ? r.inputs.perCapita : 0;
}

const addBudget = (a: Budget, b: Budget): Budget => ({
  dibao: a.dibao + b.dibao,
  dibao_single: a.dibao_single + b.dibao_single,
  tekun: a.tekun + b.tekun,
  dibao_edge: a.dibao_edge + b.dibao_edge,
  total: a.total + b.total,
});
const zero = (): Budget => ({ dibao: 0, dibao_single: 0, tekun: 0, dibao_edge: 0, total: 0 });
const round = (n: number): number => Math.round(n * 100) / 100;
const roundBudget = (b: Budget): Budget => ({ dibao: round(b.dibao), dibao_single: round(b.dibao_single), tekun: round(b.tekun), dibao_edge: round(b.dibao_edge), total: round(b.total) });

const hasLip = (c: LipCategory): boolean => c !== 'none' && c !== 'unknown';

export interface WhatIfOptions {
  cfg?: RulesConfig;
  /** Progress callback (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** What the aggregation keeps of one identification (full reasons are dropped at once, so memory stays flat). */
interface Compact {
  category: LipCategory;
  persons: number;
  categoryPersons: number;
  payment: Budget;
  monitored: boolean;
}

function compact(id: Identification): Compact {
  return { category: id.unified.lipCategory, persons: id.lipPersons, categoryPersons: id.unified.lipCategoryPersons, payment: annualPayment(id), monitored: id.unified.prmMonitoring === 'eligible' };
}

function coverageOfCompact(rows: { monitored: boolean; covered: boolean }[]): Coverage {
  const mon = rows.filter((r) => r.monitored);
  const cov = mon.filter((r) => r.covered).length;
  return { monitored: mon.length, covered: cov, share: mon.length ? Math.round((cov / mon.length) * 10000) / 10000 : null };
}

/**
 * Runs the unified rules twice per household — base standards in force vs the
 * scenario overlay — and aggregates the shifts. Only a compact record per
 * household is kept, so memory grows with the number of households, not reasons.
 */
export function whatIf(snapshots: readonly HouseholdSnapshot[], base: readonly Standard[], scenario: readonly Standard[], opts: WhatIfOptions = {}): WhatIfReport {
  const cfg = opts.cfg ?? DEFAULT_RULES_CONFIG;
  for (const s of scenario) if (!isStandardKind(s.kind)) throw new Error(`unknown standard kind ${s.kind}`);
  const cache = new Map<string, { b: StandardSet; a: StandardSet }>();
  const rows: { b: Compact; a: Compact; township: string; currentCovered: boolean }[] = [];
  let changedStandards: WhatIfReport['changedStandards'] = [];
  let recorded = 0;
  snapshots.forEach((s, i) => {
    const key = `${s.regionCode}|${s.asOf}`;
    let sets = cache.get(key);
    if (!sets) {
      const b = standardsInForce(base, s.regionCode, s.asOf);
      sets = { b, a: overlayStandards(b, scenario, s.regionCode, s.asOf) };
      cache.set(key, sets);
      if (i === 0) {
        const { b: sb, a: sa } = sets;
        changedStandards = STANDARD_KINDS.filter((k) => sb[k].amount !== sa[k].amount).map((k) => ({ kind: k, before: sb[k].amount, after: sa[k].amount, source: sa[k].source }));
      }
    }
    const active = !!s.lip && lipCategoryFromExport(s.lip.personCategory, s.lip.assistanceStatus) !== 'none';
    if (s.lip && !/停保|退出/.test(s.lip.assistanceStatus ?? '')) recorded += (s.lip.benefitMonthly ?? 0) * 12;
    rows.push({ b: compact(identify(s, sets.b, cfg)), a: compact(identify(s, sets.a, cfg)), township: s.township ?? '(乡镇不详)', currentCovered: active });
    opts.onProgress?.(i + 1, snapshots.length);
  });

  const matrix = new Map<string, Cell>();
  const counts = new Map<LipCategory, { before: number; after: number; personsBefore: number; personsAfter: number }>(LIP_CATEGORIES.map((c) => [c, { before: 0, after: 0, personsBefore: 0, personsAfter: 0 }]));
  const towns = new Map<string, typeof rows>();
  let budgetBefore = zero();
  let budgetAfter = zero();
  let changedH = 0;
  let changedP = 0;
  let persons = 0;
  for (const r of rows) {
    const { b, a } = r;
    persons += b.persons;
    const key = `${b.category}>${a.category}`;
    const cell = matrix.get(key) ?? { from: b.category, to: a.category, households: 0, persons: 0 };
    cell.households += 1;
    cell.persons += b.persons;
    matrix.set(key, cell);
    const cb = counts.get(b.category)!;
    cb.before += 1;
    cb.personsBefore += b.categoryPersons;
    const ca = counts.get(a.category)!;
    ca.after += 1;
    ca.personsAfter += a.categoryPersons;
    if (b.category !== a.category) {
      changedH += 1;
      changedP += b.persons;
    }
    budgetBefore = addBudget(budgetBefore, b.payment);
    budgetAfter = addBudget(budgetAfter, a.payment);
    const t = towns.get(r.township) ?? [];
    t.push(r);
    towns.set(r.township, t);
  }

  const byTownship: TownshipRow[] = [...towns.entries()]
    .map(([township, rs]) => {
      const changed = rs.filter((r) => r.b.category !== r.a.category);
      return {
        township,
        households: rs.length,
        changedHouseholds: changed.length,
        changedPersons: changed.reduce((acc, r) => acc + r.b.persons, 0),
        budgetBefore: round(rs.reduce((acc, r) => acc + r.b.payment.total, 0)),
        budgetAfter: round(rs.reduce((acc, r) => acc + r.a.payment.total, 0)),
        coverageBefore: coverageOfCompact(rs.map((r) => ({ monitored: r.b.monitored, covered: hasLip(r.b.category) }))),
        coverageAfter: coverageOfCompact(rs.map((r) => ({ monitored: r.a.monitored, covered: hasLip(r.a.category) }))),
      };
    })
    .sort((x, y) => x.township.localeCompare(y.township, 'zh-CN'));

  return {
    households: snapshots.length,
    persons,
    matrix: [...matrix.values()].sort((x, y) => LIP_CATEGORIES.indexOf(x.from) - LIP_CATEGORIES.indexOf(y.from) || LIP_CATEGORIES.indexOf(x.to) - LIP_CATEGORIES.indexOf(y.to)),
    changedHouseholds: changedH,
    changedPersons: changedP,
    categoryCounts: LIP_CATEGORIES.map((c) => ({ category: c, label: LIP_CATEGORY_LABELS[c], ...counts.get(c)! })),
    prmMonitoring: { before: rows.filter((r) => r.b.monitored).length, after: rows.filter((r) => r.a.monitored).length },
    budget: { before: roundBudget(budgetBefore), after: roundBudget(budgetAfter), delta: round(budgetAfter.total - budgetBefore.total), model: PAYMENT_MODEL },
    currentPaymentsRecorded: round(recorded),
    coverage: {
      current: coverageOfCompact(rows.map((r) => ({ monitored: r.b.monitored, covered: r.currentCovered }))),
      before: coverageOfCompact(rows.map((r) => ({ monitored: r.b.monitored, covered: hasLip(r.b.category) }))),
      after: coverageOfCompact(rows.map((r) => ({ monitored: r.a.monitored, covered: hasLip(r.a.category) }))),
    },
    byTownship,
    changedStandards,
  };
}
