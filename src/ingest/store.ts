/**
 * Kysely queries of the import module. Bulk rows go in with COPY (see
 * withImportTransaction); without it as one JSON parameter per batch
 * (`insert … select … from json_to_recordset($1)`): one statement, one
 * parameter, no 65535-parameter limit, same SQL on PGlite and PostgreSQL.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from '../db/dialect.ts';
import { copyText, copyValue, withCopyTransaction } from '../db/copy.ts';
import type { Database, ImportFile, System } from '../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** raw_row as written since migration 0005: the cells as a JSON array (text), header in import_file.raw_header. */
export const RAW_ROW_COLUMNS = [['county_code', 'text'], ['file_id', 'text'], ['row_no', 'integer'], ['cell_list', 'text']] as const;

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

/** A row's cells as the stored JSON array: trailing empty cells dropped, missing ones ''. */
export function cellListJson(cells: readonly string[]): string {
  let n = cells.length;
  while (n > 0 && (cells[n - 1] === undefined || cells[n - 1] === '')) n--;
  if (n === cells.length) return JSON.stringify(cells);
  const a: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) a[i] = cells[i] ?? '';
  return JSON.stringify(a);
}

/**
 * A stored raw row back as {header: text} (empty cells left out): from
 * cell_list + the file's raw_header (since 0005) or the older jsonb `cells`.
 * Cells beyond the header are named 列N (N = 1-based column).
 */
export function rawRowCells(row: { cells: unknown; cell_list: string | null }, rawHeader: string | null): Record<string, string> {
  if (row.cell_list === null) return (typeof row.cells === 'string' ? JSON.parse(row.cells) : (row.cells ?? {})) as Record<string, string>;
  const names = rawHeader === null ? [] : (JSON.parse(rawHeader) as string[]);
  const cells = JSON.parse(row.cell_list) as string[];
  const out: Record<string, string> = {};
  cells.forEach((c, i) => {
    if (c !== '') out[names[i] ?? `列${i + 1}`] = c;
  });
  return out;
}

/** Inserts raw rows (fallback when COPY is not available): cells as JSON array text. */
export async function insertRawRows(q: Q, countyCode: string, fileId: string, rows: readonly { rowNo: number; cells: readonly string[] }[]): Promise<void> {
  if (rows.length === 0) return;
  const arr = rows.map((r) => [r.rowNo, cellListJson(r.cells)]);
  await sql`insert into raw_row (county_code, file_id, row_no, cell_list)
    select ${countyCode}, ${fileId}, (e->>0)::int, e->>1
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

// ---------------------------------------------------------------------------
// Bulk path: COPY … FROM STDIN (PostgreSQL, pg-copy-streams) or FROM '/dev/blob'
// (PGlite) inside the import's one transaction; INSERT … SELECT as fallback.

/**
 * Writes the import's bulk rows. `rows`/`rawRows` queue a batch (they do not
 * wait for it); `sync` waits until everything queued before the PREVIOUS sync
 * is stored, so one flush's batches are written while the next flush's rows
 * are parsed (at most two flushes in memory). `drain` waits for all.
 */
export interface BulkWriter {
  readonly copy: boolean;
  rows(table: BulkTable, rows: readonly object[]): Promise<void>;
  rawRows(countyCode: string, fileId: string, rows: readonly { rowNo: number; cells: readonly string[] }[]): Promise<void>;
  sync(): Promise<void>;
  drain(): Promise<void>;
}

/** Rows (objects keyed by column) → COPY text in TABLE_COLUMNS order. */
export function copyTextOf(table: BulkTable, rows: readonly object[]): string {
  return copyText(TABLE_COLUMNS[table].map(([c]) => c), rows);
}

/** Raw rows → COPY text of raw_row (cell_list = the cells as a JSON array). */
export function rawCopyText(countyCode: string, fileId: string, rows: readonly { rowNo: number; cells: readonly string[] }[]): string {
  const prefix = `${copyValue(countyCode)}\t${copyValue(fileId)}\t`;
  let out = '';
  for (const r of rows) out += `${prefix}${r.rowNo}\t${copyValue(cellListJson(r.cells))}\n`;
  return out;
}

function pipelined(write: (table: BulkTable, text: string) => Promise<void>): BulkWriter {
  let chain: Promise<void> = Promise.resolve();
  let previous: Promise<void> = Promise.resolve();
  let failure: { e: unknown } | null = null;
  const enqueue = (table: BulkTable, text: () => string): Promise<void> => {
    if (failure) return Promise.reject(failure.e);
    const t = text();
    if (t === '') return Promise.resolve();
    // Kept handled so a failure while the next batch is parsed is not an unhandled rejection.
    chain = chain
      .then(() => (failure ? undefined : write(table, t)))
      .catch((e: unknown) => {
        failure ??= { e };
      });
    return Promise.resolve();
  };
  return {
    copy: true,
    rows: (table, rows) => enqueue(table, () => (rows.length === 0 ? '' : copyTextOf(table, rows))),
    rawRows: (county, fileId, rows) => enqueue('raw_row', () => (rows.length === 0 ? '' : rawCopyText(county, fileId, rows))),
    sync: async () => {
      const p = previous;
      previous = chain;
      await p;
      if (failure) throw failure.e;
    },
    drain: async () => {
      await chain;
      if (failure) throw failure.e;
    },
  };
}

function insertWriter(q: Q): BulkWriter {
  return {
    copy: false,
    rows: (table, rows) => bulkInsert(q, table, rows),
    rawRows: (county, fileId, rows) => insertRawRows(q, county, fileId, rows),
    sync: async () => {},
    drain: async () => {},
  };
}

/**
 * Runs `fn` in one transaction with a bulk writer: COPY when the database was
 * opened by openDatabase (both drivers), INSERT … SELECT otherwise.
 */
export async function withImportTransaction<T>(db: Db, fn: (trx: Q, bulk: BulkWriter) => Promise<T>): Promise<T> {
  return withCopyTransaction(
    db,
    async (trx, copy) => {
      const bulk = pipelined((table, text) => copy(table, TABLE_COLUMNS[table].map(([c]) => c), text));
      try {
        const out = await fn(trx, bulk);
        await bulk.drain();
        return out;
      } catch (e) {
        await bulk.drain().catch(() => {});
        throw e;
      }
    },
    (trx) => fn(trx, insertWriter(trx)),
  );
}
