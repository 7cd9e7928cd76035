/**
 * Kysely queries of the linkage module: read the current import records,
 * write merge results in bulk. "Current": import_file.status = 'current'; if a
 * household / family number appears in several current files, the one with
 * the latest period, then the latest imported_at, wins.
 */
import { sql } from 'kysely';
import type { Db } from '../db/dialect.ts';
import { withCopyTransaction, type CopyFn } from '../db/copy.ts';
import type { Database, IdStatus } from '../db/schema.ts';
import type { LinkRecord, LinkSystem, ReviewDecision } from './types.ts';
import { shortHash } from './households.ts';
import { COPY_CHUNK, lazyCopyText, rowsOf, type LinkTable, type TableData } from './county-results.ts';

/** Counties with current PRM or LIP files. */
export async function listCounties(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('import_file')
    .select('county_code')
    .distinct()
    .where('status', '=', 'current')
    .where('system', 'in', ['prm', 'lip'])
    .orderBy('county_code')
    .execute();
  return rows.map((r) => r.county_code);
}

interface MemberRow {
  group_no: string;
  region_code: string;
  file_id: string;
  row_no: number;
  name: string | null;
  id_number: string | null;
  id_status: IdStatus;
  sex: string | null;
  birth: string | null;
  relation: string | null;
}

/** Members of the winning household/family rows of one county, ordered by group and row. */
export async function loadRecords(db: Db, county: string, system: LinkSystem): Promise<LinkRecord[]> {
  const grp = system === 'prm' ? sql.raw('household_no') : sql.raw('family_no');
  const hTable = system === 'prm' ? sql.raw('prm_household') : sql.raw('lip_family');
  const mTable = system === 'prm' ? sql.raw('prm_member') : sql.raw('lip_member');
  const res = await sql<MemberRow>`
    with win as (
      select h.file_id, h.${grp} as group_no,
             row_number() over (partition by h.${grp}
               order by f.period desc nulls last, f.imported_at desc, f.file_id desc) as rn
      from ${hTable} h
      join import_file f on f.county_code = h.county_code and f.file_id = h.file_id
      where h.county_code = ${county} and f.status = 'current' and f.system = ${system}
    )
    select m.${grp} as group_no, m.region_code, m.file_id, m.row_no, m.name, m.id_number, m.id_status,
           m.sex, to_char(m.birth_date, 'YYYY-MM-DD') as birth, m.relation
    from ${mTable} m
    join win on win.rn = 1 and win.file_id = m.file_id and win.group_no = m.${grp}
    where m.county_code = ${county}
    order by m.${grp}, m.row_no`.execute(db);
  return toLinkRecords(system, res.rows);
}

/** Builds stable record keys: group + normalized ID, or group + name (+ ordinal) when the ID is unusable. */
export function toLinkRecords(system: LinkSystem, rows: MemberRow[]): LinkRecord[] {
  const seen = new Map<string, number>();
  const out: LinkRecord[] = [];
  for (const r of rows) {
    let base = r.id_number ? `${r.group_no}#${r.id_number}` : `${r.group_no}#n:${r.name ?? ''}`;
    const k = seen.get(base) ?? 0;
    seen.set(base, k + 1);
    if (k > 0) base = `${base}#${k + 1}`;
    const hash = shortHash([r.name, r.id_number, r.id_status, r.sex, r.birth, r.region_code, r.relation].join('\u0001'));
    out.push({
      system,
      key: base,
      groupNo: r.group_no,
      regionCode: r.region_code,
      fileId: r.file_id,
      rowNo: r.row_no,
      name: r.name,
      idNumber: r.id_number,
      idStatus: r.id_status,
      sex: r.sex,
      birthDate: r.birth,
      relation: r.relation,
      hash,
    });
  }
  return out;
}

export async function loadDecisions(db: Db, county: string): Promise<ReviewDecision[]> {
  const rows = await db
    .selectFrom('link_review')
    .select(['prm_record_key', 'lip_record_key', 'status'])
    .where('county_code', '=', county)
    .orderBy('review_id')
    .execute();
  return rows.map((r) => ({ prmKey: r.prm_record_key, lipKey: r.lip_record_key, status: r.status }));
}

export interface PrmHouseholdFacts {
  household_no: string;
  township: string | null;
  village: string | null;
  household_type: string | null;
  attrs: Record<string, unknown>;
  members: number;
  labour_missing: boolean;
  head_name: string | null;
}
export interface LipFamilyFacts {
  family_no: string;
  township: string | null;
  village: string | null;
  assistance_status: string | null;
  attrs: Record<string, unknown>;
  members: number;
  labour_missing: boolean;
  head_name: string | null;
}

/** What differs between the PRM household and the LIP family facts query. */
const FACTS = {
  prm: { group: 'household_no', kind: 'household_type', labour: 'labourSkill', head: '户主' },
  lip: { group: 'family_no', kind: 'assistance_status', labour: 'labourCapacity', head: '本人' },
} as const;

/**
 * Household-level fields of the winning households / families (for reasons
 * and names). Members are counted apart and joined back: attrs is json
 * (migration 0006), which cannot be grouped by.
 */
async function loadFacts<T>(db: Db, county: string, system: LinkSystem): Promise<T[]> {
  const f = FACTS[system];
  const grp = sql.raw(f.group);
  const hTable = sql.raw(system === 'prm' ? 'prm_household' : 'lip_family');
  const mTable = sql.raw(system === 'prm' ? 'prm_member' : 'lip_member');
  const res = await sql<T>`
    with win as (
      select h.*, row_number() over (partition by h.${grp}
               order by f.period desc nulls last, f.imported_at desc, f.file_id desc) as rn
      from ${hTable} h
      join import_file f on f.county_code = h.county_code and f.file_id = h.file_id
      where h.county_code = ${county} and f.status = 'current' and f.system = ${system}
    ),
    members as (
      select w.${grp}, count(*)::int as n,
             bool_or(m.attrs->>${f.labour} is null) as labour_missing,
             min(case when m.relation = ${f.head} then m.name end) as head_name
      from win w
      join ${mTable} m on m.county_code = w.county_code and m.file_id = w.file_id and m.${grp} = w.${grp}
      where w.rn = 1
      group by w.${grp}
    )
    select w.${grp}, w.township, w.village, w.${sql.raw(f.kind)}, w.attrs,
           coalesce(a.n, 0) as members,
           coalesce(a.labour_missing, false) as labour_missing,
           a.head_name
    from win w
    left join members a on a.${grp} = w.${grp}
    where w.rn = 1`.execute(db);
  return res.rows;
}

export const loadPrmHouseholds = (db: Db, county: string): Promise<PrmHouseholdFacts[]> => loadFacts(db, county, 'prm');
export const loadLipFamilies = (db: Db, county: string): Promise<LipFamilyFacts[]> => loadFacts(db, county, 'lip');


/**
 * Bulk insert through one JSON parameter per chunk (fast on both drivers,
 * no 65535-parameter limit). Keys of `rows` must be the column names.
 */
export async function bulkInsert(db: Db, table: LinkTable, rows: object[], chunk = 20_000): Promise<void> {
  for (let i = 0; i < rows.length; i += chunk) {
    const part = JSON.stringify(rows.slice(i, i + chunk));
    await sql`insert into ${sql.table(table)} select * from json_populate_recordset(null::${sql.table(table)}, ${part}::json)`.execute(db);
  }
}

export async function deleteCounty(db: Db, county: string): Promise<void> {
  for (const t of ['household_pairing', 'unified_household', 'person_record', 'person'] as const) {
    await db.deleteFrom(t).where('county_code', '=', county).execute();
  }
}

export interface ReviewRow {
  county_code: string;
  review_id: string;
  prm_record_key: string;
  lip_record_key: string;
  region_code: string;
  score: number;
  agreements: Record<string, unknown>;
}

/** Upserts the open review candidates; older pending ones no longer proposed become inactive. Decisions are never touched. */
export async function saveReviewCandidates(db: Db, county: string, rows: ReviewRow[]): Promise<void> {
  await db.updateTable('link_review').set({ active: false }).where('county_code', '=', county).where('status', '=', 'pending').execute();
  for (let i = 0; i < rows.length; i += 5000) {
    const part = JSON.stringify(rows.slice(i, i + 5000));
    await sql`
      insert into link_review (county_code, review_id, prm_record_key, lip_record_key, region_code, score, agreements, status, active)
      select county_code, review_id, prm_record_key, lip_record_key, region_code, score, agreements, 'pending', true
      from json_populate_recordset(null::link_review, ${part}::json)
      on conflict (county_code, prm_record_key, lip_record_key)
      do update set score = excluded.score, agreements = excluded.agreements, region_code = excluded.region_code,
                    active = true, updated_at = now()`.execute(db);
  }
}

export async function lastInputHash(db: Db, county: string): Promise<string | undefined> {
  const r = await db
    .selectFrom('merge_run')
    .select('input_hash')
    .where('county_code', '=', county)
    .where('status', 'in', ['done', 'skipped_unchanged'])
    .orderBy('started_at', 'desc')
    .orderBy('run_id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return r?.input_hash;
}


// ---------------------------------------------------------------------------
// Result writes with COPY inside the merge's one transaction (same approach as
// the import's withImportTransaction): COPY … FROM STDIN through pg-copy-streams
// on PostgreSQL, COPY … FROM '/dev/blob' on PGlite; INSERT … SELECT for a Kysely
// not opened by openDatabase.

/** Writes one result table's rows (objects keyed by column name, or prebuilt COPY text). */
export type ResultWriter = (data: TableData) => Promise<void>;

function copyWriter(copy: CopyFn): ResultWriter {
  return async (data) => {
    if ('chunks' in data) {
      for (const text of data.chunks) await copy(data.table, data.cols, text);
      return;
    }
    if (data.n === 0) return;
    const cols = Object.keys(data.row(0));
    for (let i = 0; i < data.n; i += COPY_CHUNK) await copy(data.table, cols, lazyCopyText(data, cols, i, Math.min(data.n, i + COPY_CHUNK)));
  };
}

/** Runs `fn` in one transaction with a COPY-based writer for the result tables (INSERT of row objects for a Kysely not from openDatabase). */
export async function withResultTransaction<T>(db: Db, fn: (trx: Db, write: ResultWriter) => Promise<T>): Promise<T> {
  return withCopyTransaction(db, (trx, copy) => fn(trx, copyWriter(copy)), (trx) =>
    fn(trx, (data) => {
      if ('chunks' in data) throw new Error('COPY text needs a database opened by openDatabase');
      return bulkInsert(trx, data.table, rowsOf(data));
    }),
  );
}
