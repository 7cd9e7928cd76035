/**
 * One data row of an export → normalized values (by slot, see valueSlot) plus row-level
 * problems `{row, column, value, code, message}`. A row whose key columns are
 * unusable (no 行政区划代码 / 户编号, no 数据来源 / 事件类型) is marked
 * unusable (severity 'error'); other bad cells become null with a 'warning'.
 * Pure.
 */
import type { RowProblem } from '../domain/records.ts';
import { parseIdNumber, type ParsedId } from '../domain/id-number.ts';
import { FEED_EVENTS, type ColumnSpec } from './columns.ts';
import type { ColumnMap } from './header.ts';
import {
  normalizeAmount,
  normalizeCode,
  normalizeDate,
  normalizeEnum,
  normalizeInt,
  normalizeList,
  normalizeRegionCode,
  normalizeText,
  normalizeYesNo,
  type Normalized,
} from './normalize.ts';
import { cellText } from './text.ts';

export type CellValue = string | number | boolean | string[] | null;

export interface NormalizedRow {
  rowNo: number;
  /** False when the row cannot be imported (its raw cells are still kept). */
  usable: boolean;
  /**
   * Values by slot (valueSlot(map, key)): an array, not a record by key, as
   * the hot paths read a dozen of them per row and a record by computed keys
   * is slow to fill and to read.
   */
  values: CellValue[];
  /** The ID cell's text as in the file (trimmed); null when empty or there is no ID column. */
  idRaw: string | null;
  id: ParsedId | null;
  problems: RowProblem[];
}

const ID_MESSAGES: Record<string, { code: string; message: string }> = {
  missing: { code: 'BK_IMPORT_ID_MISSING', message: '证件号码缺失，该成员只能经人工核对后关联' },
  invalid: { code: 'BK_IMPORT_ID_INVALID', message: '证件号码无法识别（位数或出生日期不对），该成员只能经人工核对后关联' },
  bad_check: { code: 'BK_IMPORT_ID_BAD_CHECK', message: '证件号码校验位错误，按原样保留，可按姓名+出生日期+村关联' },
};

function normalizeCell(spec: ColumnSpec, raw: string): Normalized<CellValue> {
  switch (spec.kind) {
    case 'text':
      return { value: normalizeText(raw) };
    case 'code':
      return { value: normalizeCode(raw) };
    case 'region':
      return normalizeRegionCode(raw);
    case 'int':
      return normalizeInt(raw);
    case 'amount':
      return normalizeAmount(raw);
    case 'date':
      return normalizeDate(raw);
    case 'yesno':
      return normalizeYesNo(raw);
    case 'enum':
      return normalizeEnum(raw, spec.enum!);
    case 'list':
      return normalizeList(raw, spec.enum!);
    case 'id':
      return { value: raw };
  }
}

// Exports repeat the same few values down a column (是/否, enums, dates, round
// amounts): memoize per column, bounded, so a 1M-row file normalizes fast.
const MEMO_LIMIT = 4096;

interface Col {
  key: string;
  index: number;
  spec: ColumnSpec;
  name: string;
  /** Normalized value by cell text (null for text/code/id cells, which are cheap or unique). */
  memo: Map<string, Normalized<CellValue>> | null;
  fatal: boolean;
  /**
   * The previous row's cell in this column when it normalized without a
   * problem (null otherwise), and its value: household-level cells repeat on
   * every member row, and a string comparison is cheaper than trim + lookup.
   */
  last: string | null;
  lastValue: CellValue;
}
interface Shape {
  /** In slot order. */
  cols: Col[];
  slots: Map<string, number>;
  /** Empty values, one more slot than columns: the slot of keys not in the file, always null. */
  values: CellValue[];
}
const shapes = new WeakMap<ColumnMap, Shape>();
function shapeOf(map: ColumnMap): Shape {
  let shape = shapes.get(map);
  if (!shape) {
    const cols = [...map.index].map(([key, index]): Col => {
      const spec = map.specs.get(key)!;
      const memo = spec.kind === 'text' || spec.kind === 'code' || spec.kind === 'id' ? null : new Map<string, Normalized<CellValue>>();
      const fatal = spec.level === 'key' || (map.system === 'feed' && (key === 'source' || key === 'eventType'));
      return { key, index, spec, name: map.names[index] ?? key, memo, fatal, last: null, lastValue: null };
    });
    shape = { cols, slots: new Map(cols.map((c, i) => [c.key, i])), values: new Array<CellValue>(cols.length + 1).fill(null) };
    shapes.set(map, shape);
  }
  return shape;
}

/** Where a key's value is in NormalizedRow.values; a key not in the file has a slot that is always null. */
export function valueSlot(map: ColumnMap, key: string): number {
  return slotIn(shapeOf(map), key);
}

const slotIn = (shape: Shape, key: string): number => shape.slots.get(key) ?? shape.cols.length;

function cachedCell(c: Col, text: string): Normalized<CellValue> {
  const memo = c.memo;
  if (memo === null) return normalizeCell(c.spec, text);
  let n = memo.get(text);
  if (n === undefined) {
    n = normalizeCell(c.spec, text);
    if (memo.size < MEMO_LIMIT) memo.set(text, n);
  }
  // Lists are arrays: hand out a copy so no caller shares (and mutates) the memo.
  return Array.isArray(n.value) ? { ...n, value: [...n.value] } : n;
}

// Plain functions, not per-row closures: the hot loop runs once per cell of a 1M-row file.
function report(r: NormalizedRow, map: ColumnMap, file: string | undefined, key: string, value: string, code: string, message: string, severity: 'error' | 'warning'): void {
  r.problems.push({ file, row: r.rowNo, column: map.names[map.index.get(key)!] ?? key, value: value === '' ? null : value, code, message, severity });
  if (severity === 'error') r.usable = false;
}

function need(r: NormalizedRow, shape: Shape, cells: readonly string[], map: ColumnMap, file: string | undefined, key: string, code: string, message: string, fatal: boolean): void {
  if (!map.index.has(key)) return;
  const v = r.values[slotIn(shape, key)];
  if (v !== null && v !== '') return;
  const column = map.names[map.index.get(key)!];
  for (const p of r.problems) if (p.column === column) return; // already reported (e.g. unknown enum)
  report(r, map, file, key, cellText(cells[map.index.get(key)!]), code, message, fatal ? 'error' : 'warning');
}

/** Normalizes one data row of the given column map. */
export function normalizeRow(map: ColumnMap, rowNo: number, cells: readonly string[], file?: string): NormalizedRow {
  const shape = shapeOf(map);
  const r: NormalizedRow = { rowNo, usable: true, values: shape.values.slice(), idRaw: null, id: null, problems: [] };
  const values = r.values;
  const cols = shape.cols;
  for (let slot = 0; slot < cols.length; slot++) {
    const c = cols[slot];
    const raw = cells[c.index];
    if (raw === c.last) {
      // Same text as the row before, which had no problem: same value (lists copied, as cachedCell does).
      const v = c.lastValue;
      values[slot] = Array.isArray(v) ? [...v] : v;
      continue;
    }
    const text = cellText(raw);
    if (c.spec.kind === 'id') {
      const id = parseIdNumber(text);
      r.id = id;
      r.idRaw = text === '' ? null : text;
      values[slot] = id.idNumber;
      const m = ID_MESSAGES[id.status];
      if (m) report(r, map, file, c.key, text, m.code, m.message, 'warning');
      continue;
    }
    const n = cachedCell(c, text);
    values[slot] = n.value;
    if (n.problem) {
      report(r, map, file, c.key, text, n.problem.code, n.problem.message, c.fatal ? 'error' : 'warning');
      c.last = null;
    } else if (typeof raw === 'string') {
      c.last = raw;
      c.lastValue = n.value;
    }
  }
  if (map.system === 'prm') {
    need(r, shape, cells, map, file, 'householdNo', 'BK_IMPORT_MISSING_HOUSEHOLD_NO', '缺少户编号，该行无法导入', true);
    need(r, shape, cells, map, file, 'name', 'BK_IMPORT_MISSING_NAME', '缺少姓名', false);
    need(r, shape, cells, map, file, 'relation', 'BK_IMPORT_MISSING_RELATION', '缺少与户主关系', false);
  } else if (map.system === 'lip') {
    need(r, shape, cells, map, file, 'familyNo', 'BK_IMPORT_MISSING_FAMILY_NO', '缺少家庭编号，该行无法导入', true);
    need(r, shape, cells, map, file, 'name', 'BK_IMPORT_MISSING_NAME', '缺少成员姓名', false);
    need(r, shape, cells, map, file, 'relation', 'BK_IMPORT_MISSING_RELATION', '缺少与申请人关系', false);
  } else {
    need(r, shape, cells, map, file, 'source', 'BK_IMPORT_MISSING_SOURCE', '缺少数据来源，该行无法导入', true);
    need(r, shape, cells, map, file, 'eventType', 'BK_IMPORT_MISSING_EVENT', '缺少事件类型，该行无法导入', true);
    need(r, shape, cells, map, file, 'eventDate', 'BK_IMPORT_MISSING_DATE', '缺少事件日期', false);
    const src = values[slotIn(shape, 'source')];
    const ev = values[slotIn(shape, 'eventType')];
    if (typeof src === 'string' && typeof ev === 'string' && !(FEED_EVENTS[src] ?? []).includes(ev)) {
      report(r, map, file, 'eventType', map.index.has('eventType') ? cellText(cells[map.index.get('eventType')!]) : '', 'BK_IMPORT_EVENT_SOURCE_MISMATCH', `事件类型"${ev}"不属于数据来源"${src}"（${src}: ${(FEED_EVENTS[src] ?? []).join('、')}）`, 'warning');
    }
  }
  // The region code identifies the county: without it the row cannot be placed.
  if (map.system !== 'feed' && map.index.has('regionCode') && values[slotIn(shape, 'regionCode')] === null) r.usable = false;
  return r;
}
