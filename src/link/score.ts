/**
 * Scores a merge against a demo county's ground truth (truth.json): pairing
 * precision/recall and category counts. Used by the end-to-end test and
 * `bench/merge.bench.ts`.
 */
import type { Db } from '../db/dialect.ts';
import type { DemoTruth } from '../demo/index.ts';
import { coverageReport, type CoverageReport } from './coverage.ts';

export interface LinkScore {
  pairings: { truth: number; found: number; truePositive: number; precision: number; recall: number };
  falsePairings: string[];
  missedPairings: string[];
  counts: Pick<CoverageReport, 'households' | 'persons' | 'prm_households' | 'lip_households' | 'prm_in_lip_share' | 'lip_in_prm_share'>;
  truthCounts: DemoTruth['counts'];
}

export async function scoreAgainstTruth(db: Db, truth: DemoTruth): Promise<LinkScore> {
  const rows = await db
    .selectFrom('household_pairing')
    .select(['prm_household_no', 'lip_family_no'])
    .where('county_code', '=', truth.county.code)
    .where('prm_household_no', 'is not', null)
    .where('lip_family_no', 'is not', null)
    .execute();
  const found = new Set(rows.map((r) => `${r.prm_household_no}|${r.lip_family_no}`));
  const want = new Set(truth.pairings.map((p) => `${p.prm_household_no}|${p.lip_family_no}`));
  const tp = [...found].filter((k) => want.has(k)).length;
  const c = await coverageReport(db, { countyCode: truth.county.code });
  return {
    pairings: { truth: want.size, found: found.size, truePositive: tp, precision: found.size ? tp / found.size : 1, recall: want.size ? tp / want.size : 1 },
    falsePairings: [...found].filter((k) => !want.has(k)).sort(),
    missedPairings: [...want].filter((k) => !found.has(k)).sort(),
    counts: {
      households: c.households,
      persons: c.persons,
      prm_households: c.prm_households,
      lip_households: c.lip_households,
      prm_in_lip_share: c.prm_in_lip_share,
      lip_in_prm_share: c.lip_in_prm_share,
    },
    truthCounts: truth.counts,
  };
}
