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
import { mapColumns, type ColumnMap } from '../formats/header.ts';
import { normalizeRow, type CellValue, type NormalizedRow } from '../formats/records.ts';
import { openTable } from '../formats/rows.ts';
import { HouseholdAggregator, HouseholdOutOfOrder, sizeMismatch, type HouseholdField, type ResolvedHousehold } from './households.ts';
import { countiesWithRegisters, findByHash, supersedeOlder, withImportTransaction, type BulkTable } from './store.ts';

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

/** At most this many problems are stored per file (problem_count keeps the true total). */
export const MAX_STORED_PROBLEMS = 100_000;

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

async function* bufferChunks(b: Buffer): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += CHUNK) yield b.subarray(i, Math.min(b.length, i + CHUNK));
}

function majority<T>(counts: Map<T, number>): T | null {
  let best: T | null = null;
  let n = -1;
  for (const [k, c] of counts) if (c > n) [best, n] = [k, c];
  return best;
}

const inc = <T>(m: Map<T, number>, k: T): void => {
  m.set(k, (m.get(k) ?? 0) + 1);
};

const str = (v: CellValue | undefined): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: CellValue | undefined): number | null => (typeof v === 'number' ? v : null);
const bool = (v: CellValue | undefined): boolean | null => (typeof v === 'boolean' ? v : null);

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

/** Household-level attrs keys (PrmHouseholdAttrs / LipFamilyAttrs) by system. */
const PRM_HH_ATTRS = [
  'county', 'incomeWage', 'incomeBusinessGross', 'costBusiness', 'incomeProperty', 'incomeTransfer', 'transferDibao', 'transferTekun',
  'transferPension', 'transferSupport', 'netIncome', 'netIncomePc', 'housingSecure', 'waterSecure', 'educationSecure', 'medicalSecure',
  'measures', 'riskType', 'riskCleared', 'riskClearedDate', 'monitoredSince',
];
const LIP_FAM_ATTRS = [
  'applicantName', 'applicantIdNumber', 'hukou', 'enrolledDate', 'exitDate', 'benefitMonthly', 'disposableIncome', 'incomeWage',
  'incomeBusinessNet', 'incomePropertyNet', 'incomeTransferNet', 'incomeMonthlyPc', 'deposits', 'vehicles', 'houses',
  'medicalOutOfPocket', 'educationSpending',
];
const PRM_MEMBER_ATTRS = ['health', 'disabilityGrade', 'labourSkill', 'schooling', 'work', 'workMonths', 'medicalInsured', 'phone'];
const LIP_MEMBER_ATTRS = ['personCategory', 'health', 'disabilityGrade', 'labourCapacity', 'employment', 'phone'];

function pick(values: Record<string, CellValue>, keys: readonly string[], map: ColumnMap): Record<string, CellValue> {
  const o: Record<string, CellValue> = {};
  for (const k of keys) if (map.index.has(k)) o[k] = values[k] ?? (k === 'measures' ? [] : null);
  return o;
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
    return await importOnce(db, opts, hash, tail, started, 'grouped');
  } catch (e) {
    if (!(e instanceof HouseholdOutOfOrder)) throw e;
    return await importOnce(db, opts, hash, tail, started, 'map');
  }
}

async function importOnce(db: Db, opts: ImportOptions, hash: string, tail: Uint8Array | undefined, started: number, mode: 'grouped' | 'map'): Promise<ImportSummary> {
  const source: AsyncIterable<Uint8Array> = opts.bytes ? bufferChunks(opts.bytes) : createReadStream(opts.path!, { highWaterMark: CHUNK });
  // The file stream is closed whatever happens (fault, success).
  try {
    return await importStream(db, opts, source, hash, tail, started, mode);
  } finally {
    if (source instanceof Object && 'destroy' in source) (source as { destroy(): void }).destroy();
  }
}

async function importStream(
  db: Db,
  opts: ImportOptions,
  source: AsyncIterable<Uint8Array>,
  hash: string,
  tail: Uint8Array | undefined,
  started: number,
  mode: 'grouped' | 'map',
): Promise<ImportSummary> {
  const { system, fileName } = opts;
  const table = await openTable(source, { tail });
  const map = mapColumns(system, table.headerNames);
  const fileId = `${system}-${hash.slice(0, 16)}`;
  const batchSize = opts.batchSize ?? 5000;

  const problems: RowProblem[] = [];
  let problemCount = 0;
  const addProblems = (ps: readonly RowProblem[]): void => {
    problemCount += ps.length;
    for (const p of ps) if (problems.length < MAX_STORED_PROBLEMS) problems.push(p);
  };

  const hhFields: HouseholdField[] = [...map.specs.values()]
    .filter((s) => s.level === 'household' || s.key === 'regionCode' || (system === 'lip' && s.key === 'personCategory'))
    .map((s) => ({ key: s.key, column: map.names[map.index.get(s.key)!], report: s.level === 'household' || s.key === 'regionCode' }));
  const headLabel = system === 'prm' ? '户主' : '本人（申请人）';
  const agg = new HouseholdAggregator(hhFields, headLabel, fileName, mode);
  const periods = new Map<string, number>();
  const sources = new Map<string, number>();

  let rowsRead = 0;
  let records = 0;
  let skipped = 0;
  let countyCode: string | null = opts.county ?? null;
  const superseded: string[] = [];
  let households = 0;
  let conflicts = 0;
  let sizeMismatches = 0;
  let summaryPeriod: string | null = null;
  let summarySource: string | null = null;

  const rowIter = table.rows[Symbol.asyncIterator]();

  await withImportTransaction(db, async (trx, bulk) => {
    // 1. Read the first batch to decide the file's county (majority).
    const pending: { row: NormalizedRow; cells: string[] }[] = [];
    const countyVotes = new Map<string, number>();
    let done = false;
    while (pending.length < Math.max(batchSize, 5000)) {
      const r = await rowIter.next();
      if (r.done) {
        done = true;
        break;
      }
      const row = normalizeRow(map, r.value.rowNo, r.value.cells, fileName);
      pending.push({ row, cells: r.value.cells });
      if (system === 'feed') {
        if (row.id?.region) inc(countyVotes, row.id.region);
      } else if (typeof row.values.regionCode === 'string') inc(countyVotes, row.values.regionCode.slice(0, 6));
    }
    if (pending.length === 0) throw new BinkuError('BK_IMPORT_NO_ROWS', '文件只有表头，没有数据行', { status: 422, en: 'header only, no data rows' });
    if (countyCode === null && system === 'feed') {
      // ID prefixes are where a person was first registered (old county codes,
      // neighbours), so prefer the county whose registers are already imported.
      const known = await countiesWithRegisters(trx);
      if (known.length === 1) countyCode = known[0];
      else if (known.length > 1) {
        const best = known.map((c) => [c, countyVotes.get(c) ?? 0] as const).sort((a, b) => b[1] - a[1])[0];
        if (best[1] > 0) countyCode = best[0];
        else throw new BinkuError('BK_IMPORT_NO_COUNTY', `数据库中有多个县（${known.join('、')}），无法确定部门数据所属的县，请用 --county 指定`, { status: 422 });
      }
    }
    countyCode ??= majority(countyVotes);
    if (countyCode === null) {
      throw new BinkuError('BK_IMPORT_NO_COUNTY', '无法确定文件所属的县（没有有效的行政区划代码或证件号码），请用 --county 指定6位县代码', { status: 422 });
    }
    const county = countyCode;
    opts.checkCounty?.(county);

    // 2. Stream every row: raw cells always; records when usable.
    let rawBatch: { rowNo: number; cells: string[] }[] = [];
    let recBatch: object[] = [];
    let hhBatch: object[] = [];
    const recTable: BulkTable = system === 'prm' ? 'prm_member' : system === 'lip' ? 'lip_member' : 'signal';
    const hhTable: BulkTable = system === 'prm' ? 'prm_household' : 'lip_family';
    const sizeColumn = map.index.has('recordedSize') ? map.names[map.index.get('recordedSize')!] : '家庭人口数';
    // One resolved household → its problems counted, its record queued.
    const addHousehold = (h: ResolvedHousehold): void => {
      households++;
      const hv = h.values;
      const extra: RowProblem[] = [...h.conflicts];
      const sm = sizeMismatch(h, sizeColumn, fileName);
      if (sm) {
        extra.push(sm);
        sizeMismatches++;
      }
      conflicts += h.conflicts.length;
      if (extra.length > 0) addProblems(extra);
      const base = {
        county_code: county,
        file_id: fileId,
        region_code: hv.regionCode,
        township: str(hv.township),
        village: str(hv.village),
        recorded_size: num(hv.recordedSize),
        member_count: h.members,
        income_year: num(hv.incomeYear),
        conflicts: h.conflicts,
      };
      if (system === 'prm') {
        hhBatch.push({
          ...base,
          household_no: h.no,
          household_type: str(hv.householdType),
          monitoring_category: str(hv.monitoringCategory),
          attrs: pick(hv, PRM_HH_ATTRS, map),
        });
      } else {
        hhBatch.push({
          ...base,
          family_no: h.no,
          person_category: str(hv.personCategory),
          assistance_status: str(hv.assistanceStatus),
          attrs: pick(hv, LIP_FAM_ATTRS, map),
        });
      }
    };
    const flush = async (): Promise<void> => {
      if (system !== 'feed') for (const h of agg.takeReady()) addHousehold(h);
      const r = rawBatch;
      const m = recBatch;
      const hh = hhBatch;
      rawBatch = [];
      recBatch = [];
      hhBatch = [];
      await bulk.rawRows(county, fileId, r);
      await bulk.rows(recTable, m);
      if (hh.length > 0) await bulk.rows(hhTable, hh);
      await bulk.sync();
      opts.onProgress?.(rowsRead);
    };
    // Synchronous per row (no promise per row); the caller flushes when a batch is full.
    const handle = (row: NormalizedRow, cells: string[]): void => {
      rowsRead++;
      rawBatch.push({ rowNo: row.rowNo, cells });
      const ps = row.problems;
      let usable = row.usable;
      const v = row.values;
      if (usable && system !== 'feed' && typeof v.regionCode === 'string' && v.regionCode.slice(0, 6) !== county) {
        ps.push({ file: fileName, row: row.rowNo, column: map.names[map.index.get('regionCode')!], value: v.regionCode, code: 'BK_IMPORT_OTHER_COUNTY', message: `行政区划代码不属于本文件所在县 ${county}，该行未导入`, severity: 'error' });
        usable = false;
      }
      if (ps.length > 0) addProblems(ps);
      if (!usable) {
        skipped++;
        return;
      }
      records++;
      const id = row.id;
      const common = {
        county_code: county,
        file_id: fileId,
        row_no: row.rowNo,
        name: str(v.name),
        id_raw: row.raw.idNumber === '' || row.raw.idNumber === undefined ? null : row.raw.idNumber,
        id_number: id?.idNumber ?? null,
        id_status: id?.status ?? 'missing',
        sex: id?.sex ?? null,
        birth_date: id?.birthDate ?? null,
      };
      if (system === 'feed') {
        const src = v.source as string;
        inc(sources, src);
        if (typeof v.eventDate === 'string') inc(periods, v.eventDate.slice(0, 7));
        recBatch.push({
          county_code: county, file_id: fileId, row_no: row.rowNo, source: src, name: common.name, id_raw: common.id_raw,
          id_number: common.id_number, id_status: common.id_status, event_type: v.eventType, event_date: v.eventDate ?? null,
          amount: num(v.amount), note: str(v.note),
        });
      } else {
        const no = (system === 'prm' ? v.householdNo : v.familyNo) as string;
        if (typeof v.incomeYear === 'number') inc(periods, String(v.incomeYear));
        const isHead = v.relation === (system === 'prm' ? '户主' : '本人');
        agg.add(no, row.rowNo, v, isHead);
        recBatch.push({
          ...common,
          region_code: v.regionCode,
          relation: str(v.relation),
          attrs: pick(v, system === 'prm' ? PRM_MEMBER_ATTRS : LIP_MEMBER_ATTRS, map),
          [system === 'prm' ? 'household_no' : 'family_no']: no,
        });
      }
    };
    for (const p of pending) {
      handle(p.row, p.cells);
      if (rawBatch.length >= batchSize) await flush();
    }
    pending.length = 0;
    if (!done) {
      for (;;) {
        const r = await rowIter.next();
        if (r.done) break;
        handle(normalizeRow(map, r.value.rowNo, r.value.cells, fileName), r.value.cells);
        if (rawBatch.length >= batchSize) await flush();
      }
    }
    await flush();

    // 3. Households / families still held (the last one; all of them in map mode).
    if (system !== 'feed') {
      for (const h of agg.resolve()) {
        addHousehold(h);
        if (hhBatch.length >= batchSize) {
          await bulk.rows(hhTable, hhBatch);
          hhBatch = [];
          await bulk.sync();
        }
      }
      await bulk.rows(hhTable, hhBatch);
    }
    await bulk.drain();

    // 4. The file record; older exports of the same period become history.
    const period = majority(periods);
    const src = system === 'feed' ? majority(sources) : null;
    superseded.push(...(await supersedeOlder(trx, { countyCode: county, system, period, source: src, fileId })));
    await trx
      .insertInto('import_file')
      .values({
        county_code: county,
        file_id: fileId,
        system,
        file_name: fileName,
        content_hash: hash,
        period,
        source: src,
        superseded_by: null,
        row_count: rowsRead,
        record_count: records,
        problem_count: problemCount,
        problems: JSON.stringify(problems),
        imported_by: opts.importedBy ?? null,
        raw_header: JSON.stringify(map.names),
      })
      .execute();
    summaryPeriod = period;
    summarySource = src;
  });
  opts.onProgress?.(rowsRead);

  return {
    status: 'imported',
    fileId,
    countyCode: countyCode!,
    system,
    fileName,
    contentHash: hash,
    format: table.format,
    encoding: table.encoding,
    period: summaryPeriod,
    source: summarySource,
    headerRow: table.headerRowNo,
    rows: rowsRead,
    records,
    skippedRows: skipped,
    households,
    blankRows: table.stats.blankRows,
    totalRows: table.stats.totalRows,
    conflicts,
    sizeMismatches,
    problemCount,
    problems,
    superseded,
    extraColumns: map.extra,
    elapsedMs: Date.now() - started,
  };
}
