/**
 * Reads the evaluation CSV (evaluation.md): header row with English column
 * names, order free, extra columns ignored. Bad cells are expected problems:
 * without --drop-incomplete the first one is an error naming the 1-based data
 * row and the column; with it, the row is left out and listed.
 */
import { parse } from 'csv-parse/sync';
import { BinkuError } from '../domain/errors.ts';
import type { EvalRow, ExcludedRow, Region } from './types.ts';

const BINARY = ['prm', 'lip', 'head_healthy', 'head_party', 'unsafe_water', 'work_willing'] as const;
const NUMERIC = [
  'head_age',
  'head_edu_years',
  'hh_size',
  'working_age_share',
  'income_pc',
  'expense_pc',
  'medical_share',
  'fin_assets_pc',
  'wage_business_share',
] as const;
/** Every column the method uses, in file-spec order. */
export const REQUIRED_COLUMNS = [
  'hh_id',
  'prm',
  'lip',
  'head_age',
  'head_edu_years',
  'head_healthy',
  'head_party',
  'hh_size',
  'working_age_share',
  'income_pc',
  'expense_pc',
  'medical_share',
  'fin_assets_pc',
  'unsafe_water',
  'region',
  'wage_business_share',
  'work_willing',
] as const;

const REGIONS: Record<string, Region> = {
  east: 'east',
  central: 'central',
  west: 'west',
  东: 'east',
  东部: 'east',
  中: 'central',
  中部: 'central',
  西: 'west',
  西部: 'west',
};

export interface ParsedEvaluation {
  rows: EvalRow[];
  excluded: ExcludedRow[];
  /** Data rows read (used + excluded). */
  rowsRead: number;
}

class RowProblem {
  constructor(
    readonly column: string,
    readonly reason: string,
  ) {}
}

function num(rec: Record<string, string>, col: string): number {
  const raw = (rec[col] ?? '').trim();
  if (raw === '') throw new RowProblem(col, '值为空');
  const v = Number(raw);
  if (!Number.isFinite(v)) throw new RowProblem(col, `不是数字: "${raw.slice(0, 40)}"`);
  return v;
}

function bin(rec: Record<string, string>, col: string): 0 | 1 {
  const v = num(rec, col);
  if (v !== 0 && v !== 1) throw new RowProblem(col, `只能是 0 或 1: "${(rec[col] ?? '').trim()}"`);
  return v;
}

function toRow(rec: Record<string, string>): EvalRow {
  const b = {} as Record<(typeof BINARY)[number], 0 | 1>;
  const n = {} as Record<(typeof NUMERIC)[number], number>;
  // Check in file-spec order so the reported column is the first bad one.
  for (const col of REQUIRED_COLUMNS) {
    if (col === 'hh_id') continue;
    if (col === 'region') {
      const raw = (rec.region ?? '').trim();
      if (raw === '') throw new RowProblem('region', '值为空');
      if (!REGIONS[raw.toLowerCase()]) throw new RowProblem('region', `未知地区: "${raw.slice(0, 40)}"（应为 east/central/west）`);
      continue;
    }
    if ((BINARY as readonly string[]).includes(col)) b[col as (typeof BINARY)[number]] = bin(rec, col);
    else n[col as (typeof NUMERIC)[number]] = num(rec, col);
  }
  if (n.income_pc <= 0) throw new RowProblem('income_pc', `人均收入必须大于 0: ${n.income_pc}`);
  if (n.expense_pc <= 0) throw new RowProblem('expense_pc', `人均支出必须大于 0: ${n.expense_pc}`);
  if (n.fin_assets_pc <= -1) throw new RowProblem('fin_assets_pc', `人均金融资产必须大于 -1: ${n.fin_assets_pc}`);
  return {
    hh_id: (rec.hh_id ?? '').trim(),
    ...b,
    ...n,
    region: REGIONS[(rec.region ?? '').trim().toLowerCase()]!,
  };
}

/** Parses the CSV text (UTF-8, optional BOM). Throws BinkuError on a bad row unless `dropIncomplete`. */
export function parseEvaluationCsv(text: string, opts: { dropIncomplete?: boolean } = {}): ParsedEvaluation {
  let records: string[][];
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  } catch (e) {
    throw new BinkuError('BK_EVALUATE_BAD_CSV', `CSV 格式错误: ${e instanceof Error ? e.message : String(e)}`, {
      en: 'malformed CSV',
    });
  }
  if (records.length === 0) throw new BinkuError('BK_EVALUATE_EMPTY', '文件为空（缺少表头）', { en: 'empty file' });
  const header = records[0]!.map((h) => h.trim());
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new BinkuError('BK_EVALUATE_MISSING_COLUMN', `缺少列: ${missing.join(', ')}`, {
      en: `missing columns: ${missing.join(', ')}`,
      details: { missing },
    });
  }
  const index = new Map<string, number>();
  header.forEach((h, i) => {
    if (!index.has(h)) index.set(h, i);
  });
  const rows: EvalRow[] = [];
  const excluded: ExcludedRow[] = [];
  for (let r = 1; r < records.length; r++) {
    const cells = records[r]!;
    const rec: Record<string, string> = {};
    for (const c of REQUIRED_COLUMNS) rec[c] = cells[index.get(c)!] ?? '';
    try {
      rows.push(toRow(rec));
    } catch (e) {
      if (!(e instanceof RowProblem)) throw e;
      if (!opts.dropIncomplete) {
        throw new BinkuError('BK_EVALUATE_BAD_ROW', `第 ${r} 行 ${e.column} 列: ${e.reason}（可用 --drop-incomplete 跳过此类行）`, {
          en: `data row ${r}, column ${e.column}: invalid value`,
          details: { row: r, column: e.column, reason: e.reason },
        });
      }
      excluded.push({ row: r, column: e.column, reason: e.reason });
    }
  }
  return { rows, excluded, rowsRead: records.length - 1 };
}
