/**
 * Finding the header row of an export: a title row and a 填报单位/日期 line
 * may sit above it, and XLSX headers often span two rows with merged cells
 * ("家庭收入情况（元）" above 工资性收入 …) — a column is named by its lowest
 * non-empty header cell. Then the columns are mapped for the claimed system;
 * missing required columns (or another system's headers) are file-level faults.
 * Pure.
 */
import { BinkuError } from '../domain/errors.ts';
import { COLUMNS, headerLookup, SYSTEM_LABEL, type ColumnSpec, type ImportSystem } from './columns.ts';
import { cellText, normKey } from './text.ts';

/** How many rows from the top may hold the header. */
export const HEADER_SCAN_ROWS = 30;

const ALL_SYSTEMS: ImportSystem[] = ['prm', 'lip', 'feed'];

function known(cell: string): boolean {
  const k = normKey(cell);
  if (k === '') return false;
  return ALL_SYSTEMS.some((s) => headerLookup(s).has(k));
}

function score(row: readonly string[] | undefined): number {
  if (!row) return 0;
  let n = 0;
  for (const c of row) if (known(c)) n++;
  return n;
}

function combine(upper: readonly string[], lower: readonly string[]): string[] {
  const n = Math.max(upper.length, lower.length);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const lo = cellText(lower[i]);
    out.push(lo !== '' ? lo : cellText(upper[i]));
  }
  return out;
}

export interface HeaderLocation {
  /** 0-based index (in the given rows) of the last header row; data starts after it. */
  lastHeaderIndex: number;
  /** Number of header rows (1 or 2). */
  rows: 1 | 2;
  /** Column names, one per column (lowest non-empty header cell). */
  names: string[];
}

/**
 * Locates the header among the first rows: the row with the most known column
 * names, merged with the row above or below when that gives more names.
 * Returns undefined when no row holds at least two known names.
 */
export function locateHeader(rows: readonly (readonly string[])[]): HeaderLocation | undefined {
  let best = -1;
  let bestScore = 1;
  const limit = Math.min(rows.length, HEADER_SCAN_ROWS);
  for (let i = 0; i < limit; i++) {
    const s = score(rows[i]);
    if (s > bestScore) {
      best = i;
      bestScore = s;
    }
  }
  if (best < 0) return undefined;
  const single = rows[best].map((c) => cellText(c));
  let result: HeaderLocation = { lastHeaderIndex: best, rows: 1, names: single };
  let resultScore = bestScore;
  const below = rows[best + 1];
  if (below && score(below) >= 1) {
    const names = combine(rows[best], below);
    const s = score(names);
    if (s > resultScore) {
      result = { lastHeaderIndex: best + 1, rows: 2, names };
      resultScore = s;
    }
  }
  const above = best > 0 ? rows[best - 1] : undefined;
  if (above && score(above) >= 1) {
    const names = combine(above, rows[best]);
    const s = score(names);
    if (s > resultScore) result = { lastHeaderIndex: best, rows: 2, names };
  }
  return result;
}

export interface ColumnMap {
  system: ImportSystem;
  /** Header names as found (for raw_row keys; duplicates suffixed "#2"). */
  names: string[];
  /** Column index of each known key. */
  index: Map<string, number>;
  specs: Map<string, ColumnSpec>;
  /** Columns not in the spec (kept raw only). */
  extra: string[];
}

/** Unique raw keys: a repeated header name becomes "名称#2". */
export function uniqueNames(names: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n, i) => {
    const base = cellText(n) === '' ? `列${i + 1}` : cellText(n);
    const c = (seen.get(base) ?? 0) + 1;
    seen.set(base, c);
    return c === 1 ? base : `${base}#${c}`;
  });
}

function requiredFound(system: ImportSystem, names: readonly string[]): { found: string[]; missing: string[] } {
  const lookup = headerLookup(system);
  const got = new Set<string>();
  for (const n of names) {
    const spec = lookup.get(normKey(n));
    if (spec) got.add(spec.key);
  }
  const req = COLUMNS[system].filter((c) => c.required);
  return { found: req.filter((c) => got.has(c.key)).map((c) => c.name), missing: req.filter((c) => !got.has(c.key)).map((c) => c.name) };
}

/**
 * Maps header names to the claimed system's columns. Throws
 * BK_IMPORT_MISSING_COLUMNS naming the missing required columns, or
 * BK_IMPORT_WRONG_SYSTEM when the headers are another system's.
 */
export function mapColumns(system: ImportSystem, headerNames: readonly string[]): ColumnMap {
  const names = uniqueNames(headerNames);
  const { missing } = requiredFound(system, headerNames);
  if (missing.length > 0) {
    const other = ALL_SYSTEMS.find((s) => s !== system && requiredFound(s, headerNames).missing.length === 0);
    if (other) {
      throw new BinkuError('BK_IMPORT_WRONG_SYSTEM', `表头是${SYSTEM_LABEL[other]}的导出，不是${SYSTEM_LABEL[system]}的导出（缺少必需列: ${missing.join('、')}）`, {
        status: 422,
        en: `headers belong to ${other}, not ${system}`,
        details: { expected: system, detected: other, missing },
      });
    }
    throw new BinkuError('BK_IMPORT_MISSING_COLUMNS', `缺少必需列: ${missing.join('、')}`, { status: 422, en: `required columns missing: ${missing.join(', ')}`, details: { missing } });
  }
  const lookup = headerLookup(system);
  const index = new Map<string, number>();
  const specs = new Map<string, ColumnSpec>();
  const extra: string[] = [];
  headerNames.forEach((n, i) => {
    const spec = lookup.get(normKey(n));
    if (spec && !index.has(spec.key)) {
      index.set(spec.key, i);
      specs.set(spec.key, spec);
    } else if (cellText(n) !== '') extra.push(names[i]);
  });
  return { system, names, index, specs, extra };
}

/** The no-header fault, with what the first non-empty row looked like. */
export function noHeaderError(): BinkuError {
  return new BinkuError('BK_IMPORT_NO_HEADER', '找不到表头行（前30行中没有可识别的列名）', { status: 422, en: 'no recognizable header row' });
}
