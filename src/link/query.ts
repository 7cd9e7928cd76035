/**
 * Read-side queries over the merge results for the API: household list and
 * detail (PRM and LIP records side by side), review queue, decisions.
 * Every query filters by a 行政区划 prefix in SQL.
 */
import { sql, type Selectable } from 'kysely';
import type { Db } from '../db/dialect.ts';
import type { LinkReviewTable } from '../db/schema.ts';
import { BinkuError } from '../domain/errors.ts';

export interface HouseholdListArgs {
  regionPrefix: string;
  category?: 'II' | 'III' | 'IV';
  township?: string;
  q?: string;
  offset: number;
  limit: number;
}

export interface HouseholdListRow {
  county_code: string;
  household_id: string;
  category: 'II' | 'III' | 'IV';
  region_code: string;
  township: string | null;
  village: string | null;
  head_name: string | null;
  prm_households: number;
  lip_families: number;
  persons: number;
  persons_prm_only: number;
  persons_lip_only: number;
  persons_both: number;
  reasons: unknown;
  prm_nos: string[] | null;
  lip_nos: string[] | null;
}

export async function listHouseholds(db: Db, a: HouseholdListArgs): Promise<{ total: number; items: HouseholdListRow[] }> {
  const like = `${a.regionPrefix}%`;
  const cat = a.category ?? null;
  const town = a.township ?? null;
  const q = a.q ? `%${a.q}%` : null;
  const where = sql`u.region_code like ${like}
      and (${cat}::text is null or u.category = ${cat})
      and (${town}::text is null or u.township = ${town} or u.region_code like ${`${town ?? ''}%`})
      and (${q}::text is null or u.household_id like ${q} or u.head_name like ${q}
           or exists (select 1 from household_pairing p where p.county_code = u.county_code and p.household_id = u.household_id
                      and (p.prm_household_no like ${q} or p.lip_family_no like ${q})))`;
  const total = await sql<{ n: number }>`select count(*) as n from unified_household u where ${where}`.execute(db);
  const rows = await sql<HouseholdListRow>`
    select u.county_code, u.household_id, u.category, u.region_code, u.township, u.village, u.head_name,
           u.prm_households, u.lip_families, u.persons, u.persons_prm_only, u.persons_lip_only, u.persons_both, u.reasons,
           (select array_agg(distinct p.prm_household_no) from household_pairing p
             where p.county_code = u.county_code and p.household_id = u.household_id and p.prm_household_no is not null) as prm_nos,
           (select array_agg(distinct p.lip_family_no) from household_pairing p
             where p.county_code = u.county_code and p.household_id = u.household_id and p.lip_family_no is not null) as lip_nos
    from unified_household u
    where ${where}
    order by u.region_code, u.household_id
    limit ${a.limit} offset ${a.offset}`.execute(db);
  return { total: Number(total.rows[0]?.n ?? 0), items: rows.rows };
}

export interface MemberRecord {
  system: 'prm' | 'lip';
  record_key: string;
  person_id: string;
  group_no: string;
  /** Import coordinates of the record (import_file id, 1-based row), for POST /api/unmask. */
  file_id: string;
  row_no: number;
  method: string;
  score: number | null;
  agreements: unknown;
  name: string | null;
  id_number: string | null;
  id_raw: string | null;
  id_status: string;
  sex: string | null;
  birth_date: string | null;
  relation: string | null;
  region_code: string;
  attrs: unknown;
  person_category: string;
}

/** Member records (both systems) of the given groups, joined to their import rows. */
async function memberRecords(db: Db, county: string, where: ReturnType<typeof sql>): Promise<MemberRecord[]> {
  const res = await sql<MemberRecord>`
    select r.system, r.record_key, r.person_id, r.group_no, r.file_id, r.row_no, r.method, r.score, r.agreements,
           coalesce(pm.name, lm.name) as name, coalesce(pm.id_number, lm.id_number) as id_number,
           coalesce(pm.id_raw, lm.id_raw) as id_raw, coalesce(pm.id_status, lm.id_status) as id_status,
           coalesce(pm.sex, lm.sex) as sex, to_char(coalesce(pm.birth_date, lm.birth_date), 'YYYY-MM-DD') as birth_date,
           coalesce(pm.relation, lm.relation) as relation, r.region_code, coalesce(pm.attrs, lm.attrs) as attrs,
           pe.category as person_category
    from person_record r
    left join prm_member pm on r.system = 'prm' and pm.county_code = r.county_code and pm.file_id = r.file_id and pm.row_no = r.row_no
    left join lip_member lm on r.system = 'lip' and lm.county_code = r.county_code and lm.file_id = r.file_id and lm.row_no = r.row_no
    join person pe on pe.county_code = r.county_code and pe.person_id = r.person_id
    where r.county_code = ${county} and ${where}
    order by r.system desc, r.group_no, r.file_id, r.row_no`.execute(db);
  return res.rows;
}

export async function getHousehold(db: Db, householdId: string) {
  const u = await db.selectFrom('unified_household').selectAll().where('household_id', '=', householdId).executeTakeFirst();
  if (!u) throw new BinkuError('BK_LINK_HOUSEHOLD_NOT_FOUND', '统一家庭不存在（可能需要重新并库比对）', { status: 404, en: 'unified household not found' });
  const pairings = await db
    .selectFrom('household_pairing')
    .selectAll()
    .where('county_code', '=', u.county_code)
    .where('household_id', '=', householdId)
    .orderBy('pairing_key')
    .execute();
  const prmNos = [...new Set(pairings.map((p) => p.prm_household_no).filter((x): x is string => !!x))];
  const lipNos = [...new Set(pairings.map((p) => p.lip_family_no).filter((x): x is string => !!x))];
  const prmFiles = new Map(pairings.filter((p) => p.prm_household_no).map((p) => [p.prm_household_no as string, p.prm_file_id as string]));
  const lipFiles = new Map(pairings.filter((p) => p.lip_family_no).map((p) => [p.lip_family_no as string, p.lip_file_id as string]));
  const members = await memberRecords(
    db,
    u.county_code,
    sql`((r.system = 'prm' and r.group_no = any(${prmNos}::text[])) or (r.system = 'lip' and r.group_no = any(${lipNos}::text[])))`,
  );
  const prmHh = prmNos.length
    ? await db
        .selectFrom('prm_household')
        .selectAll()
        .where('county_code', '=', u.county_code)
        .where((eb) => eb.or(prmNos.map((no) => eb.and([eb('household_no', '=', no), eb('file_id', '=', prmFiles.get(no) as string)]))))
        .execute()
    : [];
  const lipFam = lipNos.length
    ? await db
        .selectFrom('lip_family')
        .selectAll()
        .where('county_code', '=', u.county_code)
        .where((eb) => eb.or(lipNos.map((no) => eb.and([eb('family_no', '=', no), eb('file_id', '=', lipFiles.get(no) as string)]))))
        .execute()
    : [];
  return { household: u, pairings, members, prmHouseholds: prmHh, lipFamilies: lipFam };
}

/** A review-queue row as the API reads it (timestamps of the row itself left out). */
export type ReviewRowOut = Omit<Selectable<LinkReviewTable>, 'created_at' | 'updated_at'>;

export async function listReviews(db: Db, a: { regionPrefix: string; status?: string; offset: number; limit: number }) {
  const like = `${a.regionPrefix}%`;
  const st = a.status ?? null;
  const where = sql`v.region_code like ${like} and (${st}::text is null or v.status = ${st}) and (v.status <> 'pending' or v.active)`;
  const total = await sql<{ n: number }>`select count(*) as n from link_review v where ${where}`.execute(db);
  const rows = await sql<ReviewRowOut>`
    select v.county_code, v.review_id, v.prm_record_key, v.lip_record_key, v.region_code, v.score, v.agreements,
           v.status, v.active, v.decided_by, v.decided_at, v.reason
    from link_review v where ${where}
    order by v.score desc, v.review_id
    limit ${a.limit} offset ${a.offset}`.execute(db);
  // Both sides of every review on the page: one query per county, not one per review.
  const recByKey = new Map<string, MemberRecord>();
  for (const county of new Set(rows.rows.map((r) => r.county_code))) {
    const inCounty = rows.rows.filter((r) => r.county_code === county);
    const prmKeys = inCounty.map((r) => r.prm_record_key);
    const lipKeys = inCounty.map((r) => r.lip_record_key);
    const recs = await memberRecords(
      db,
      county,
      sql`((r.system = 'prm' and r.record_key = any(${prmKeys}::text[])) or (r.system = 'lip' and r.record_key = any(${lipKeys}::text[])))`,
    );
    for (const x of recs) if (!recByKey.has(`${county}|${x.system}|${x.record_key}`)) recByKey.set(`${county}|${x.system}|${x.record_key}`, x);
  }
  const items = rows.rows.map((r) => ({
    review: r,
    prm: recByKey.get(`${r.county_code}|prm|${r.prm_record_key}`) ?? null,
    lip: recByKey.get(`${r.county_code}|lip|${r.lip_record_key}`) ?? null,
  }));
  return { total: Number(total.rows[0]?.n ?? 0), items };
}

export async function findReview(db: Db, reviewId: string): Promise<ReviewRowOut | undefined> {
  return db.selectFrom('link_review').selectAll().where('review_id', '=', reviewId).executeTakeFirst();
}

export async function decideReview(db: Db, reviewId: string, decision: 'accept' | 'reject', by: string, reason: string | null): Promise<void> {
  await db
    .updateTable('link_review')
    .set({ status: decision === 'accept' ? 'accepted' : 'rejected', decided_by: by, decided_at: new Date().toISOString(), reason, updated_at: new Date().toISOString() })
    .where('review_id', '=', reviewId)
    .execute();
}
