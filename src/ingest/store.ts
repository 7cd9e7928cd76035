/**
 * Kysely queries of the import module. Bulk rows arrive as COPY text (built by
 * convert.ts, possibly in a worker thread) and go in with COPY (see
 * withImportTransaction); without it as one JSON parameter per batch
 * (`insert … select … from json_array_elements($1)`): one statement, one
 * parameter, no 65535-parameter limit, same SQL on PGlite and PostgreSQL.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Db } from '../db/dialect.ts';
import { withCopyTransaction } from '../db/copy.ts';
import { copyRows } from '../db/copy-text.ts';
import { TABLE_COLUMNS, type BulkTable } from './copy-rows.ts';

export { cellListJson, copyTextOf, rawCopyText, TABLE_COLUMNS, type BulkTable } from './copy-rows.ts';
import type { Database, ImportFile, System } from '../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * Inserts COPY text rows with INSERT … SELECT (the fallback when COPY is not
 * available): one JSON parameter of value arrays, cast to the column types.
 */
export async function insertCopyText(q: Q, table: BulkTable, text: string): Promise<void> {
  const rows = copyRows(text);
  if (rows.length === 0) return;
  const cols = TABLE_COLUMNS[table];
  const names = sql.join(cols.map(([c]) => sql.id(c)));
  const values = sql.raw(cols.map(([, t], i) => `(e->>${i})::${t}`).join(', '));
  await sql`insert into ${sql.table(table)} (${names}) select ${values} from json_array_elements(${JSON.stringify(rows)}::json) as e`.execute(q);
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
 * Writes the import's bulk rows (COPY text). `text` queues a batch (it does
 * not wait for it); `sync` waits until everything queued before the PREVIOUS
 * sync is stored, so one flush's batches are written while the next flush's
 * rows are parsed (at most two flushes in memory). `drain` waits for all.
 */
export interface BulkWriter {
  readonly copy: boolean;
  text(table: BulkTable, text: string | Uint8Array): Promise<void>;
  sync(): Promise<void>;
  drain(): Promise<void>;
}

function pipelined(write: (table: BulkTable, text: string | Uint8Array) => Promise<void>): BulkWriter {
  let chain: Promise<void> = Promise.resolve();
  let previous: Promise<void> = Promise.resolve();
  let failure: { e: unknown } | null = null;
  return {
    copy: true,
    text: (table, t) => {
      if (failure) return Promise.reject(failure.e);
      if (t.length === 0) return Promise.resolve();
      // Kept handled so a failure while the next batch is parsed is not an unhandled rejection.
      chain = chain
        .then(() => (failure ? undefined : write(table, t)))
        .catch((e: unknown) => {
          failure ??= { e };
        });
      return Promise.resolve();
    },
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
    text: (table, t) => insertCopyText(q, table, typeof t === 'string' ? t : new TextDecoder().decode(t)),
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
