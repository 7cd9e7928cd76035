import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateCsvText, runEvaluation, type EvaluationReport } from './evaluate.ts';
import { evaluationCsv, generateEvaluationSample, PLANTED_ATT } from './synth.ts';
import { OUTCOMES, TREATED_GROUPS } from './types.ts';

const FIXTURE = join(import.meta.dirname, '../../test/fixtures/evaluate/cfps-like-5891.csv');
const REFERENCE = join(import.meta.dirname, '../../test/fixtures/evaluate/cfps-like-5891.reference.json');
const SCRIPT = join(import.meta.dirname, '../../scripts/evaluate_reference.py');

interface Reference {
  n: number;
  groups: Record<string, { n: number; vep_mean: number }>;
  off_support: Record<string, number>;
  att: Record<string, Record<string, { att: number; se: number; n_treated: number; n_matched_controls: number }>>;
  balance: Record<string, Array<{ variable: string; treated: number; control: number; std_bias: number; p: number }>>;
}

function compareToReference(rep: EvaluationReport, ref: Reference): void {
  expect(rep.n).toBe(ref.n);
  for (const g of TREATED_GROUPS) {
    expect(rep.off_support[g]).toBe(ref.off_support[g]);
    for (const o of OUTCOMES) {
      const a = rep.att[g][o];
      const b = ref.att[g]![o]!;
      expect(Math.abs(a.att - b.att), `${g} ${o} att`).toBeLessThanOrEqual(0.003);
      expect(Math.abs(a.se - b.se), `${g} ${o} se`).toBeLessThanOrEqual(0.003);
      expect(a.n_treated).toBe(b.n_treated);
      expect(a.n_matched_controls).toBe(b.n_matched_controls);
    }
    ref.balance[g]!.forEach((b) => {
      const a = rep.balance[g].find((r) => r.variable === b.variable)!;
      expect(a.treated).toBeCloseTo(b.treated, 6);
      expect(a.control).toBeCloseTo(b.control, 6);
      expect(a.std_bias).toBeCloseTo(b.std_bias, 4);
      expect(a.p).toBeCloseTo(b.p, 4);
    });
  }
  for (const g of ['I', 'II', 'III', 'IV'] as const) {
    expect(rep.groups[g].n).toBe(ref.groups[g]!.n);
    expect(Math.abs(rep.groups[g].vep_mean - ref.groups[g]!.vep_mean)).toBeLessThan(1e-6);
  }
}

function allNumbersFinite(v: unknown, path = '$'): string[] {
  if (typeof v === 'number') return Number.isFinite(v) ? [] : [path];
  if (v === null) return [path];
  if (Array.isArray(v)) return v.flatMap((x, i) => allNumbersFinite(x, `${path}[${i}]`));
  if (typeof v === 'object') return Object.entries(v as object).flatMap(([k, x]) => allNumbersFinite(x, `${path}.${k}`));
  return [];
}

describe('evaluation on CFPS-shaped data with planted effects', { timeout: 180_000 }, () => {
  for (const seed of [2020, 7]) {
    it(`recovers the planted ATTs within sampling error (seed ${seed})`, () => {
      const rows = generateEvaluationSample({ seed });
      const { report } = runEvaluation(rows);
      expect(report.mlogit.converged).toBe(true);
      for (const g of TREATED_GROUPS) {
        for (const o of ['wage_business_share', 'work_willing'] as const) {
          const c = report.att[g][o];
          const z = (c.att - PLANTED_ATT[g][o]) / c.se;
          expect(Math.abs(z), `${g} ${o}: att ${c.att}, planted ${PLANTED_ATT[g][o]}, se ${c.se}`).toBeLessThan(3.5);
        }
      }
      // The raw group difference is biased (selection on observables); matching removes it.
      const naiveIV = report.groups.IV.wage_business_share_mean - report.groups.I.wage_business_share_mean;
      expect(Math.abs(naiveIV - PLANTED_ATT.IV.wage_business_share)).toBeGreaterThan(
        Math.abs(report.att.IV.wage_business_share.att - PLANTED_ATT.IV.wage_business_share),
      );
    });
  }

  it('matches the outputs.md shape, balances the covariates, and has no NaN/null anywhere', () => {
    const { report } = runEvaluation(generateEvaluationSample({ seed: 11 }), { bootstrap: 50, seed: 3 });
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['n', 'poverty_line', 'caliper', 'excluded_rows', 'groups', 'off_support', 'att', 'balance']));
    expect(report.n).toBe(5891);
    expect(report.poverty_line).toBe(4000);
    expect(report.caliper).toBe(0.05);
    expect(report.groups.I.n + report.groups.II.n + report.groups.III.n + report.groups.IV.n).toBe(5891);
    for (const g of TREATED_GROUPS) {
      expect(report.off_support[g] + report.att[g].vep.n_treated).toBe(report.groups[g].n);
      for (const o of OUTCOMES) {
        const c = report.att[g][o];
        expect(c.se).toBeGreaterThan(0);
        expect(c.se_bootstrap).toBeGreaterThan(0);
        expect(c.ci_low).toBeLessThan(c.att);
        expect(c.ci_high).toBeGreaterThan(c.att);
      }
      expect(report.balance[g].slice(0, 13).map((r) => r.variable)).toEqual([
        'head_age', 'head_edu_years', 'head_healthy', 'head_party', 'hh_size', 'working_age_share', 'ln_expense_pc',
        'medical_share', 'ln_fin_assets_pc', 'unsafe_water', 'central', 'west', 'ln_income_pc',
      ]);
      // After matching every model covariate is within 15% standardized bias, and the mean bias falls by more than half.
      const rows13 = report.balance[g].slice(0, 13);
      for (const r of rows13) expect(Math.abs(r.std_bias), `${g} ${r.variable}`).toBeLessThan(15);
      const meanAbs = (k: 'std_bias' | 'std_bias_before'): number => rows13.reduce((s, r) => s + Math.abs(r[k]), 0) / rows13.length;
      expect(meanAbs('std_bias')).toBeLessThan(meanAbs('std_bias_before') / 2);
      const h = report.histograms[g];
      expect(h.treated.reduce((s, x) => s + x, 0)).toBe(report.groups[g].n);
      expect(h.control.reduce((s, x) => s + x, 0)).toBe(report.groups.I.n);
    }
    expect(allNumbersFinite(JSON.parse(JSON.stringify(report)))).toEqual([]);
    // VEP is a probability.
    for (const g of ['I', 'II', 'III', 'IV'] as const) {
      expect(report.groups[g].vep_mean).toBeGreaterThan(0);
      expect(report.groups[g].vep_mean).toBeLessThan(1);
    }
  });

  it('bootstrap SE is reproducible from the seed and never replaces se', () => {
    const rows = generateEvaluationSample({ n: 2000, seed: 4 });
    const a = runEvaluation(rows, { bootstrap: 30, seed: 9 }).report;
    const b = runEvaluation(rows, { bootstrap: 30, seed: 9 }).report;
    const c = runEvaluation(rows).report;
    expect(a.att.II.vep.se_bootstrap).toBe(b.att.II.vep.se_bootstrap);
    expect(a.att.II.vep.se).toBe(c.att.II.vep.se);
    expect(c.att.II.vep.se_bootstrap).toBeUndefined();
  });

  it('--drop-incomplete counts only used rows and lists the excluded ones', () => {
    const rows = generateEvaluationSample({ n: 1500, seed: 5 });
    const lines = evaluationCsv(rows).trimEnd().split('\n');
    lines[10] = lines[10]!.replace(/,(east|central|west),/, ',north,');
    const text = `${lines.join('\n')}\n`;
    expect(() => evaluateCsvText(text)).toThrow(/第 10 行 region/);
    const { report } = evaluateCsvText(text, { dropIncomplete: true });
    expect(report.n).toBe(1499);
    expect(report.excluded_rows).toEqual([{ row: 10, column: 'region', reason: expect.stringContaining('north') }]);
  });

  it('--vep-with-groups adds group dummies to both VEP equations', () => {
    const rows = generateEvaluationSample({ n: 2000, seed: 6 });
    const r = runEvaluation(rows, { vepWithGroups: true }).report;
    expect(r.vep_model.with_groups).toBe(true);
    expect(r.vep_model.income_equation.map((x) => x.variable)).toContain('group_IV');
    expect(r.vep_model.variance_equation.map((x) => x.variable)).toContain('group_IV');
  });
});

describe('agreement with the independent numpy/scipy implementation (scripts/evaluate_reference.py)', { timeout: 180_000 }, () => {
  const csv = readFileSync(FIXTURE, 'utf8');
  const { report } = evaluateCsvText(csv);

  it('committed reference JSON: every ATT within 0.003 (runs without python)', () => {
    compareToReference(report, JSON.parse(readFileSync(REFERENCE, 'utf8')) as Reference);
  });

  const probe = spawnSync('python3', ['-c', 'import numpy, scipy'], { stdio: 'ignore' });
  const hasPython = probe.status === 0;
  it(`live python run on a fresh sample and caliper 0.02 (${hasPython ? 'python3+numpy+scipy found' : 'python3/numpy/scipy NOT available: this check only asserts that'})`, () => {
    if (!hasPython) {
      expect(probe.status).not.toBe(0);
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'binku-eval-'));
    const file = join(dir, 'sample.csv');
    writeFileSync(file, evaluationCsv(generateEvaluationSample({ n: 3000, seed: 99 })));
    const out = execFileSync('python3', [SCRIPT, file, '--caliper', '0.02'], { encoding: 'utf8', maxBuffer: 1 << 26 });
    const live = evaluateCsvText(readFileSync(file, 'utf8'), { caliper: 0.02 }).report;
    compareToReference(live, JSON.parse(out) as Reference);
  }, 180_000);
});

describe('degenerate data', { timeout: 120_000 }, () => {
  it('no common support (a covariate decides group IV) gives zeros, a warning, and still no NaN', () => {
    const rows = generateEvaluationSample({ n: 800, seed: 3 }).map((r) => ({ ...r, head_party: (r.prm && r.lip ? 1 : 0) as 0 | 1 }));
    const { report } = runEvaluation(rows);
    expect(report.att.IV.vep.n_treated).toBe(0);
    expect(report.off_support.IV).toBe(report.groups.IV.n);
    expect(report.warnings.join(' ')).toContain('IV 类没有处于共同支撑内的家庭');
    expect(allNumbersFinite({ ...report, bootstrap: 0 })).toEqual([]);
  });
  it('a covariate constant in the data (all east) still estimates', () => {
    const rows = generateEvaluationSample({ n: 800, seed: 3 }).map((r) => ({ ...r, region: 'east' as const }));
    const { report } = runEvaluation(rows);
    expect(report.mlogit.converged).toBe(true);
    expect(allNumbersFinite({ ...report, bootstrap: 0 })).toEqual([]);
  });
});
