/**
 * The import's bulk tables (column order of COPY) and the COPY text of their
 * rows. Pure: built in the import's worker thread, written by store.ts.
 */
import { copyJson, copyText, copyValue } from '../db/copy-text.ts';

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
  ['attrs', 'json'],
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
    ['attrs', 'json'],
    ['conflicts', 'json'],
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
    ['attrs', 'json'],
    ['conflicts', 'json'],
  ],
} as const satisfies Record<string, readonly (readonly [string, string])[]>;

export type BulkTable = keyof typeof TABLE_COLUMNS;

/**
 * A row's cells as the stored JSON array: trailing empty cells dropped, missing
 * ones ''. `plain`: no cell holds a character JSON escapes (SheetRow.plain), so
 * the cells are joined between quotes instead of scanned by JSON.stringify.
 */
export function cellListJson(cells: readonly string[], plain = false): string {
  let n = cells.length;
  while (n > 0 && (cells[n - 1] === undefined || cells[n - 1] === '')) n--;
  if (plain) return n === 0 ? '[]' : `["${(n === cells.length ? cells : cells.slice(0, n)).join('","')}"]`;
  if (n === cells.length) return JSON.stringify(cells);
  const a: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) a[i] = cells[i] ?? '';
  return JSON.stringify(a);
}

/** Rows (objects keyed by column) → COPY text in TABLE_COLUMNS order. */
export function copyTextOf(table: BulkTable, rows: readonly object[]): string {
  return copyText(TABLE_COLUMNS[table].map(([c]) => c), rows);
}

/** Raw rows → COPY text of raw_row (cell_list = the cells as a JSON array). */
export function rawCopyText(countyCode: string, fileId: string, rows: readonly { rowNo: number; cells: readonly string[] }[]): string {
  const prefix = `${copyValue(countyCode)}\t${copyValue(fileId)}\t`;
  let out = '';
  for (const r of rows) out += `${prefix}${r.rowNo}\t${copyJson(cellListJson(r.cells))}\n`;
  return out;
}
