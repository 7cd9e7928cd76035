/**
 * Standards ↔ XLSX with Chinese headers (exceljs), and ↔ JSON. Pure given
 * bytes: no file system. Headers: 标准代码 | 标准名称 | 地区前缀 | 数值 | 生效日期 |
 * 失效日期 | 来源 | 版本. 标准代码 may be the code (dibao_annual) or the Chinese
 * name; 地区前缀 is text ('' or empty = national); 失效日期 empty = open-ended.
 */
import ExcelJS from 'exceljs';
import { BinkuError } from '../domain/errors.ts';
import { isStandardKind, STANDARD_KINDS, STANDARD_LABELS, validateStandard, type Standard, type StandardKind } from './standards.ts';

export const XLSX_HEADERS = ['标准代码', '标准名称', '地区前缀', '数值', '生效日期', '失效日期', '来源', '版本'] as const;

export async function standardsToXlsx(rows: readonly Standard[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('标准');
  ws.addRow([...XLSX_HEADERS]);
  ws.getRow(1).font = { bold: true };
  for (const s of rows) ws.addRow([s.kind, STANDARD_LABELS[s.kind], s.regionPrefix, s.amount, s.validFrom, s.validTo ?? '', s.source, s.version]);
  // 地区前缀 and dates as text so Excel keeps leading digits and does not reformat.
  for (const col of [3, 5, 6]) ws.getColumn(col).numFmt = '@';
  ws.columns.forEach((c, i) => {
    c.width = [22, 28, 12, 12, 12, 12, 60, 6][i] ?? 12;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const LABEL_TO_KIND = new Map<string, StandardKind>(STANDARD_KINDS.map((k) => [STANDARD_LABELS[k], k]));

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'object') {
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    if ('richText' in v) return v.richText.map((r) => r.text).join('');
  }
  return String(v).trim();
}

function normDate(s: string): string | null {
  const t = s.trim();
  if (t === '') return null;
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(t);
  if (m) return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
  if (/^\d{5}$/.test(t)) {
    // Excel serial date
    const d = new Date(Date.UTC(1899, 11, 30) + Number(t) * 86400000);
    return d.toISOString().slice(0, 10);
  }
  return t; // validateStandard reports it
}

/** Parses rows; throws BK_RULES_STANDARD_INVALID listing every bad row. */
export function parseStandardRows(records: Record<string, string>[]): Standard[] {
  const problems: string[] = [];
  const out: Standard[] = [];
  records.forEach((r, i) => {
    const rawKind = (r['标准代码'] || r['kind'] || r['标准名称'] || '').trim();
    const kind = isStandardKind(rawKind) ? rawKind : LABEL_TO_KIND.get(rawKind) ?? LABEL_TO_KIND.get((r['标准名称'] ?? '').trim());
    const amountText = (r['数值'] ?? r['amount'] ?? '').replace(/[,，元\s]/g, '');
    const s: Partial<Standard> = {
      kind: kind ?? (rawKind as StandardKind),
      regionPrefix: (r['地区前缀'] ?? r['regionPrefix'] ?? '').replace(/^'/, '').trim(),
      amount: amountText === '' ? Number.NaN : Number(amountText),
      validFrom: normDate(r['生效日期'] ?? r['validFrom'] ?? '') ?? '',
      validTo: normDate(r['失效日期'] ?? r['validTo'] ?? ''),
      source: (r['来源'] ?? r['source'] ?? '').trim() || '导入',
      version: Number(r['版本'] || 1) || 1,
    };
    const p = validateStandard(s);
    if (p.length) problems.push(`第 ${i + 2} 行: ${p.join('，')}`);
    else out.push(s as Standard);
  });
  if (problems.length) throw new BinkuError('BK_RULES_STANDARD_INVALID', `标准数据无效: ${problems.slice(0, 5).join('；')}`, { status: 400, details: { problems } });
  return out;
}

export async function standardsFromXlsx(bytes: Buffer | Uint8Array): Promise<Standard[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  } catch {
    throw new BinkuError('BK_RULES_STANDARD_FILE', '无法读取标准文件 (不是有效的 XLSX)', { status: 400, en: 'not a valid XLSX file' });
  }
  const ws = wb.worksheets[0];
  if (!ws) throw new BinkuError('BK_RULES_STANDARD_FILE', '标准文件没有工作表', { status: 400 });
  let headerRow = 0;
  let headers: string[] = [];
  ws.eachRow((row, n) => {
    if (headerRow) return;
    const cells = (row.values as ExcelJS.CellValue[]).map(cellText);
    if (cells.includes('数值') && (cells.includes('标准代码') || cells.includes('标准名称'))) {
      headerRow = n;
      headers = cells;
    }
  });
  if (!headerRow) throw new BinkuError('BK_RULES_STANDARD_FILE', '标准文件缺少表头 (需要 标准代码/标准名称 和 数值 列)', { status: 400 });
  const records: Record<string, string>[] = [];
  ws.eachRow((row, n) => {
    if (n <= headerRow) return;
    const vals = row.values as ExcelJS.CellValue[];
    const rec: Record<string, string> = {};
    let any = false;
    headers.forEach((h, i) => {
      if (!h) return;
      const t = cellText(vals[i]);
      if (t !== '') any = true;
      rec[h] = t;
    });
    if (any) records.push(rec);
  });
  return parseStandardRows(records);
}

/**
 * JSON scenario: an array of standard rows, `{standards: [...]}`, or
 * `{overrides: {kind: amount}}` (national rows valid from 0001-01-01, which the
 * what-if overlay applies to every region).
 */
export function standardsFromJson(value: unknown): Standard[] {
  const v = value as { standards?: unknown; overrides?: Record<string, unknown> } | unknown[];
  if (Array.isArray(v)) return parseStandardRows(v.map(toRecord));
  if (v && typeof v === 'object') {
    const o = v as { standards?: unknown; overrides?: Record<string, unknown> };
    const rows: Standard[] = [];
    if (Array.isArray(o.standards)) rows.push(...parseStandardRows(o.standards.map(toRecord)));
    if (o.overrides && typeof o.overrides === 'object') {
      for (const [k, a] of Object.entries(o.overrides)) {
        rows.push(...parseStandardRows([{ 标准代码: k, 地区前缀: '', 数值: String(a), 生效日期: '0001-01-01', 失效日期: '', 来源: '测算情景', 版本: '1' }]));
      }
    }
    if (rows.length) return rows;
  }
  throw new BinkuError('BK_RULES_STANDARD_INVALID', '测算标准格式无效: 需要标准数组、{standards: [...]} 或 {overrides: {标准代码: 数值}}', { status: 400 });
}

function toRecord(x: unknown): Record<string, string> {
  const o = (x ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) out[k] = v === null || v === undefined ? '' : String(v);
  return out;
}
