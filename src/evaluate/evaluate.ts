/**
 * The paper's four-group analysis end to end (evaluation.md steps 1–4):
 * VEP by CJS FGLS, multinomial-logit propensity, Lechner pairwise scores,
 * radius matching against group I, ATT with psmatch2 SE (+ optional seeded
 * bootstrap), off-support counts, balance table. Pure: rows in, report out.
 */
import { BinkuError } from '../domain/errors.ts';
import { balanceRow, type BalanceRow } from './balance.ts';
import type { Design } from './linalg.ts';
import { coefficientTable, fitMlogit } from './mlogit.ts';
import { attFromMatch, bootstrapAtt, radiusMatch, type AttEstimate } from './psm.ts';
import { makeRng } from '../domain/rng.ts';
import { mean, stars, zTwoSidedP } from './stats.ts';
import {
  GROUPS,
  OUTCOMES,
  TREATED_GROUPS,
  groupOf,
  type EvalRow,
  type EvaluateOptions,
  type ExcludedRow,
  type Group,
  type Outcome,
  type TreatedGroup,
} from './types.ts';
import { estimateVep } from './vep.ts';
import { parseEvaluationCsv } from './parse.ts';

/** Covariates of the income equation (Table 2 minus income), after the intercept. */
export const X_VARIABLES = [
  'head_age',
  'head_edu_years',
  'head_healthy',
  'head_party',
  'hh_size',
  'working_age_share',
  'ln_expense_pc',
  'medical_share',
  'ln_fin_assets_pc',
  'unsafe_water',
  'central',
  'west',
] as const;
/** Balance-table variables (Table 4), in order. */
export const BALANCE_VARIABLES = [...X_VARIABLES, 'ln_income_pc'] as const;
/** Raw-amount rows shown after the balance variables (display only). */
export const BALANCE_DISPLAY_VARIABLES = ['income_pc', 'expense_pc', 'fin_assets_pc'] as const;
/** Descriptive variables (Tables 2–3) in raw units. */
export const DESCRIPTIVE_VARIABLES = [
  'head_age',
  'head_edu_years',
  'head_healthy',
  'head_party',
  'hh_size',
  'working_age_share',
  'income_pc',
  'expense_pc',
  'medical_share',
  'fin_assets_pc',
  'unsafe_water',
  'east',
  'central',
  'west',
] as const;

/** Value of a derived or raw variable for one household. */
export function variableValue(r: EvalRow, v: string): number {
  switch (v) {
    case 'ln_expense_pc':
      return Math.log(r.expense_pc);
    case 'ln_fin_assets_pc':
      return Math.log(1 + r.fin_assets_pc);
    case 'ln_income_pc':
      return Math.log(r.income_pc);
    case 'east':
      return r.region === 'east' ? 1 : 0;
    case 'central':
      return r.region === 'central' ? 1 : 0;
    case 'west':
      return r.region === 'west' ? 1 : 0;
    default:
      return (r as unknown as Record<string, number>)[v]!;
  }
}

/** All variables as columns, computed once (n can be 10⁵). */
function columnsOf(rows: EvalRow[]): (v: string) => Float64Array {
  const cache = new Map<string, Float64Array>();
  return (v) => {
    let c = cache.get(v);
    if (!c) {
      c = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) c[i] = variableValue(rows[i]!, v);
      cache.set(v, c);
    }
    return c;
  };
}

function design(n: number, col: (v: string) => Float64Array, vars: readonly string[], extra: Float64Array[] = [], extraNames: string[] = []): Design {
  const names = ['intercept', ...vars, ...extraNames];
  const p = names.length;
  const X = new Float64Array(n * p);
  const cs = [...vars.map(col), ...extra];
  for (let i = 0; i < n; i++) X[i * p] = 1;
  cs.forEach((c, a) => {
    for (let i = 0; i < n; i++) X[i * p + 1 + a] = c[i]!;
  });
  return { X, n, p, names };
}

function gather(c: Float64Array, idx: number[]): Float64Array {
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = c[idx[k]!]!;
  return out;
}

/** One ATT cell of the report: the estimate plus its test and intervals. */
export interface AttCell extends AttEstimate {
  z: number;
  p: number;
  stars: string;
  ci_low: number;
  ci_high: number;
  se_bootstrap?: number;
  ci_bootstrap_low?: number;
  ci_bootstrap_high?: number;
}

export interface CoefRow {
  variable: string;
  coef: number;
  se: number;
  z: number;
  p: number;
}

export interface EvaluationReport {
  n: number;
  poverty_line: number;
  caliper: number;
  excluded_rows: ExcludedRow[];
  groups: Record<Group, { n: number; vep_mean: number; wage_business_share_mean: number; work_willing_mean: number; means: Record<string, number> }>;
  off_support: Record<TreatedGroup, number>;
  att: Record<TreatedGroup, Record<Outcome, AttCell>>;
  balance: Record<TreatedGroup, BalanceRow[]>;
  mlogit: {
    converged: boolean;
    iterations: number;
    log_likelihood: number;
    log_likelihood_null: number;
    pseudo_r2: number;
    gradient_max_abs: number;
    n: number;
    base: 'I';
    coefficients: Record<TreatedGroup, CoefRow[]>;
  };
  vep_model: { with_groups: boolean; income_equation: Array<{ variable: string; coef: number }>; variance_equation: Array<{ variable: string; coef: number }> };
  histograms: Record<TreatedGroup, { edges: number[]; treated: number[]; control: number[]; off_support: number[] }>;
  bootstrap: { replicates: number; seed: number } | null;
  /** Problems an analyst should read before trusting the numbers (Chinese). */
  warnings: string[];
}

export interface HouseholdResult {
  hh_id: string;
  group: Group;
  vep: number;
  /** mlogit probabilities p_I … p_IV. */
  probs: [number, number, number, number];
}

export interface EvaluationResult {
  report: EvaluationReport;
  households: HouseholdResult[];
}

const Z95 = 1.959963984540054;

function histogram(values: number[], bins: number): number[] {
  const out = new Array<number>(bins).fill(0);
  for (const v of values) out[Math.min(bins - 1, Math.max(0, Math.floor(v * bins)))]!++;
  return out;
}

/** Runs the whole analysis on validated rows. */
export function runEvaluation(rows: EvalRow[], opts: EvaluateOptions = {}, excluded: ExcludedRow[] = []): EvaluationResult {
  const povertyLine = opts.povertyLine ?? 4000;
  const caliper = opts.caliper ?? 0.05;
  const reps = opts.bootstrap ?? 0;
  const seed = opts.seed ?? 1;
  const bins = opts.histogramBins ?? 20;
  if (!(povertyLine > 0)) throw new BinkuError('BK_EVALUATE_BAD_OPTION', '贫困线必须大于 0', { en: 'poverty line must be > 0' });
  if (!(caliper > 0)) throw new BinkuError('BK_EVALUATE_BAD_OPTION', '卡尺必须大于 0', { en: 'caliper must be > 0' });
  if (!Number.isInteger(reps) || reps < 0) throw new BinkuError('BK_EVALUATE_BAD_OPTION', 'bootstrap 次数必须是非负整数', { en: 'bootstrap must be a non-negative integer' });

  const group = rows.map(groupOf);
  const gIndex = Uint8Array.from(group, (g) => GROUPS.indexOf(g));
  const counts = { I: 0, II: 0, III: 0, IV: 0 } as Record<Group, number>;
  for (const g of group) counts[g]++;
  for (const g of GROUPS) {
    if (counts[g] < 2) {
      throw new BinkuError('BK_EVALUATE_GROUP_TOO_SMALL', `${g} 类家庭不足 2 户（${counts[g]} 户），无法比较`, {
        en: `group ${g} has fewer than 2 households`,
        details: { group: g, n: counts[g] },
      });
    }
  }

  // 1. VEP
  const withGroups = opts.vepWithGroups ?? false;
  const col = columnsOf(rows);
  const n = rows.length;
  const dummies = (['II', 'III', 'IV'] as const).map((g) => Float64Array.from(group, (x) => (x === g ? 1 : 0)));
  const dx = withGroups ? design(n, col, X_VARIABLES, dummies, ['group_II', 'group_III', 'group_IV']) : design(n, col, X_VARIABLES);
  if (rows.length <= dx.p + 2) throw new BinkuError('BK_EVALUATE_TOO_FEW_ROWS', `样本过少（${rows.length} 户）`, { en: 'too few rows' });
  const lnInc = col('ln_income_pc');
  const vep = estimateVep(dx, lnInc, povertyLine);

  // 2. Propensity: mlogit on X + ln income, group I = base.
  const dm = design(n, col, BALANCE_VARIABLES);
  const fit = fitMlogit(dm, gIndex, 4);

  const outcomeCol = (o: Outcome): Float64Array => (o === 'vep' ? vep.vep : col(o));
  const controls: number[] = [];
  for (let i = 0; i < rows.length; i++) if (group[i] === 'I') controls.push(i);

  const off_support = {} as Record<TreatedGroup, number>;
  const att = {} as Record<TreatedGroup, Record<Outcome, AttCell>>;
  const balance = {} as Record<TreatedGroup, BalanceRow[]>;
  const hist = {} as EvaluationReport['histograms'];
  const rng = makeRng(seed);
  for (const g of TREATED_GROUPS) {
    const gi = GROUPS.indexOf(g);
    const treated: number[] = [];
    for (let i = 0; i < rows.length; i++) if (group[i] === g) treated.push(i);
    // 3. Lechner pairwise score e_g = p_g / (p_g + p_I).
    const score = (i: number): number => {
      const pg = fit.probs[i * 4 + gi]!;
      const p0 = fit.probs[i * 4]!;
      return pg + p0 > 0 ? pg / (pg + p0) : 0;
    };
    const eT = treated.map(score);
    const eC = controls.map(score);
    const m = radiusMatch(eT, eC, caliper);
    off_support[g] = m.offSupport;
    const yT = OUTCOMES.map((o) => gather(outcomeCol(o), treated));
    const yC = OUTCOMES.map((o) => gather(outcomeCol(o), controls));
    const bootSe = reps > 0 ? bootstrapAtt(m, yT, yC, reps, rng) : undefined;
    att[g] = {} as Record<Outcome, AttCell>;
    OUTCOMES.forEach((o, k) => {
      const est = attFromMatch(m, yT[k]!, yC[k]!);
      const z = est.se > 0 ? est.att / est.se : 0;
      const p = est.se > 0 ? zTwoSidedP(z) : 1;
      const cell: AttCell = {
        ...est,
        z,
        p,
        stars: stars(p),
        ci_low: est.att - Z95 * est.se,
        ci_high: est.att + Z95 * est.se,
      };
      if (bootSe) {
        cell.se_bootstrap = bootSe[k]!;
        cell.ci_bootstrap_low = est.att - Z95 * bootSe[k]!;
        cell.ci_bootstrap_high = est.att + Z95 * bootSe[k]!;
      }
      att[g][o] = cell;
    });
    // 4. Balance.
    balance[g] = [...BALANCE_VARIABLES, ...BALANCE_DISPLAY_VARIABLES].map((v) =>
      balanceRow(v, gather(col(v), treated), gather(col(v), controls), m),
    );
    const offScores: number[] = [];
    const onSet = new Set(m.onSupport);
    eT.forEach((e, t) => {
      if (!onSet.has(t)) offScores.push(e);
    });
    hist[g] = {
      edges: Array.from({ length: bins + 1 }, (_, b) => b / bins),
      treated: histogram(eT, bins),
      control: histogram(eC, bins),
      off_support: histogram(offScores, bins),
    };
  }

  const groups = {} as EvaluationReport['groups'];
  for (const g of GROUPS) {
    const idx: number[] = [];
    for (let i = 0; i < rows.length; i++) if (group[i] === g) idx.push(i);
    const means: Record<string, number> = {};
    for (const v of DESCRIPTIVE_VARIABLES) means[v] = mean(gather(col(v), idx));
    groups[g] = {
      n: idx.length,
      vep_mean: mean(gather(vep.vep, idx)),
      wage_business_share_mean: mean(gather(col('wage_business_share'), idx)),
      work_willing_mean: mean(gather(col('work_willing'), idx)),
      means,
    };
  }

  const coefficients = {} as Record<TreatedGroup, CoefRow[]>;
  TREATED_GROUPS.forEach((g, k) => (coefficients[g] = coefficientTable(fit, dm.names, k + 1)));

  const warnings: string[] = [];
  if (!fit.converged) warnings.push(`多项 Logit 在 ${fit.iterations} 次迭代内未收敛，倾向得分可能不可靠`);
  if (fit.beta.some((b) => Math.abs(b) > 25)) warnings.push('多项 Logit 有系数绝对值超过 25，可能存在完全分离（某变量几乎决定组别）');
  for (const g of TREATED_GROUPS) {
    const nT = att[g].vep.n_treated;
    if (nT === 0) warnings.push(`${g} 类没有处于共同支撑内的家庭，ATT 无法估计（记为 0，标准误 0）`);
    else if (off_support[g] > 0.2 * counts[g]) warnings.push(`${g} 类有 ${off_support[g]} 户（${((100 * off_support[g]) / counts[g]).toFixed(0)}%）不在共同支撑内`);
  }
  const report: EvaluationReport = {
    n: rows.length,
    poverty_line: povertyLine,
    caliper,
    excluded_rows: excluded,
    groups,
    off_support,
    att,
    balance,
    mlogit: {
      converged: fit.converged,
      iterations: fit.iterations,
      log_likelihood: fit.logLik,
      log_likelihood_null: fit.logLikNull,
      pseudo_r2: fit.pseudoR2,
      gradient_max_abs: fit.gradientMaxAbs,
      n: rows.length,
      base: 'I',
      coefficients,
    },
    vep_model: {
      with_groups: withGroups,
      income_equation: dx.names.map((variable, a) => ({ variable, coef: vep.beta[a]! })),
      variance_equation: dx.names.map((variable, a) => ({ variable, coef: vep.theta[a]! })),
    },
    histograms: hist,
    bootstrap: reps > 0 ? { replicates: reps, seed } : null,
    warnings,
  };
  const households: HouseholdResult[] = rows.map((r, i) => ({
    hh_id: r.hh_id,
    group: group[i]!,
    vep: vep.vep[i]!,
    probs: [fit.probs[i * 4]!, fit.probs[i * 4 + 1]!, fit.probs[i * 4 + 2]!, fit.probs[i * 4 + 3]!],
  }));
  return { report: sanitizeJson(report), households };
}

/** Last line of defence for "never NaN/Infinity in the JSON": non-finite numbers become null. */
export function sanitizeJson<T>(v: T): T {
  const walk = (x: unknown): unknown => {
    if (typeof x === 'number') return Number.isFinite(x) ? x : null;
    if (Array.isArray(x)) return x.map(walk);
    if (x && typeof x === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, val] of Object.entries(x)) o[k] = walk(val);
      return o;
    }
    return x;
  };
  return walk(v) as T;
}

/** Parses the evaluation CSV and runs the analysis (the CLI and HTTP entry point). */
export function evaluateCsvText(text: string, opts: EvaluateOptions & { dropIncomplete?: boolean } = {}): EvaluationResult {
  const parsed = parseEvaluationCsv(text, { dropIncomplete: opts.dropIncomplete });
  return runEvaluation(parsed.rows, opts, parsed.excluded);
}
