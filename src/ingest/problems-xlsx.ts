/**
 * The problem list as an XLSX that staff can open, fix the source rows, and
 * re-import: Chinese headers 文件, 行号, 列, 原始值, 问题 (+ 级别, 代码).
 */
import ExcelJS from 'exceljs';
import type { RowProblem } from '../db/schema.ts';

export const PROBLEM_HEADERS = ['文件', '行号', '列', '原始值', '问题', '级别', '代码'] as const;

/** Builds the problem-list workbook; `fileName` fills 文件 where a problem lacks it. */
export async function problemsToXlsx(problems: readonly RowProblem[], fileName?: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'binku';
  const ws = wb.addWorksheet('问题清单', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [
    { header: PROBLEM_HEADERS[0], width: 28 },
    { header: PROBLEM_HEADERS[1], width: 8 },
    { header: PROBLEM_HEADERS[2], width: 18 },
    { header: PROBLEM_HEADERS[3], width: 24 },
    { header: PROBLEM_HEADERS[4], width: 70 },
    { header: PROBLEM_HEADERS[5], width: 8 },
    { header: PROBLEM_HEADERS[6], width: 30 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const p of problems) {
    // 原始值 as text so Excel does not turn an ID number into 4.30121E+17.
    const row = ws.addRow([p.file ?? fileName ?? '', p.row, p.column, p.value ?? '', p.message, p.severity === 'error' ? '错误' : '警告', p.code]);
    row.getCell(4).numFmt = '@';
  }
  ws.autoFilter = { from: 'A1', to: 'G1' };
  return Buffer.from(await wb.xlsx.writeBuffer());
}
