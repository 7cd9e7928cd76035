/**
 * Coverage report (覆盖情况) of the last merge: the exact JSON of
 * formats/outputs.md plus extras (监测户 coverage, by township / village,
 * non-overlap reasons). Region-filtered in SQL by a 行政区划 prefix.
 */
import { sql } from 'kysely';
import type { Db } from '../db/dialect.ts';
import { REASON_LABELS } from './reasons.ts';

export interface CategoryCounts {
  II: number;
  III: number;
  IV: number;
  total: number;
}

export interface AreaCoverage {
  code: string;
  name: string | null;
  prm_households: number;
  prm_in_lip: number;
  lip_households: number;
  lip_in_prm: number;
  prm_in_lip_share: number;
  lip_in_prm_share: number;
}

export interface CoverageReport {
  households: CategoryCounts;
  persons: CategoryCounts;
  prm_households: number;
  lip_households: number;
  prm_in_lip_share: number;
  lip_in_prm_share: number;
  /** Extras. */
  monitored_prm_households: number;
  monitored_prm_in_lip_share: number;
  by_township: AreaCoverage[];
  by_village: AreaCoverage[];
  reasons: { II: Record<string, number>; III: Record<string, number> };
  /** Chinese label of every reason code, so clients never keep their own copy. */
  reason_labels: Record<string, string>;
  last_merge_at: string | null;
}

const share = (a: number, b: number): number => (b > 0 ? a / b : 0);

export async function coverageReport(db: Db, opts: { regionPrefix?: string; countyCode?: string } = {}): Promise<CoverageReport> {
  const like = `${opts.regionPrefix ?? ''}%`;
  const county = opts.countyCode ?? null;
  const cnt = (n: unknown): number => Number(n ?? 0);
  // II/III/IV counts of unified households or persons, within the scope.
  const byCategory = async (table: 'unified_household' | 'person'): Promise<CategoryCounts> => {
    const res = await sql<{ category: 'II' | 'III' | 'IV'; n: number }>`
      select category, count(*) as n from ${sql.table(table)}
      where region_code like ${like} and (${county}::text is null or county_code = ${county})
      group by category`.execute(db);
    const c: CategoryCounts = { II: 0, III: 0, IV: 0, total: 0 };
    for (const r of res.rows) {
      c[r.category] = cnt(r.n);
      c.total += cnt(r.n);
    }
    return c;
  };
  const households = await byCategory('unified_household');
  const persons = await byCategory('person');
  const merged = households.total > 0;

  // Households per side and paired, from the pairings of the last merge.
  const sides = await sql<{ prm: number; prm_paired: number; lip: number; lip_paired: number; mon: number; mon_paired: number }>`
    with p as (
      select hp.county_code, hp.prm_household_no, hp.lip_family_no, hp.prm_file_id from household_pairing hp
      where hp.region_code like ${like} and (${county}::text is null or hp.county_code = ${county})
    ), prm as (
      select county_code, prm_household_no, bool_or(lip_family_no is not null) as paired, min(prm_file_id) as file_id
      from p where prm_household_no is not null group by county_code, prm_household_no
    ), lip as (
      select county_code, lip_family_no, bool_or(prm_household_no is not null) as paired
      from p where lip_family_no is not null group by county_code, lip_family_no
    ), mon as (
      select prm.paired from prm
      join prm_household h on h.county_code = prm.county_code and h.file_id = prm.file_id and h.household_no = prm.prm_household_no
      where h.household_type like '%监测户%'
    )
    select (select count(*) from prm) as prm, (select count(*) from prm where paired) as prm_paired,
           (select count(*) from lip) as lip, (select count(*) from lip where paired) as lip_paired,
           (select count(*) from mon) as mon, (select count(*) from mon where paired) as mon_paired`.execute(db);
  const s = sides.rows[0];
  let prmHouseholds = cnt(s?.prm);
  let lipHouseholds = cnt(s?.lip);
  if (!merged) {
    // Before any merge: imported households, categories and shares 0.
    const imp = await sql<{ prm: number; lip: number }>`
      select (select count(distinct (h.county_code, h.household_no)) from prm_household h
                join import_file f on f.county_code = h.county_code and f.file_id = h.file_id
                where f.status = 'current' and h.region_code like ${like} and (${county}::text is null or h.county_code = ${county})) as prm,
             (select count(distinct (h.county_code, h.family_no)) from lip_family h
                join import_file f on f.county_code = h.county_code and f.file_id = h.file_id
                where f.status = 'current' and h.region_code like ${like} and (${county}::text is null or h.county_code = ${county})) as lip`.execute(db);
    prmHouseholds = cnt(imp.rows[0]?.prm);
    lipHouseholds = cnt(imp.rows[0]?.lip);
  }

  const area = async (len: number): Promise<AreaCoverage[]> => {
    const nameCol = len === 9 ? sql.raw('township') : sql.raw('village');
    const rows = await sql<{ code: string; name: string | null; prm: number; prm_paired: number; lip: number; lip_paired: number }>`
      with p as (
        select hp.county_code, substr(hp.region_code, 1, ${len}) as code, hp.household_id, hp.prm_household_no, hp.lip_family_no
        from household_pairing hp
        where hp.region_code like ${like} and (${county}::text is null or hp.county_code = ${county})
      ), prm as (
        select code, county_code, prm_household_no, bool_or(lip_family_no is not null) as paired
        from p where prm_household_no is not null group by code, county_code, prm_household_no
      ), lip as (
        select code, county_code, lip_family_no, bool_or(prm_household_no is not null) as paired
        from p where lip_family_no is not null group by code, county_code, lip_family_no
      ), names as (
        select substr(region_code, 1, ${len}) as code, min(${nameCol}) as name from unified_household
        where region_code like ${like} and (${county}::text is null or county_code = ${county}) group by 1
      ), codes as (select code from prm union select code from lip)
      select c.code, n.name,
        (select count(*) from prm where prm.code = c.code) as prm,
        (select count(*) from prm where prm.code = c.code and paired) as prm_paired,
        (select count(*) from lip where lip.code = c.code) as lip,
        (select count(*) from lip where lip.code = c.code and paired) as lip_paired
      from codes c left join names n on n.code = c.code
      order by c.code`.execute(db);
    return rows.rows.map((r) => ({
      code: r.code,
      name: r.name,
      prm_households: cnt(r.prm),
      prm_in_lip: cnt(r.prm_paired),
      lip_households: cnt(r.lip),
      lip_in_prm: cnt(r.lip_paired),
      prm_in_lip_share: share(cnt(r.prm_paired), cnt(r.prm)),
      lip_in_prm_share: share(cnt(r.lip_paired), cnt(r.lip)),
    }));
  };

  const reasonRows = await sql<{ category: 'II' | 'III'; code: string; n: number }>`
    select u.category, r->>'code' as code, count(distinct u.household_id) as n
    from unified_household u cross join lateral jsonb_array_elements(u.reasons) r
    where u.category in ('II', 'III') and u.region_code like ${like} and (${county}::text is null or u.county_code = ${county})
    group by 1, 2 order by 1, 2`.execute(db);
  const reasons: CoverageReport['reasons'] = { II: {}, III: {} };
  for (const r of reasonRows.rows) reasons[r.category][r.code] = cnt(r.n);

  const last = await sql<{ at: Date | string | null }>`
    select max(finished_at) as at from merge_run where (${county}::text is null or county_code = ${county})`.execute(db);
  const at = last.rows[0]?.at;

  return {
    households,
    persons,
    prm_households: prmHouseholds,
    lip_households: lipHouseholds,
    prm_in_lip_share: merged ? share(cnt(s?.prm_paired), prmHouseholds) : 0,
    lip_in_prm_share: merged ? share(cnt(s?.lip_paired), lipHouseholds) : 0,
    monitored_prm_households: cnt(s?.mon),
    monitored_prm_in_lip_share: share(cnt(s?.mon_paired), cnt(s?.mon)),
    by_township: merged ? await area(9) : [],
    by_village: merged ? await area(12) : [],
    reasons,
    reason_labels: REASON_LABELS,
    last_merge_at: at ? new Date(at).toISOString() : null,
  };
}
