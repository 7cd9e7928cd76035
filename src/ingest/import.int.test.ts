import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, afterAll, expect, it } from 'vitest';
import { describeDb } from '../test/db.ts';
import { BinkuError, isBinkuError } from '../domain/errors.ts';
import type { Db } from '../db/dialect.ts';
import { importFile, type ImportSummary } from './import.ts';
import { rawRowCells, tableCounts } from './store.ts';
import { mergedHeaderPrmXlsx, nastyFeedCsv, nastyLipCsv, nastyPrmCsv, NASTY_IDS, syntheticCsv, toGb18030, withBom } from './fixtures.ts';
import { upgrade15 } from '../domain/id-number.ts';

const codes = (s: ImportSummary): string[] => s.problems.map((p) => `${p.row}:${p.code}`).sort();

async function failCode(db: Db, opts: Parameters<typeof importFile>[1]): Promise<string> {
  const before = await tableCounts(db);
  let code = 'no error';
  try {
    await importFile(db, opts);
  } catch (e) {
    if (!isBinkuError(e)) throw e;
    code = e.code;
    expect(e.message).not.toContain('\n');
  }
  expect(await tableCounts(db)).toEqual(before);
  return code;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'binku-import-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describeDb('importFile', (ctx) => {
  it('imports the nasty PRM file with the exact counts and problem list', async () => {
    const s = await importFile(ctx.db, { system: 'prm', fileName: 'prm-nasty.csv', bytes: withBom(nastyPrmCsv()), importedBy: 'tester' });
    expect(s).toMatchObject({ status: 'imported', countyCode: '430121', period: '2024', format: 'csv', encoding: 'utf8', headerRow: 3 });
    expect({ rows: s.rows, records: s.records, skipped: s.skippedRows, households: s.households, blank: s.blankRows, total: s.totalRows }).toEqual({
      rows: 12,
      records: 10,
      skipped: 2,
      households: 4,
      blank: 1,
      total: 1,
    });
    expect(codes(s)).toEqual(
      [
        '10:BK_IMPORT_ID_BAD_CHECK',
        '11:BK_IMPORT_ID_MISSING',
        '11:BK_IMPORT_BAD_DATE',
        '12:BK_IMPORT_ID_MISSING',
        '12:BK_IMPORT_BAD_ENUM',
        '13:BK_IMPORT_ID_MISSING',
        '13:BK_IMPORT_BAD_AMOUNT',
        '14:BK_IMPORT_MISSING_HOUSEHOLD_NO',
        '15:BK_IMPORT_BAD_REGION',
        '8:BK_IMPORT_HOUSEHOLD_CONFLICT',
        '13:BK_IMPORT_HOUSEHOLD_CONFLICT',
        '7:BK_IMPORT_SIZE_MISMATCH',
      ].sort(),
    );
    expect(s.problemCount).toBe(12);
    expect(s.conflicts).toBe(2);
    expect(s.sizeMismatches).toBe(1);
    expect(s.extraColumns).toEqual(['备注']);
    for (const p of s.problems) {
      expect(p.file).toBe('prm-nasty.csv');
      expect(p.message).toMatch(/[\u4e00-\u9fff]/);
    }
    const conflict = s.problems.find((p) => p.code === 'BK_IMPORT_HOUSEHOLD_CONFLICT' && p.column === '工资性收入')!;
    expect(conflict.message).toContain('户主行的值「8000」');
    const typeConflict = s.problems.find((p) => p.column === '户类型')!;
    expect(typeConflict.message).toContain('出现最多的值「监测户」');

    const db = ctx.db;
    const members = await db.selectFrom('prm_member').selectAll().where('file_id', '=', s.fileId).orderBy('row_no').execute();
    expect(members.map((m) => m.row_no)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    const byRow = new Map(members.map((m) => [m.row_no, m]));
    expect(byRow.get(5)).toMatchObject({ id_number: NASTY_IDS.wifeX, id_status: 'valid', relation: '配偶', sex: 'F' });
    expect(byRow.get(6)).toMatchObject({ id_number: NASTY_IDS.son, id_status: 'valid', relation: '之子' });
    expect(byRow.get(7)).toMatchObject({ id_number: NASTY_IDS.head2, id_status: 'valid' });
    expect(byRow.get(8)).toMatchObject({ id_number: upgrade15(NASTY_IDS.old15), id_status: 'upgraded15', id_raw: NASTY_IDS.old15 });
    expect(byRow.get(9)).toMatchObject({ id_number: NASTY_IDS.head3, id_status: 'disability20' });
    expect(byRow.get(10)).toMatchObject({ id_number: NASTY_IDS.badCheck, id_status: 'bad_check' });
    expect(byRow.get(11)).toMatchObject({ id_number: null, id_status: 'missing', id_raw: '不详' });
    expect(byRow.get(12)).toMatchObject({ id_number: null, id_status: 'missing', id_raw: null });
    expect(byRow.get(12)!.attrs).toMatchObject({ health: null });
    expect(byRow.get(4)!.attrs).toMatchObject({ health: '健康' });
    expect(String(byRow.get(5)!.birth_date instanceof Date ? (byRow.get(5)!.birth_date as Date).toISOString().slice(0, 10) : byRow.get(5)!.birth_date)).toBe('1972-05-06');

    const hh = new Map((await db.selectFrom('prm_household').selectAll().where('file_id', '=', s.fileId).execute()).map((h) => [h.household_no, h]));
    expect([...hh.keys()].sort()).toEqual(['H001', 'H002', 'H003', 'H004']);
    expect(hh.get('H001')).toMatchObject({ member_count: 3, recorded_size: 3, household_type: '监测户', monitoring_category: '边缘易致贫户', region_code: '430121001001', village: '丙村', income_year: 2024 });
    expect(hh.get('H001')!.attrs).toMatchObject({ incomeWage: 12345.6, incomeBusinessGross: 5000, netIncome: 17345.6, measures: ['产业帮扶', '就业帮扶'], monitoredSince: '2024-03-05', riskCleared: false, county: '甲县' });
    expect(hh.get('H002')).toMatchObject({ member_count: 2, recorded_size: 4, household_type: '脱贫户' });
    expect(hh.get('H002')!.attrs).toMatchObject({ incomeWage: 8000, incomeBusinessGross: 3000, netIncome: null, riskCleared: true, monitoredSince: '2024-03-05' });
    expect(hh.get('H002')!.conflicts).toHaveLength(1);
    expect(hh.get('H003')).toMatchObject({ region_code: '430121002003', village: '丁村' });
    expect(hh.get('H003')!.attrs).toMatchObject({ monitoredSince: '2024-03-01' });
    expect(hh.get('H004')).toMatchObject({ household_type: '监测户', member_count: 3 });
    expect(hh.get('H004')!.attrs).toMatchObject({ monitoredSince: '2024-03-05' });

    // every data row's original cells are kept, including the two that could not be imported
    const raw = await db.selectFrom('raw_row').selectAll().where('file_id', '=', s.fileId).orderBy('row_no').execute();
    expect(raw.map((r) => r.row_no)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
    const f = await db.selectFrom('import_file').selectAll().where('file_id', '=', s.fileId).executeTakeFirstOrThrow();
    // Cells are a JSON array per row, the header once per file (migration 0005); read back as {header: text}.
    expect(JSON.parse(f.raw_header!)).toContain('乡（镇）');
    expect(raw.every((r) => r.cells === null && typeof r.cell_list === 'string')).toBe(true);
    expect(rawRowCells(raw[0], f.raw_header)).toMatchObject({ 户编号: 'H001', 姓名: '张三', 工资性收入: '12,345.6', 备注: '备注甲', '乡（镇）': '乙镇' });
    expect(rawRowCells(raw[11], f.raw_header)).toMatchObject({ 行政区划代码: '43012100100', 姓名: '周八' });
    expect(Object.values(rawRowCells(raw[1], f.raw_header))).not.toContain('');
    expect(f).toMatchObject({ status: 'current', row_count: 12, record_count: 10, problem_count: 12, imported_by: 'tester', period: '2024', system: 'prm' });
  });

  it('importing the same file again changes nothing (duplicate), also as GB18030 it is a different file', async () => {
    const before = await tableCounts(ctx.db);
    const again = await importFile(ctx.db, { system: 'prm', fileName: 'renamed.csv', bytes: withBom(nastyPrmCsv()) });
    expect(again.status).toBe('duplicate');
    expect(again.problemCount).toBe(12);
    expect(again.rows).toBe(12);
    expect(await tableCounts(ctx.db)).toEqual(before);
  });

  it('a newer export of the same county/system/period supersedes the older and keeps history', async () => {
    const first = await ctx.db.selectFrom('import_file').select('file_id').where('system', '=', 'prm').where('status', '=', 'current').executeTakeFirstOrThrow();
    const newer = await importFile(ctx.db, { system: 'prm', fileName: 'prm-nasty-gbk.csv', bytes: toGb18030(nastyPrmCsv()) });
    expect(newer.status).toBe('imported');
    expect(newer.encoding).toBe('gb18030');
    expect(newer.records).toBe(10);
    expect(newer.superseded).toEqual([first.file_id]);
    const files = await ctx.db.selectFrom('import_file').selectAll().where('system', '=', 'prm').orderBy('imported_at').execute();
    const old = files.find((f) => f.file_id === first.file_id)!;
    expect(old).toMatchObject({ status: 'superseded', superseded_by: newer.fileId });
    expect(files.filter((f) => f.status === 'current').map((f) => f.file_id)).toEqual([newer.fileId]);
    // history kept: the old file's members are still there
    const oldMembers = await ctx.db.selectFrom('prm_member').select('row_no').where('file_id', '=', first.file_id).execute();
    expect(oldMembers).toHaveLength(10);
  });

  it('imports a two-row merged-header XLSX from disk', async () => {
    const p = join(dir, 'merged.xlsx');
    await writeFile(p, await mergedHeaderPrmXlsx());
    const seen: number[] = [];
    const s = await importFile(ctx.db, { system: 'prm', fileName: 'merged.xlsx', path: p, onProgress: (n) => seen.push(n) });
    expect(s).toMatchObject({ format: 'xlsx', rows: 3, records: 3, households: 2, headerRow: 3, totalRows: 1, period: '2024' });
    expect(codes(s)).toEqual(['6:BK_IMPORT_ID_INVALID']);
    expect(seen.at(-1)).toBe(3);
    const hh = await ctx.db.selectFrom('prm_household').selectAll().where('file_id', '=', s.fileId).where('household_no', '=', 'X01').executeTakeFirstOrThrow();
    expect(hh.attrs).toMatchObject({ incomeWage: 12000, incomeBusinessGross: 3000.5, monitoredSince: '2023-06-01' });
    const x02 = await ctx.db.selectFrom('prm_household').selectAll().where('file_id', '=', s.fileId).where('household_no', '=', 'X02').executeTakeFirstOrThrow();
    expect(x02.attrs).toMatchObject({ monitoredSince: '2024-03-05', incomeBusinessGross: null });
  });

  it('imports the nasty LIP file (GB18030)', async () => {
    const s = await importFile(ctx.db, { system: 'lip', fileName: 'lip.csv', bytes: toGb18030(nastyLipCsv()) });
    expect(s).toMatchObject({ rows: 5, records: 5, households: 2, period: '2023', totalRows: 1, skippedRows: 0 });
    expect(codes(s)).toEqual(['4:BK_IMPORT_HOUSEHOLD_CONFLICT', '6:BK_IMPORT_SIZE_MISMATCH', '7:BK_IMPORT_BAD_ENUM', '7:BK_IMPORT_ID_MISSING'].sort());
    const fam = new Map((await ctx.db.selectFrom('lip_family').selectAll().where('file_id', '=', s.fileId).execute()).map((f) => [f.family_no, f]));
    expect(fam.get('F01')).toMatchObject({ person_category: '低保对象', assistance_status: '在保', recorded_size: 3, member_count: 3, income_year: 2023 });
    expect(fam.get('F01')!.attrs).toMatchObject({ benefitMonthly: 600, disposableIncome: 18000, enrolledDate: '2021-05-01', applicantName: '刘大', hukou: '农业' });
    expect(fam.get('F02')).toMatchObject({ person_category: '特困人员', assistance_status: '停保', recorded_size: 1, member_count: 2 });
    expect(fam.get('F02')!.attrs).toMatchObject({ benefitMonthly: 1100.5, enrolledDate: '2019-03-01' });
    const m = await ctx.db.selectFrom('lip_member').selectAll().where('file_id', '=', s.fileId).orderBy('row_no').execute();
    expect(m.map((x) => x.relation)).toEqual(['本人', '配偶', '子女', '本人', '其他']);
    expect(m[0].attrs).toMatchObject({ health: '重病', labourCapacity: '部分丧失劳动能力', personCategory: '低保对象' });
  });

  it('imports the nasty feed, county from the ID prefixes or --county', async () => {
    const s = await importFile(ctx.db, { system: 'feed', fileName: 'yibao.csv', bytes: Buffer.from(nastyFeedCsv()) });
    expect(s).toMatchObject({ countyCode: '430121', rows: 4, records: 3, skippedRows: 1, period: '2024-06', source: '医保' });
    expect(codes(s)).toEqual(['3:BK_IMPORT_EVENT_SOURCE_MISMATCH', '4:BK_IMPORT_BAD_DATE', '5:BK_IMPORT_BAD_ENUM', '5:BK_IMPORT_BAD_ENUM'].sort());
    const sig = await ctx.db.selectFrom('signal').selectAll().where('file_id', '=', s.fileId).orderBy('row_no').execute();
    expect(sig.map((x) => [x.row_no, x.source, x.event_type, x.amount === null ? null : Number(x.amount)])).toEqual([
      [2, '医保', '住院自付费用', 12000.5],
      [3, '医保', '死亡注销', null],
      [4, '应急', '自然灾害受灾', 8000],
    ]);
    expect(sig[2].event_date).toBeNull();
    const forced = await importFile(ctx.db, { system: 'feed', fileName: 'yibao2.csv', bytes: Buffer.from(`${nastyFeedCsv()}\n`), county: '430122' });
    expect(forced.countyCode).toBe('430122');
    expect(forced.superseded).toEqual([]); // another county: nothing to supersede
  });

  it('bad files fail with a one-line reason and leave the database unchanged', async () => {
    const db = ctx.db;
    const lipAsPrm = Buffer.from(nastyLipCsv().replace('甲县', '乙县'));
    expect(await failCode(db, { system: 'prm', fileName: 'empty.csv', bytes: Buffer.alloc(0) })).toBe('BK_IMPORT_EMPTY');
    expect(await failCode(db, { system: 'prm', fileName: 'bin.csv', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3]) })).toBe('BK_IMPORT_BINARY');
    expect(await failCode(db, { system: 'prm', fileName: 'x.csv', bytes: Buffer.from(Array.from({ length: 300 }, (_, i) => (i % 2 ? 0xff : 0x80))) })).toBe('BK_IMPORT_UNDECODABLE');
    expect(await failCode(db, { system: 'prm', fileName: 'noheader.csv', bytes: Buffer.from('甲,乙\n1,2\n') })).toBe('BK_IMPORT_NO_HEADER');
    expect(await failCode(db, { system: 'prm', fileName: 'lip.csv', bytes: lipAsPrm })).toBe('BK_IMPORT_WRONG_SYSTEM');
    expect(await failCode(db, { system: 'prm', fileName: 'cols.csv', bytes: Buffer.from('行政区划代码,户编号,姓名\n430121001001,H1,张三\n') })).toBe('BK_IMPORT_MISSING_COLUMNS');
    expect(await failCode(db, { system: 'prm', fileName: 'hdr.csv', bytes: Buffer.from('行政区划代码,户编号,姓名,证件号码,与户主关系\n') })).toBe('BK_IMPORT_NO_ROWS');
    // ends inside a quoted field after many good rows: the good rows are rolled back too
    const good = nastyPrmCsv().replace(/\r\n,+\r\n合计.*\r\n$/, '\r\n');
    const truncated = Buffer.from(`${good}H009,甲县,乙镇,丙村,430121001001,监测户,,"张`);
    expect(await failCode(db, { system: 'prm', fileName: 'trunc.csv', bytes: truncated })).toBe('BK_IMPORT_CSV_TRUNCATED');
    const big = Buffer.from([...syntheticCsv('prm', 2500, 9)].join('') + 'x,"unterminated');
    expect(await failCode(db, { system: 'prm', fileName: 'big-trunc.csv', bytes: big, batchSize: 500 })).toBe('BK_IMPORT_CSV_TRUNCATED');
    const x = await mergedHeaderPrmXlsx();
    expect(await failCode(db, { system: 'prm', fileName: 'cut.xlsx', bytes: x.subarray(0, x.length - 300) })).toBe('BK_IMPORT_XLSX_CORRUPT');
    const p = join(dir, 'cut.xlsx');
    await writeFile(p, x.subarray(0, Math.floor(x.length / 2)));
    expect(await failCode(db, { system: 'prm', fileName: 'cut.xlsx', path: p })).toBe('BK_IMPORT_XLSX_CORRUPT');
    expect(await failCode(db, { system: 'prm', fileName: 'gone.csv', path: join(dir, 'missing.csv') })).toBe('BK_IMPORT_FILE_NOT_FOUND');
    expect(await failCode(db, { system: 'prm', fileName: 'ok.csv', bytes: withBom(`${nastyPrmCsv()}\n`), checkCounty: () => { throw new BinkuError('BK_AUTH_OUT_OF_SCOPE', '无权', { status: 403 }); } })).toBe('BK_AUTH_OUT_OF_SCOPE');
  });

  it('streams a synthetic 5k-row PRM file in batches', async () => {
    const bytes = Buffer.from([...syntheticCsv('prm', 5_000, 3)].join(''));
    const progress: number[] = [];
    const s = await importFile(ctx.db, { system: 'prm', fileName: 'syn.csv', bytes, onProgress: (n) => progress.push(n), batchSize: 500 });
    expect(s).toMatchObject({ rows: 5_000, records: 5_000, problemCount: 0, skippedRows: 0 });
    expect(progress.length).toBeGreaterThan(5);
    const n = await ctx.db.selectFrom('prm_member').select((eb) => eb.fn.countAll<number>().as('n')).where('file_id', '=', s.fileId).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(5_000);
    const hh = await ctx.db.selectFrom('prm_household').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('member_count').as('m')]).where('file_id', '=', s.fileId).executeTakeFirstOrThrow();
    expect(Number(hh.n)).toBe(s.households);
    expect(Number(hh.m)).toBe(5_000);
  });
});
