/**
 * Kysely queries of the import module. Bulk rows go in as one JSON parameter
 * per batch (`insert … select … from json_to_recordset($1)`): one statement,
 * one parameter, no 65535-parameter limit, same SQL on PGlite and PostgreSQL.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, ImportFile, System } from '../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export const RAW_ROW_COLUMNS = [['county_code', 'text'], ['file_id', 'text'], ['row_no', 'integer'], ['cells', 'jsonb']] as const;

const MEMBER_COMMON = [
  ['county_code', 'text'],
  ['file_id', 'text'],
  ['row_no', 'integer'],
  ['region_code', 'text'],
  ['name', 'text'],
  ['id_raw', 'text'],
  ['id_number', 'text'],
  ['id_status', 'text'],
  ['relation', 'text'],
  ['sex', 'text'],
  ['birth_date', 'date'],
  ['attrs', 'jsonb'],
] as const;

export const TABLE_COLUMNS = {
  raw_row: RAW_ROW_COLUMNS,
  prm_member: [...MEMBER_COMMON, ['household_no', 'text']],
  lip_member: [...MEMBER_COMMON, ['family_no', 'text']],
  signal: [
    ['county_code', 'text'],
    ['file_id', 'text'],
    ['row_no', 'integer'],
    ['source', 'text'],
    ['name', 'text'],
    ['id_raw', 'text'],
    ['id_number', 'text'],
    ['id_status', 'text'],
    ['event_type', 'text'],
    ['event_date', 'date'],
    ['amount', 'numeric'],
    ['note', 'text'],
  ],
  prm_household: [
    ['county_code', 'text'],
    ['file_id', 'text'],
    ['household_no', 'text'],
    ['region_code', 'text'],
    ['township', 'text'],
    ['village', 'text'],
    ['household_type', 'text'],
    ['monitoring_category', 'text'],
    ['recorded_size', 'integer'],
    ['member_count', 'integer'],
    ['income_year', 'integer'],
    ['attrs', 'jsonb'],
    ['conflicts', 'jsonb'],
  ],
  lip_family: [
    ['county_code', 'text'],
    ['file_id', 'text'],
    ['family_no', 'text'],
    ['region_code', 'text'],
    ['township', 'text'],
    ['village', 'text'],
    ['person_category', 'text'],
    ['assistance_status', 'text'],
    ['recorded_size', 'integer'],
    ['member_count', 'integer'],
    ['income_year', 'integer'],
    ['attrs', 'jsonb'],
    ['conflicts', 'jsonb'],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

export type BulkTable = keyof typeof TABLE_COLUMNS;

/** Inserts many rows (plain objects keyed by column name) in one statement. */
export async function bulkInsert(q: Q, table: BulkTable, rows: readonly object[]): Promise<void> {
  if (rows.length === 0) return;
  const cols = TABLE_COLUMNS[table];
  const names = sql.join(cols.map(([c]) => sql.id(c)));
  const defs = sql.raw(cols.map(([c, t]) => `"${c}" ${t}`).join(', '));
  await sql`insert into ${sql.table(table)} (${names}) select ${names} from json_to_recordset(${JSON.stringify(rows)}::json) as x(${defs})`.execute(q);
}

/**
 * Inserts raw rows with the header sent once per batch and each row as an
 * array of cells (3× less JSON than objects); empty cells are left out of the
 * stored `{header: text}` object. Cells beyond the header get names 列N.
 */
export async function insertRawRows(q: Q, countyCode: string, fileId: string, names: readonly string[], rows: readonly { rowNo: number; cells: readonly string[] }[]): Promise<void> {
  if (rows.length === 0) return;
  let width = names.length;
  for (const r of rows) if (r.cells.length > width) width = r.cells.length;
  const keys = Array.from({ length: width }, (_, i) => names[i] ?? `列${i + 1}`);
  const arr = rows.map((r) => {
    const a: (number | string | null)[] = [r.rowNo];
    for (let i = 0; i < width; i++) {
      const c = r.cells[i];
      a.push(c === undefined || c === '' ? null : c);
    }
    return a;
  });
  await sql`insert into raw_row (county_code, file_id, row_no, cells)
    select ${countyCode}, ${fileId}, (e->>0)::int,
      jsonb_strip_nulls(jsonb_object(${keys}::text[], array(select x from jsonb_array_elements_text(e) with ordinality as t(x, o) where o > 1 order by o)))
    from jsonb_array_elements(${JSON.stringify(arr)}::jsonb) as e`.execute(q);
}

/** Counties that hold current PRM or LIP imports (where a feed's people live). */
export async function countiesWithRegisters(q: Q): Promise<string[]> {
  const rows = await q.selectFrom('import_file').select('county_code').distinct().where('system', 'in', ['prm', 'lip']).where('status', '=', 'current').execute();
  return rows.map((r) => r.county_code).sort();
}

export async function findByHash(q: Q, system: System, contentHash: string): Promise<ImportFile | undefined> {
  return q.selectFrom('import_file').selectAll().where('system', '=', system).where('content_hash', '=', contentHash).orderBy('imported_at', 'desc').executeTakeFirst();
}

/**
 * Marks the current imports of the same (county, system, period[, feed source])
 * as superseded by `fileId`; returns their ids.
 */
export async function supersedeOlder(
  q: Q,
  k: { countyCode: string; system: System; period: string | null; source: string | null; fileId: string },
): Promise<string[]> {
  let u = q
    .updateTable('import_file')
    .set({ status: 'superseded', superseded_by: k.fileId })
    .where('county_code', '=', k.countyCode)
    .where('system', '=', k.system)
    .where('status', '=', 'current')
    .where('file_id', '!=', k.fileId);
  u = k.period === null ? u.where('period', 'is', null) : u.where('period', '=', k.period);
  if (k.system === 'feed') u = k.source === null ? u.where('source', 'is', null) : u.where('source', '=', k.source);
  const rows = await u.returning('file_id').execute();
  return rows.map((r) => r.file_id);
}

/** Import history, newest first, within a region prefix ('' = all). */
export async function listImports(q: Q, opts: { regionPrefix: string; limit: number; offset: number; system?: System }): Promise<ImportFile[]> {
  let s = q.selectFrom('import_file').selectAll();
  if (opts.regionPrefix !== '') {
    // county_code is 6 digits; a longer scope prefix (township/village) still sees its county's files.
    const p = opts.regionPrefix;
    s = p.length >= 6 ? s.where('county_code', '=', p.slice(0, 6)) : s.where('county_code', 'like', `${p}%`);
  }
  if (opts.system) s = s.where('system', '=', opts.system);
  return s.orderBy('imported_at', 'desc').orderBy('file_id').limit(opts.limit).offset(opts.offset).execute();
}

export async function getImport(q: Q, fileId: string): Promise<ImportFile | undefined> {
  return q.selectFrom('import_file').selectAll().where('file_id', '=', fileId).executeTakeFirst();
}

/** Row counts of the import tables (tests compare them around a failed import). */
export async function tableCounts(q: Q): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['import_file', 'raw_row', 'prm_household', 'prm_member', 'lip_family', 'lip_member', 'signal'] as const) {
    const r = await q.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}
