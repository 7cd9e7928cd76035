/**
 * The pure part of an import: an export's bytes → COPY text batches for
 * raw_row, the member/signal table and the household/family table, plus the
 * file's summary (counts, problems, period). Reads, normalizes, decides the
 * county, resolves households and builds the text; touches no database, so it
 * runs in a worker thread beside the one that feeds the database
 * (convert-worker.ts) or in-process for small files.
 */
import type { RowProblem, System } from '../domain/records.ts';
import type { ParsedId } from '../domain/id-number.ts';
import { BinkuError } from '../domain/errors.ts';
import { mapColumns, type ColumnMap } from '../formats/header.ts';
import { normalizeRow, valueSlot, type CellValue, type NormalizedRow } from '../formats/records.ts';
import { openTable, type SheetRow } from '../formats/rows.ts';
import { CopyBytes, copyJson, copyText, copyValue } from '../db/copy-text.ts';
import { cellListJson, TABLE_COLUMNS, type BulkTable } from './copy-rows.ts';
import { HouseholdAggregator, sizeMismatch, type HouseholdField, type ResolvedHousehold } from './households.ts';

/** At most this many problems are stored per file (problem_count keeps the true total). */
export const MAX_STORED_PROBLEMS = 100_000;

export interface ConvertParams {
  system: System;
  fileName: string;
  fileId: string;
  /** County given by the caller (--county), else decided from the first batch. */
  county: string | null;
  /** Feeds without a given county: counties whose registers are already imported. */
  knownCounties: readonly string[] | null;
  /** Rows per COPY batch. */
  batchSize: number;
  mode: 'grouped' | 'map';
  /** Last ≤ 64 KiB of the file (XLSX truncation check). */
  tail?: Uint8Array;
}

/** One flush: COPY text per table as UTF-8 bytes (in write order) and the data rows read so far. */
export interface CopyBatch {
  writes: { table: BulkTable; text: Uint8Array }[];
  rowsRead: number;
}

export interface ConvertSink {
  /** The file's county, before any batch; throw to refuse the file. */
  county(code: string): void;
  /** Resolves when the batch may be forgotten (back-pressure). */
  batch(b: CopyBatch): Promise<void>;
}

export interface ConvertResult {
  format: 'csv' | 'xlsx';
  encoding: string | null;
  headerRowNo: number;
  /** Header names as found (import_file.raw_header). */
  rawHeader: string[];
  extraColumns: string[];
  county: string;
  rowsRead: number;
  records: number;
  skipped: number;
  households: number;
  conflicts: number;
  sizeMismatches: number;
  problemCount: number;
  problems: RowProblem[];
  period: string | null;
  source: string | null;
  blankRows: number;
  totalRows: number;
}

/** Bytes in memory (an HTTP upload) as a stream of chunks. */
export async function* bufferChunks(b: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, Math.min(b.length, i + size));
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

interface AttrsKey {
  key: string;
  /** Where its value is in a row's values. */
  slot: number;
  /** JSON text up to the value (`{"key":` / `,"key":`). */
  head: string;
  /** COPY-escaped JSON text of this key's recent values (they repeat: enums, 是/否, round amounts). */
  json: Map<CellValue, string>;
}
const ATTRS_JSON_MEMO = 1024;

/** The attrs keys present in the file. */
function attrsKeys(keys: readonly string[], map: ColumnMap): AttrsKey[] {
  return keys
    .filter((k) => map.index.has(k))
    .map((key, i) => ({ key, slot: valueSlot(map, key), head: `${i === 0 ? '{' : ','}${JSON.stringify(key)}:`, json: new Map() }));
}

/** JSON text of one attrs value, escaped for COPY; primitives memoized per key (Map keys compare as JSON would print them). */
function valueJson(k: AttrsKey, v: CellValue): string {
  if (typeof v === 'object') return copyJson(JSON.stringify(v));
  let j = k.json.get(v);
  if (j === undefined) {
    j = copyJson(JSON.stringify(v));
    if (k.json.size < ATTRS_JSON_MEMO) k.json.set(v, j);
  }
  return j;
}

/**
 * One prm_member / lip_member row as COPY text, in TABLE_COLUMNS order (the
 * last column is household_no or family_no); `prefix` = county and file id.
 * Built directly: an object per row and a lookup per column cost more.
 * `attrs` as an object, or as JSON text already escaped for COPY (attrsJson).
 */
export function memberCopyLine(
  prefix: string,
  rowNo: number,
  regionCode: CellValue,
  name: string | null,
  idRaw: string | null,
  id: ParsedId | null,
  relation: string | null,
  attrs: Record<string, CellValue> | string,
  no: string,
): string {
  return `${prefix}${rowNo}\t${copyValue(regionCode)}\t${copyValue(name)}\t${copyValue(idRaw)}\t${copyValue(id?.idNumber ?? null)}\t${copyValue(id?.status ?? 'missing')}\t${copyValue(relation)}\t${copyValue(id?.sex ?? null)}\t${copyValue(id?.birthDate ?? null)}\t${typeof attrs === 'string' ? attrs : copyValue(attrs)}\t${copyValue(no)}\n`;
}

/**
 * Member or household attrs as the JSON text JSON.stringify would give of the
 * picked object (empty → [] for 'measures', else null), escaped for COPY
 * (keys need no escaping, values are escaped once in their memo), built per
 * key: no object per row. `keys` from attrsKeys; `valueOf` reads a key's value.
 */
function attrsJson(keys: readonly AttrsKey[], valueOf: (k: AttrsKey) => CellValue | undefined): string {
  if (keys.length === 0) return '{}';
  let out = '';
  for (const k of keys) {
    const v = valueOf(k);
    out += k.head + (v === null || v === undefined ? (k.key === 'measures' ? '[]' : 'null') : valueJson(k, v));
  }
  return `${out}}`;
}

const cols = (t: BulkTable): string[] => TABLE_COLUMNS[t].map(([c]) => c);

/**
 * Reads an export from `source` and hands COPY text to `sink` batch by batch.
 * File-level faults are BinkuErrors; a household whose rows are scattered
 * throws HouseholdOutOfOrder in 'grouped' mode (the caller reruns in 'map').
 */
export async function convertExport(source: AsyncIterable<Uint8Array>, p: ConvertParams, sink: ConvertSink): Promise<ConvertResult> {
  const { system, fileName, fileId, batchSize } = p;
  const table = await openTable(source, { tail: p.tail });
  const map = mapColumns(system, table.headerNames);

  const problems: RowProblem[] = [];
  let problemCount = 0;
  const addProblems = (ps: readonly RowProblem[]): void => {
    problemCount += ps.length;
    for (const x of ps) if (problems.length < MAX_STORED_PROBLEMS) problems.push(x);
  };

  const hhFields: HouseholdField[] = [...map.specs.values()]
    .filter((s) => s.level === 'household' || s.key === 'regionCode' || (system === 'lip' && s.key === 'personCategory'))
    .map((s) => ({ key: s.key, slot: valueSlot(map, s.key), column: map.names[map.index.get(s.key)!], report: s.level === 'household' || s.key === 'regionCode' }));
  // Where the values read below are in each row's values.
  const at = (key: string): number => valueSlot(map, key);
  const S = {
    regionCode: at('regionCode'), name: at('name'), relation: at('relation'), incomeYear: at('incomeYear'),
    no: at(system === 'prm' ? 'householdNo' : 'familyNo'),
    source: at('source'), eventType: at('eventType'), eventDate: at('eventDate'), amount: at('amount'), note: at('note'),
  };
  const headLabel = system === 'prm' ? '户主' : '本人（申请人）';
  const agg = new HouseholdAggregator(hhFields, headLabel, fileName, p.mode);
  const periods = new Map<string, number>();
  const sources = new Map<string, number>();

  let rowsRead = 0;
  let records = 0;
  let skipped = 0;
  let households = 0;
  let conflicts = 0;
  let sizeMismatches = 0;
  let countyCode: string | null = p.county;

  // Rows come a parsed chunk at a time: one async step per chunk, not two per row.
  const chunkIter = table.batches[Symbol.asyncIterator]();

  // 1. Read the first batch to decide the file's county (majority of its first rows;
  //    exactly that many, whatever the size of the chunks they came in).
  const pending: { row: NormalizedRow; sr: SheetRow }[] = [];
  const countyVotes = new Map<string, number>();
  const voters = Math.max(batchSize, 5000);
  let done = false;
  while (pending.length < voters) {
    const r = await chunkIter.next();
    if (r.done) {
      done = true;
      break;
    }
    for (const sr of r.value) {
      const row = normalizeRow(map, sr.rowNo, sr.cells, fileName);
      pending.push({ row, sr });
      if (pending.length > voters) continue;
      if (system === 'feed') {
        if (row.id?.region) inc(countyVotes, row.id.region);
      } else {
        const region = row.values[S.regionCode];
        if (typeof region === 'string') inc(countyVotes, region.slice(0, 6));
      }
    }
  }
  if (pending.length === 0) throw new BinkuError('BK_IMPORT_NO_ROWS', '文件只有表头，没有数据行', { status: 422, en: 'header only, no data rows' });
  if (countyCode === null && system === 'feed') {
    // ID prefixes are where a person was first registered (old county codes,
    // neighbours), so prefer the county whose registers are already imported.
    const known = p.knownCounties ?? [];
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
  sink.county(county);

  // 2. Every row: raw cells always; records when usable. Text is built as rows come.
  const recTable: BulkTable = system === 'prm' ? 'prm_member' : system === 'lip' ? 'lip_member' : 'signal';
  const hhTable: BulkTable = system === 'prm' ? 'prm_household' : 'lip_family';
  const recCols = cols(recTable);
  const rawPrefix = `${copyValue(county)}\t${copyValue(fileId)}\t`;
  const memberAttrs = attrsKeys(system === 'prm' ? PRM_MEMBER_ATTRS : LIP_MEMBER_ATTRS, map);
  const hhAttrs = attrsKeys(system === 'prm' ? PRM_HH_ATTRS : LIP_FAM_ATTRS, map);
  const regionColumn = map.index.has('regionCode') ? map.names[map.index.get('regionCode')!] : '';
  // Rows go straight to COPY text in UTF-8 bytes; feed signals (few) as objects first.
  const rawText = new CopyBytes();
  let rawCount = 0;
  const recText = new CopyBytes();
  let recRows: object[] = [];
  // Households / families too (TABLE_COLUMNS order).
  const hhText = new CopyBytes();
  let hhCount = 0;
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
    const prm = system === 'prm';
    const kind = prm ? str(hv.householdType) : str(hv.personCategory);
    const status = prm ? str(hv.monitoringCategory) : str(hv.assistanceStatus);
    hhText.add(`${rawPrefix}${copyValue(h.no)}\t${copyValue(hv.regionCode)}\t${copyValue(str(hv.township))}\t${copyValue(str(hv.village))}\t${copyValue(kind)}\t${copyValue(status)}\t${copyValue(num(hv.recordedSize))}\t${h.members}\t${copyValue(num(hv.incomeYear))}\t${attrsJson(hhAttrs, (k) => hv[k.key])}\t${copyValue(h.conflicts)}\n`);
    hhCount++;
  };
  const flush = async (): Promise<void> => {
    if (system !== 'feed') for (const h of agg.takeReady()) addHousehold(h);
    if (recRows.length > 0) recText.add(copyText(recCols, recRows));
    const writes = [
      { table: 'raw_row' as const, text: rawText },
      { table: recTable, text: recText },
      { table: hhTable, text: hhText },
    ]
      .filter((w) => w.text.length > 0)
      .map((w) => ({ table: w.table, text: w.text.take() }));
    rawCount = 0;
    recRows = [];
    hhCount = 0;
    await sink.batch({ writes, rowsRead });
  };
  // Synchronous per row (no promise per row); the caller flushes when a batch is full.
  const handle = (row: NormalizedRow, sr: SheetRow): void => {
    rowsRead++;
    // Plain cells: no backslash to double for COPY either.
    rawText.add(`${rawPrefix}${row.rowNo}\t${sr.plain ? cellListJson(sr.cells, true) : copyJson(cellListJson(sr.cells))}\n`);
    rawCount++;
    const ps = row.problems;
    let usable = row.usable;
    const v = row.values;
    const region = v[S.regionCode];
    if (usable && system !== 'feed' && typeof region === 'string' && region.slice(0, 6) !== county) {
      ps.push({ file: fileName, row: row.rowNo, column: regionColumn, value: region, code: 'BK_IMPORT_OTHER_COUNTY', message: `行政区划代码不属于本文件所在县 ${county}，该行未导入`, severity: 'error' });
      usable = false;
    }
    if (ps.length > 0) addProblems(ps);
    if (!usable) {
      skipped++;
      return;
    }
    records++;
    const id = row.id;
    const idRaw = row.idRaw;
    if (system === 'feed') {
      const src = v[S.source] as string;
      const date = v[S.eventDate];
      inc(sources, src);
      if (typeof date === 'string') inc(periods, date.slice(0, 7));
      recRows.push({
        county_code: county, file_id: fileId, row_no: row.rowNo, source: src, name: str(v[S.name]), id_raw: idRaw,
        id_number: id?.idNumber ?? null, id_status: id?.status ?? 'missing', event_type: v[S.eventType], event_date: date,
        amount: num(v[S.amount]), note: str(v[S.note]),
      });
      return;
    }
    const no = v[S.no] as string;
    const year = v[S.incomeYear];
    if (typeof year === 'number') inc(periods, String(year));
    const relation = v[S.relation];
    agg.add(no, row.rowNo, v, relation === (system === 'prm' ? '户主' : '本人'));
    recText.add(memberCopyLine(rawPrefix, row.rowNo, region, str(v[S.name]), idRaw, id, str(relation), attrsJson(memberAttrs, (k) => v[k.slot]), no));
  };
  for (const x of pending) {
    handle(x.row, x.sr);
    if (rawCount >= batchSize) await flush();
  }
  pending.length = 0;
  if (!done) {
    for (;;) {
      const r = await chunkIter.next();
      if (r.done) break;
      for (const sr of r.value) {
        handle(normalizeRow(map, sr.rowNo, sr.cells, fileName), sr);
        if (rawCount >= batchSize) await flush();
      }
    }
  }
  await flush();

  // 3. Households / families still held (the last one; all of them in map mode).
  if (system !== 'feed') {
    for (const h of agg.resolve()) {
      addHousehold(h);
      if (hhCount >= batchSize) await flush();
    }
    await flush();
  }

  return {
    format: table.format,
    encoding: table.encoding,
    headerRowNo: table.headerRowNo,
    rawHeader: map.names,
    extraColumns: map.extra,
    county,
    rowsRead,
    records,
    skipped,
    households,
    conflicts,
    sizeMismatches,
    problemCount,
    problems,
    period: majority(periods),
    source: system === 'feed' ? majority(sources) : null,
    blankRows: table.stats.blankRows,
    totalRows: table.stats.totalRows,
  };
}
