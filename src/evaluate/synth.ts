/**
 * Synthetic CFPS-shaped evaluation data (N = 5891 by default, seeded),
 * calibrated to the seed paper's Table 2 (covariate means per group) and
 * roughly to Table 3 (outcome means), with planted treatment effects on
 * wage_business_share and work_willing equal to the paper's Table 5 ATTs.
 *
 * Design: the group is drawn first with fixed shares, then covariates from
 * group-specific distributions (normal on the model scale with common
 * spread, Bernoulli for 0/1 columns), so P(group | X) is close to a
 * multinomial logit in the model's covariates and selection is on
 * observables only. Outcomes are Y = f(X) + τ_g + noise with f the same
 * for every group, so the true ATT of group g is exactly τ_g.
 * The paper does not report group sizes; SYNTH_GROUP_SHARES is our
 * assumption. As in the paper, PRM households (II, IV) have income ≥ 4000.
 */
import { stringify } from 'csv-stringify/sync';
import { makeRng, type SampleRng as Rng } from '../domain/rng.ts';
import type { EvalRow, Group, Region, TreatedGroup } from './types.ts';
import { REQUIRED_COLUMNS } from './parse.ts';

/** Assumed group sizes at N = 5891 (I, II, III, IV). */
export const SYNTH_GROUP_SIZES: Record<Group, number> = { I: 4237, II: 798, III: 521, IV: 335 };

/** Planted effects (true ATT vs group I) = the paper's Table 5 point estimates. */
export const PLANTED_ATT: Record<TreatedGroup, { wage_business_share: number; work_willing: number }> = {
  II: { wage_business_share: 0.057, work_willing: -0.016 },
  III: { wage_business_share: -0.037, work_willing: 0.048 },
  IV: { wage_business_share: -0.116, work_willing: 0.029 },
};

interface GroupParams {
  age: number;
  edu: number;
  healthy: number;
  party: number;
  size: number;
  was: number;
  income: number;
  expense: number;
  medical: number;
  assets: number;
  water: number;
  region: [number, number, number];
  /** Spread of ln income (tunes the VEP level, Table 3). */
  lnIncSd: number;
}

/** Table 2 of the paper, per group. */
const TABLE2: Record<Group, GroupParams> = {
  I: { age: 51.2, edu: 7.37, healthy: 0.72, party: 0.08, size: 3.83, was: 0.58, income: 25040.71, expense: 22455.87, medical: 0.08, assets: 20726.6, water: 0.26, region: [0.5, 0.26, 0.24], lnIncSd: 0.95 },
  II: { age: 51.15, edu: 7.03, healthy: 0.68, party: 0.06, size: 4.19, was: 0.68, income: 17917.48, expense: 17118.27, medical: 0.09, assets: 13040.6, water: 0.21, region: [0.24, 0.21, 0.55], lnIncSd: 0.7 },
  III: { age: 54.1, edu: 6.9, healthy: 0.69, party: 0.12, size: 4.2, was: 0.59, income: 18208.66, expense: 15858.32, medical: 0.1, assets: 15762.67, water: 0.28, region: [0.33, 0.3, 0.37], lnIncSd: 0.85 },
  IV: { age: 52.75, edu: 5.77, healthy: 0.66, party: 0.09, size: 4.2, was: 0.61, income: 14102.35, expense: 13015.06, medical: 0.09, assets: 7398.25, water: 0.24, region: [0.15, 0.22, 0.63], lnIncSd: 0.7 },
};

const clamp = (x: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, x));
const bern = (rng: Rng, p: number): 0 | 1 => (rng.next() < p ? 1 : 0);
const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;

function household(rng: Rng, g: Group, id: number): EvalRow {
  const t = TABLE2[g];
  const head_age = Math.round(clamp(t.age + 12 * rng.normal(), 18, 95));
  const head_edu_years = Math.round(clamp(t.edu + 3.8 * rng.normal(), 0, 19));
  const head_healthy = bern(rng, t.healthy);
  const head_party = bern(rng, t.party);
  const hh_size = Math.max(1, Math.round(t.size + 1.7 * rng.normal()));
  const working_age_share = round(clamp(t.was + 0.25 * rng.normal(), 0, 1), 3);
  const u = rng.next();
  const region: Region = u < t.region[0] ? 'east' : u < t.region[0] + t.region[1] ? 'central' : 'west';
  // ln income: group level + covariate effects + noise; lognormal mean matches Table 2.
  const sdInc = t.lnIncSd;
  let lnInc = 0;
  for (let tries = 0; tries < 50; tries++) {
    lnInc = Math.log(t.income) - (sdInc * sdInc) / 2 + 0.03 * (head_edu_years - t.edu) + 0.4 * (working_age_share - t.was) + 0.15 * (head_healthy - t.healthy) + sdInc * rng.normal();
    // PRM households under the 4000 line were dropped in the paper.
    if (!(g === 'II' || g === 'IV') || Math.exp(lnInc) >= 4000) break;
  }
  const income_pc = Math.max(Math.round(Math.exp(lnInc)), g === 'II' || g === 'IV' ? 4000 : 100);
  const dev = lnInc - (Math.log(t.income) - (sdInc * sdInc) / 2);
  const expense_pc = Math.max(200, Math.round(Math.exp(Math.log(t.expense) - (0.49 * sdInc * sdInc + 0.16) / 2 + 0.7 * dev + 0.4 * rng.normal())));
  const medical_share = round(clamp(t.medical + 0.08 * rng.normal(), 0, 0.9), 3);
  const lnAssetSd = 1.4;
  const fin_assets_pc = Math.max(0, Math.round(Math.exp(Math.log(t.assets) - (lnAssetSd * lnAssetSd) / 2 + 0.5 * dev + lnAssetSd * rng.normal()) - 1));
  const unsafe_water = bern(rng, t.water);
  // Outcomes: the same f(X) for every group, plus the planted effect.
  const west = region === 'west' ? 1 : 0;
  const f = clamp(0.8 + 0.3 * (working_age_share - 0.58) + 0.01 * (head_edu_years - 7.37) - 0.05 * (west - 0.24) + 0.03 * (head_healthy - 0.72), 0.2, 0.86);
  const tau = g === 'I' ? { wage_business_share: 0, work_willing: 0 } : PLANTED_ATT[g];
  const wage_business_share = round(f + tau.wage_business_share + 0.16 * (rng.next() - 0.5), 4);
  const p0 = clamp(0.87 + 0.1 * (working_age_share - 0.58) - 0.003 * (head_age - 51) + 0.03 * (head_healthy - 0.72), 0.6, 0.95);
  const work_willing = bern(rng, p0 + tau.work_willing);
  return {
    hh_id: `H${String(id).padStart(6, '0')}`,
    prm: g === 'II' || g === 'IV' ? 1 : 0,
    lip: g === 'III' || g === 'IV' ? 1 : 0,
    head_age,
    head_edu_years,
    head_healthy,
    head_party,
    hh_size,
    working_age_share,
    income_pc,
    expense_pc,
    medical_share,
    fin_assets_pc,
    unsafe_water,
    region,
    wage_business_share,
    work_willing,
  };
}

/** Generates `n` households (default 5891) with the paper's group mix. */
export function generateEvaluationSample(opts: { n?: number; seed?: number } = {}): EvalRow[] {
  const n = opts.n ?? 5891;
  const rng = makeRng(opts.seed ?? 2020);
  const total = 5891;
  const sizes: Array<[Group, number]> = (['II', 'III', 'IV'] as Group[]).map((g) => [g, Math.max(2, Math.round((SYNTH_GROUP_SIZES[g] / total) * n))]);
  const nI = Math.max(2, n - sizes.reduce((s, [, k]) => s + k, 0));
  const labels: Group[] = [];
  for (let i = 0; i < nI; i++) labels.push('I');
  for (const [g, k] of sizes) for (let i = 0; i < k; i++) labels.push(g);
  // Shuffle so groups are interleaved in the file (Fisher–Yates).
  for (let i = labels.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [labels[i], labels[j]] = [labels[j]!, labels[i]!];
  }
  return labels.map((g, i) => household(rng, g, i + 1));
}

/** The rows as an evaluation CSV (header = evaluation.md column names). */
export function evaluationCsv(rows: EvalRow[]): string {
  return stringify(
    rows.map((r) => REQUIRED_COLUMNS.map((c) => r[c])),
    { header: true, columns: [...REQUIRED_COLUMNS] },
  );
}
