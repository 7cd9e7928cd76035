/**
 * Import job: one export file → import_file + raw_row + normalized records,
 * in ONE transaction. Keyed by (system, content hash): the same file twice is
 * 'duplicate' and changes nothing. A newer file of the same (county, system,
 * period[, feed source]) supersedes the older (kept as history). File-level
 * faults throw a BinkuError before or inside the transaction, so the database
 * is left exactly as it was. Rows stream through; nothing loads whole.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Db } from '../db/dialect.ts';
import type { RowProblem, System } from '../db/schema.ts';
import { BinkuError } from '../domain/errors.ts';
import type { ConvertParams, ConvertResult, ConvertSink } from './convert.ts';
import { convertInput, convertInWorker } from './convert-worker.ts';
import { HouseholdOutOfOrder } from './households.ts';
import { countiesWithRegisters, findByHash, supersedeOlder, withImportTransaction } from './store.ts';

export interface ImportOptions {
  system: System;
  fileName: string;
  /** Read from disk (streamed) … */
  path?: string;
  /** … or from memory (HTTP upload). */
  bytes?: Buffer;
  importedBy?: string;
  /** 6-digit county code; needed for feeds when the ID prefixes do not tell. */
  county?: string;
  /** Called with the number of data rows read so far. */
  onProgress?: (rows: number) => void;
  /** Rows per COPY/INSERT batch (default 5000). */
  batchSize?: number;
  /** Convert in a worker thread (default: when the file is ≥ 8 MiB). */
  worker?: boolean;
  /**
   * Called inside the transaction once the file's county is known; throw to
   * refuse (e.g. outside the uploader's region) and nothing is written.
   */
  checkCounty?: (countyCode: string) => void;
}

export interface ImportSummary {
  status: 'imported' | 'duplicate';
  fileId: string;
  countyCode: string;
  system: System;
  fileName: string;
  contentHash: string;
  format: 'csv' | 'xlsx' | null;
  encoding: string | null;
  period: string | null;
  source: string | null;
  headerRow: number | null;
  /** Data rows read (after the header; blank and 合计 rows not counted). */
  rows: number;
  /** Member / signal records imported. */
  records: number;
  /** Rows that could not be imported (their raw cells are kept). */
  skippedRows: number;
  /** prm_household / lip_family records (0 for feeds). */
  households: number;
  blankRows: number;
  totalRows: number;
  conflicts: number;
  sizeMismatches: number;
  problemCount: number;
  problems: RowProblem[];
  /** File ids this import superseded. */
  superseded: string[];
  /** Columns not in the spec (kept in raw_row only). */
  extraColumns: string[];
  elapsedMs: number;
}

export { MAX_STORED_PROBLEMS } from './convert.ts';

const CHUNK = 1 << 20;

async function hashFile(path: string): Promise<{ hash: string; tail: Uint8Array; size: number }> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new Error('not a file');
  } catch {
    throw new BinkuError('BK_IMPORT_FILE_NOT_FOUND', `找不到文件: ${path}`, { status: 404, en: `file not found: ${path}` });
  }
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  const fh = await open(path, 'r');
  try {
    const n = Math.min(size, 65_557);
    const tail = Buffer.alloc(n);
    await fh.read(tail, 0, n, size - n);
    return { hash: h.digest('hex'), tail, size };
  } finally {
    await fh.close();
  }
}

function summaryFromStored(f: import('../db/schema.ts').ImportFile): ImportSummary {
  const problems = (typeof f.problems === 'string' ? JSON.parse(f.problems) : f.problems) as RowProblem[];
  return {
    status: 'duplicate',
    fileId: f.file_id,
    countyCode: f.county_code,
    system: f.system,
    fileName: f.file_name,
    contentHash: f.content_hash,
    format: null,
    encoding: null,
    period: f.period,
    source: f.source,
    headerRow: null,
    rows: f.row_count,
    records: f.record_count,
    skippedRows: 0,
    households: 0,
    blankRows: 0,
    totalRows: 0,
    conflicts: problems.filter((p) => p.code === 'BK_IMPORT_HOUSEHOLD_CONFLICT').length,
    sizeMismatches: problems.filter((p) => p.code === 'BK_IMPORT_SIZE_MISMATCH').length,
    problemCount: f.problem_count,
    problems,
    superseded: [],
    extraColumns: [],
    elapsedMs: 0,
  };
}

/**
 * Imports one export file. Returns the summary (also for a duplicate);
 * throws BinkuError on a file-level fault, with the database unchanged.
 */
export async function importFile(db: Db, opts: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const { system, fileName } = opts;
  if (!opts.path && !opts.bytes) throw new BinkuError('BK_IMPORT_NO_FILE', '没有提供文件', { status: 400 });
  if (opts.county !== undefined && !/^\d{6}$/.test(opts.county)) {
    throw new BinkuError('BK_IMPORT_BAD_COUNTY', `县代码应为6位数字: ${opts.county}`, { status: 400 });
  }
  let hash: string;
  let tail: Uint8Array | undefined;
  if (opts.bytes) {
    hash = createHash('sha256').update(opts.bytes).digest('hex');
    tail = opts.bytes.subarray(Math.max(0, opts.bytes.length - 65_557));
  } else {
    const h = await hashFile(opts.path!);
    hash = h.hash;
    tail = h.tail;
  }
  const existing = await findByHash(db, system, hash);
  if (existing) return summaryFromStored(existing);
  // Households are resolved as soon as their rows end (exports group them);
  // a file whose household rows are scattered is read again, keeping every
  // household until the end (the first attempt's transaction is rolled back).
  try {
    return await importStream(db, opts, hash, tail, started, 'grouped');
  } catch (e) {
    if (!(e instanceof HouseholdOutOfOrder)) throw e;
    return await importStream(db, opts, hash, tail, started, 'map');
  }
}

/** Files at least this large are converted in a worker thread (start-up ≈ 0.3 s would dominate smaller ones). */
const WORKER_MIN_BYTES = 8 << 20;

async function importStream(db: Db, opts: ImportOptions, hash: string, tail: Uint8Array | undefined, started: number, mode: 'grouped' | 'map'): Promise<ImportSummary> {
  const { system, fileName } = opts;
  const fileId = `${system}-${hash.slice(0, 16)}`;
  const size = opts.bytes ? opts.bytes.length : (await stat(opts.path!)).size;
  const inWorker = opts.worker ?? size >= WORKER_MIN_BYTES;
  let res: ConvertResult | undefined;
  let superseded: string[] = [];

  await withImportTransaction(db, async (trx, bulk) => {
    const params: ConvertParams = {
      system,
      fileName,
      fileId,
      county: opts.county ?? null,
      knownCounties: system === 'feed' && opts.county === undefined ? await countiesWithRegisters(trx) : null,
      batchSize: opts.batchSize ?? 5000,
      mode,
      tail,
    };
    const sink: ConvertSink = {
      county: (c) => opts.checkCounty?.(c),
      batch: async (b) => {
        for (const w of b.writes) await bulk.text(w.table, w.text);
        await bulk.sync();
        opts.onProgress?.(b.rowsRead);
      },
    };
    const input = { path: opts.path, bytes: opts.bytes };
    const r = inWorker ? await convertInWorker(input, params, sink) : await convertInput(input, params, sink);
    await bulk.drain();

    // The file record; older exports of the same period become history.
    superseded = await supersedeOlder(trx, { countyCode: r.county, system, period: r.period, source: r.source, fileId });
    await trx
      .insertInto('import_file')
      .values({
        county_code: r.county,
        file_id: fileId,
        system,
        file_name: fileName,
        content_hash: hash,
        period: r.period,
        source: r.source,
        superseded_by: null,
        row_count: r.rowsRead,
        record_count: r.records,
        problem_count: r.problemCount,
        problems: JSON.stringify(r.problems),
        imported_by: opts.importedBy ?? null,
        raw_header: JSON.stringify(r.rawHeader),
      })
      .execute();
    res = r;
  });
  const r = res!;
  opts.onProgress?.(r.rowsRead);

  return {
    status: 'imported',
    fileId,
    countyCode: r.county,
    system,
    fileName,
    contentHash: hash,
    format: r.format,
    encoding: r.encoding,
    period: r.period,
    source: r.source,
    headerRow: r.headerRowNo,
    rows: r.rowsRead,
    records: r.records,
    skippedRows: r.skipped,
    households: r.households,
    blankRows: r.blankRows,
    totalRows: r.totalRows,
    conflicts: r.conflicts,
    sizeMismatches: r.sizeMismatches,
    problemCount: r.problemCount,
    problems: r.problems,
    superseded,
    extraColumns: r.extraColumns,
    elapsedMs: Date.now() - started,
  };
}
