/**
 * Audit log exports for inspectors (审计导出): CSV (UTF-8 with BOM, opens in
 * Excel) and XLSX, with the chain columns so the copy can be re-verified.
 */
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { AuditQuery, AuditRow, DbOrTx } from './store.ts';
import { iterateAudit } from './store.ts';

export const AUDIT_COLUMNS: { key: keyof AuditRow; header: string }[] = [
  { key: 'seq', header: '序号' },
  { key: 'at', header: '时间(UTC)' },
  { key: 'username', header: '用户' },
  { key: 'role', header: '角色' },
  { key: 'action', header: '操作' },
  { key: 'outcome', header: '结果' },
  { key: 'county_code', header: '县区代码' },
  { key: 'target_type', header: '对象类型' },
  { key: 'target_id', header: '对象' },
  { key: 'reason', header: '事由' },
  { key: 'ip', header: '来源地址' },
  { key: 'details', header: '详情' },
  { key: 'prev_hash', header: '前一哈希' },
  { key: 'hash', header: '哈希' },
];

function cell(r: AuditRow, k: keyof AuditRow): string | number {
  const v = r[k];
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return v as string | number;
}

export async function auditCsv(db: DbOrTx, q: AuditQuery): Promise<{ csv: string; rows: number }> {
  const lines: (string | number)[][] = [AUDIT_COLUMNS.map((c) => c.header)];
  for await (const r of iterateAudit(db, q)) lines.push(AUDIT_COLUMNS.map((c) => cell(r, c.key)));
  return { csv: `\uFEFF${stringify(lines)}`, rows: lines.length - 1 };
}

export async function auditXlsx(db: DbOrTx, q: AuditQuery): Promise<{ buffer: Buffer; rows: number }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('审计日志');
  ws.columns = AUDIT_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.key.endsWith('hash') ? 66 : 16 }));
  let rows = 0;
  for await (const r of iterateAudit(db, q)) {
    ws.addRow(AUDIT_COLUMNS.map((c) => cell(r, c.key)));
    rows++;
  }
  ws.getRow(1).font = { bold: true };
  return { buffer: Buffer.from(await wb.xlsx.writeBuffer()), rows };
}
