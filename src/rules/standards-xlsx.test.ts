import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parseStandardRows, standardsFromJson, standardsFromXlsx, standardsToXlsx } from './standards-xlsx.ts';
import { DEFAULT_STANDARDS } from './standards.ts';

describe('standards XLSX / JSON', () => {
  it('round-trips every default row with Chinese headers', async () => {
    const buf = await standardsToXlsx(DEFAULT_STANDARDS);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buf as unknown as ArrayBuffer);
    expect((wb.worksheets[0].getRow(1).values as string[]).slice(1)).toEqual(['标准代码', '标准名称', '地区前缀', '数值', '生效日期', '失效日期', '来源', '版本']);
    expect(await standardsFromXlsx(buf)).toEqual(DEFAULT_STANDARDS);
  });

  it('reads a hand-made sheet: title row, Chinese kind names, 2024年1月1日 dates, amounts with 元 and commas', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['某县2025年标准']);
    ws.addRow(['标准名称', '地区前缀', '数值', '生效日期', '失效日期', '来源']);
    ws.addRow(['农村低保标准(元/人·年)', '621202', '8,280元', '2025年1月1日', '', '县政府文件']);
    ws.addRow(['防返贫监测标准(元/人·年)', '621202', 7300, new Date(Date.UTC(2025, 0, 1)), '2026-01-01', '省乡村振兴局']);
    const rows = await standardsFromXlsx(Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows).toEqual([
      { kind: 'dibao_annual', regionPrefix: '621202', amount: 8280, validFrom: '2025-01-01', validTo: null, source: '县政府文件', version: 1 },
      { kind: 'monitoring_line', regionPrefix: '621202', amount: 7300, validFrom: '2025-01-01', validTo: '2026-01-01', source: '省乡村振兴局', version: 1 },
    ]);
  });

  it('lists every bad row and refuses the file', () => {
    expect(() =>
      parseStandardRows([
        { 标准代码: 'dibao_annual', 地区前缀: '62', 数值: 'abc', 生效日期: '2024-01-01' },
        { 标准代码: '不存在', 地区前缀: '62', 数值: '1', 生效日期: '2024-01-01' },
      ]),
    ).toThrow(/第 2 行.*第 3 行/);
  });

  it('a non-XLSX file is a clear error', async () => {
    await expect(standardsFromXlsx(Buffer.from('hello'))).rejects.toMatchObject({ code: 'BK_RULES_STANDARD_FILE' });
  });

  it('JSON scenarios: overrides become national rows in force since 0001-01-01', () => {
    expect(standardsFromJson({ overrides: { monitoring_line: 11880 } })).toEqual([
      { kind: 'monitoring_line', regionPrefix: '', amount: 11880, validFrom: '0001-01-01', validTo: null, source: '测算情景', version: 1 },
    ]);
    expect(() => standardsFromJson({})).toThrow(/测算标准格式无效/);
  });
});
