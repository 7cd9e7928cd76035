import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { isBinkuError } from '../domain/errors.ts';
import { sniff, zipTailComplete } from './encoding.ts';
import { locateHeader, mapColumns } from './header.ts';
import { openTable, xlsxCellText, type OpenedTable, type SheetRow } from './rows.ts';
import { mergedHeaderPrmXlsx, nastyLipCsv, nastyPrmCsv, toGb18030, withBom } from '../ingest/fixtures.ts';

async function* chunks(b: Uint8Array, size = 7): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function all(t: OpenedTable): Promise<SheetRow[]> {
  const out: SheetRow[] = [];
  for await (const r of t.rows) out.push(r);
  return out;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isBinkuError(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'no error';
}

const open = async (b: Uint8Array, chunk?: number): Promise<OpenedTable> => openTable(chunks(b, chunk));

describe('sniff', () => {
  it('tells XLSX, UTF-8 (BOM or not) and GB18030 apart', () => {
    expect(sniff(Buffer.from('PK\u0003\u0004rest', 'latin1'), true)).toEqual({ format: 'xlsx' });
    expect(sniff(withBom('姓名,证件号码'), true)).toEqual({ format: 'csv', encoding: 'utf8', bom: true });
    expect(sniff(Buffer.from('姓名,证件号码'), true)).toEqual({ format: 'csv', encoding: 'utf8', bom: false });
    expect(sniff(toGb18030('姓名,证件号码,与户主关系'), true)).toEqual({ format: 'csv', encoding: 'gb18030', bom: false });
  });
  it('a UTF-8 character cut at the end of the sniffed prefix is not a reason to pick GB18030', () => {
    const b = Buffer.from('姓名,证件号码');
    expect(sniff(b.subarray(0, b.length - 1), false)).toMatchObject({ encoding: 'utf8' });
  });
  it('rejects empty, binary, .xls and undecodable bytes', () => {
    const err = (b: Uint8Array) => {
      try {
        sniff(b, true);
        return 'ok';
      } catch (e) {
        return isBinkuError(e) ? e.code : String(e);
      }
    };
    expect(err(new Uint8Array())).toBe('BK_IMPORT_EMPTY');
    expect(err(Buffer.from('\r\n\r\n  ,,,\n'))).toBe('BK_IMPORT_EMPTY');
    expect(err(withBom(''))).toBe('BK_IMPORT_EMPTY');
    expect(err(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBe('BK_IMPORT_BINARY');
    expect(err(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1]))).toBe('BK_IMPORT_XLS_UNSUPPORTED');
    expect(err(Buffer.from(Array.from({ length: 200 }, (_, i) => (i % 2 ? 0xff : 0x80))))).toBe('BK_IMPORT_UNDECODABLE');
  });
  it('zip tail check finds the end-of-central-directory record', () => {
    expect(zipTailComplete(Buffer.from('xxxxPK\u0005\u0006' + '\u0000'.repeat(18), 'latin1'))).toBe(true);
    expect(zipTailComplete(Buffer.from('PK\u0003\u0004' + 'x'.repeat(100), 'latin1'))).toBe(false);
  });
});

describe('locateHeader', () => {
  it('skips a title row and a 填报单位 line', () => {
    const loc = locateHeader([['XX县明细表'], ['填报单位：XX', '', '日期'], ['行政区划代码', '户编号', '姓名'], ['1', '2', '3']]);
    expect(loc).toEqual({ lastHeaderIndex: 2, rows: 1, names: ['行政区划代码', '户编号', '姓名'] });
  });
  it('merges a two-row header: the lowest non-empty cell names the column', () => {
    const loc = locateHeader([
      ['标题'],
      ['行政区划代码', '户编号', '姓名', '家庭收入情况（元）', ''],
      ['', '', '', '工资性收入', '生产经营性收入'],
      ['430121001001', 'H1', '张三', '100', '200'],
    ]);
    expect(loc?.names).toEqual(['行政区划代码', '户编号', '姓名', '工资性收入', '生产经营性收入']);
    expect(loc?.lastHeaderIndex).toBe(2);
  });
  it('also when the lower header row holds most of the names', () => {
    const loc = locateHeader([
      ['基本信息', '', '', '收入'],
      ['行政区划代码', '户编号', '姓名', '工资性收入'],
      ['430121001001', 'H1', '张三', '100'],
    ]);
    expect(loc?.names).toEqual(['行政区划代码', '户编号', '姓名', '工资性收入']);
    expect(loc?.lastHeaderIndex).toBe(1);
  });
  it('none when no row has two known names', () => {
    expect(locateHeader([['a', 'b'], ['1', '2']])).toBeUndefined();
  });
});

describe('mapColumns', () => {
  it('names the missing required columns', () => {
    expect(() => mapColumns('prm', ['行政区划代码', '户编号', '姓名'])).toThrow(/缺少必需列: 证件号码、与户主关系/);
  });
  it('says when the headers are the other system', () => {
    const lipHeader = ['行政区划代码', '家庭编号', '成员姓名', '成员身份证号', '与申请人关系'];
    expect(() => mapColumns('prm', lipHeader)).toThrow(/低收入人口动态监测信息平台（LIP）的导出，不是防止返贫监测系统（PRM）/);
    try {
      mapColumns('prm', lipHeader);
    } catch (e) {
      expect(isBinkuError(e) && e.code).toBe('BK_IMPORT_WRONG_SYSTEM');
    }
  });
  it('keeps extra columns and tolerates full-width brackets and spaces in names', () => {
    const m = mapColumns('prm', ['行政区划代码', '户编号', '姓 名', '证件号码', '与户主关系', '乡（镇）', '其中：低保金', '自定义列']);
    expect(m.index.get('township')).toBe(5);
    expect(m.index.get('transferDibao')).toBe(6);
    expect(m.index.get('name')).toBe(2);
    expect(m.extra).toEqual(['自定义列']);
  });
});

describe('openTable', () => {
  it('reads the nasty PRM CSV in UTF-8+BOM and GB18030 alike, in tiny chunks', async () => {
    for (const bytes of [withBom(nastyPrmCsv()), toGb18030(nastyPrmCsv()), Buffer.from(nastyPrmCsv())]) {
      const t = await open(bytes, 5);
      expect(t.headerRowNo).toBe(3);
      const rows = await all(t);
      expect(rows.map((r) => r.rowNo)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
      expect(rows[0].cells[7]).toBe('张三');
      expect(t.stats).toEqual({ blankRows: 1, totalRows: 1 });
    }
  });
  it('reads GB18030 LIP with a title row and a 总计 row', async () => {
    const t = await open(toGb18030(nastyLipCsv()), 3);
    expect(t.encoding).toBe('gb18030');
    const rows = await all(t);
    expect(rows).toHaveLength(5);
    expect(rows[4].cells[6]).toBe('陈某');
    expect(t.stats.totalRows).toBe(1);
  });
  it('reads tab-separated text', async () => {
    const t = await open(Buffer.from('行政区划代码\t户编号\t姓名\n430121001001\tH1\t张三\n'));
    expect((await all(t))[0].cells).toEqual(['430121001001', 'H1', '张三']);
  });
  it('quoted cells with line breaks, commas and doubled quotes survive every chunk split (CRLF, BOM)', async () => {
    const head = '行政区划代码,户编号,姓名,备注\r\n';
    const body = Array.from({ length: 30 }, (_, i) => `430121001001,H${i},"张""${i}""",a"b,"第一行\r\n第二行, 逗号"\r\n`).join('');
    const bytes = withBom(head + body);
    for (const size of [1, 3, 7, 64, 1 << 20]) {
      const rows = (await all(await open(bytes, size))).map((r) => r.cells);
      expect(rows).toHaveLength(30);
      expect(rows[29]).toEqual(['430121001001', 'H29', '张"29"', 'a"b', '第一行\r\n第二行, 逗号']);
    }
  });
  it('marks rows plain only when every cell prints in JSON as it is (so the raw JSON is a join)', async () => {
    const head = '行政区划代码,户编号,姓名\n';
    const cases: [string, string, boolean][] = [
      ['\n', '430121001001,H1,张三\u3000\n', true],
      ['\n', '430121001001,H1,张\\三\n', false],
      ['\n', '430121001001,H1,张\r三\n', false],
      ['\n', '430121001001,H1,"张三"\n', false],
      ['\r\n', '430121001001,H1,张三\r\n', true],
      ['\r\n', '430121001001,H1,张\n三\r\n', false],
      ['\n', '430121001001,H1,张\t三\n', false],
      ['\n', '430121001001,H1,\ud83d\ude00\n', false],
    ];
    for (const [nl, row, plain] of cases) {
      const rows = await all(await open(Buffer.from(head.replace('\n', nl) + row), 1 << 20));
      // plain is a promise about the JSON text; not plain only costs a JSON.stringify
      expect(rows.map((r) => [r.plain, !r.plain || JSON.stringify(r.cells) === `["${r.cells.join('","')}"]`])).toEqual([[plain, true]]);
    }
    // tab-separated: the tabs are structure
    expect((await all(await open(Buffer.from('行政区划代码\t户编号\t姓名\n430121001001\tH1\t张三\n'))))[0].plain).toBe(true);
  });
  it('text after a closing quote is a file-level fault naming the row', async () => {
    const csv = '行政区划代码,户编号,姓名,证件号码,与户主关系\n430121001001,H1,张三,1,户主\n430121001001,H1,"李四"x,2,配偶\n430121001001,H1,王五,3,之子\n';
    for (const size of [5, 1 << 20]) expect(await codeOf(open(Buffer.from(csv), size).then(all))).toBe('BK_IMPORT_CSV_INVALID: CSV 格式错误（约第 3 行）: 引号字段的结束引号后还有其他字符');
  });
  it('CSV ending inside a quoted field is a file-level fault', async () => {
    const csv = '行政区划代码,户编号,姓名,证件号码,与户主关系\n430121001001,H1,"张三,1,户主\n';
    expect(await codeOf(open(Buffer.from(csv)).then(all))).toMatch(/^BK_IMPORT_CSV_TRUNCATED: CSV 文件在引号字段中间结束/);
  });
  it('invalid UTF-8 after a long clean prefix is a file-level fault', async () => {
    const head = `行政区划代码,户编号,姓名\n${'430121001001,H1,张三\n'.repeat(5000)}`;
    const bytes = Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe, 0x0a])]);
    expect(await codeOf(open(bytes, 4096).then(all))).toMatch(/^BK_IMPORT_UNDECODABLE/);
  });
  it('no header in the first rows', async () => {
    expect(await codeOf(open(Buffer.from('a,b,c\n1,2,3\n')))).toMatch(/^BK_IMPORT_NO_HEADER/);
  });
  it('reads an XLSX with a merged two-row header, typed cells and a 合计 row', async () => {
    const t = await open(await mergedHeaderPrmXlsx(), 1000);
    expect(t.format).toBe('xlsx');
    expect(t.headerNames).toEqual(['行政区划代码', '户编号', '姓名', '证件号码', '与户主关系', '家庭人口数', '识别监测时间', '工资性收入', '生产经营性收入', '收入年度']);
    expect(t.headerRowNo).toBe(3);
    const rows = await all(t);
    expect(rows.map((r) => r.rowNo)).toEqual([4, 5, 6]);
    expect(rows[0].cells.slice(5, 10)).toEqual(['2', '2023-06-01', '12000', '3000.5', '2024']);
    expect(rows[2].cells[3]).toMatch(/^4\.\d+E\+17$/); // ID typed as a number: precision lost
    expect(t.stats.totalRows).toBe(1);
  });
  it('a truncated XLSX is rejected', async () => {
    const x = await mergedHeaderPrmXlsx();
    expect(await codeOf(open(x.subarray(0, Math.floor(x.length * 0.6))).then(all))).toMatch(/^BK_IMPORT_XLSX_CORRUPT/);
  });
  it('a corrupt XLSX (garbage inside the zip) is rejected', async () => {
    const x = Buffer.from(await mergedHeaderPrmXlsx());
    for (let i = 200; i < x.length - 200; i += 3) x[i] = (x[i] * 7 + 13) & 0xff;
    expect(await codeOf(open(x).then(all))).toMatch(/^BK_IMPORT_XLSX_CORRUPT/);
  });
  it('an XLSX with an empty first sheet', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('空');
    const b = Buffer.from(await wb.xlsx.writeBuffer());
    expect(await codeOf(open(b))).toMatch(/^BK_IMPORT_EMPTY/);
  });
  it('xlsxCellText renders rich text, formulas, dates', () => {
    expect(xlsxCellText({ richText: [{ text: '张' }, { text: '三' }] })).toBe('张三');
    expect(xlsxCellText({ formula: 'A1+1', result: 3 })).toBe('3');
    expect(xlsxCellText(new Date(Date.UTC(2024, 2, 5)))).toBe('2024-03-05');
    expect(xlsxCellText(430121197001020118)).toMatch(/E\+17$/);
    expect(xlsxCellText(null)).toBe('');
  });
});
