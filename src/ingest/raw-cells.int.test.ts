// Migration 0005 (raw cells as a JSON array, header once per file) and its down step.
import { expect, it } from 'vitest';
import { describeDb } from '../test/db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import * as m0005 from '../db/migrations/0005_store_raw_cells_as_text.ts';
import { importFile } from './import.ts';
import { nastyPrmCsv, withBom } from './fixtures.ts';
import { rawRowCells } from './store.ts';

describeDb('raw cells storage (migration 0005)', (ctx) => {
  it('reads the same {header: text} before and after migrating down, and up again', async () => {
    const s = await importFile(ctx.db, { system: 'prm', fileName: 'p.csv', bytes: withBom(nastyPrmCsv()) });
    const f = await ctx.db.selectFrom('import_file').selectAll().where('file_id', '=', s.fileId).executeTakeFirstOrThrow();
    const rows = await ctx.db.selectFrom('raw_row').selectAll().where('file_id', '=', s.fileId).orderBy('row_no').execute();
    const before = rows.map((r) => rawRowCells(r, f.raw_header));
    expect(before[0]).toMatchObject({ 户编号: 'H001', 姓名: '张三', 备注: '备注甲' });

    await m0005.down(ctx.db);
    const old = await ctx.db.selectFrom('raw_row').select(['row_no', 'cells']).where('file_id', '=', s.fileId).orderBy('row_no').execute();
    expect(old.map((r) => (typeof r.cells === 'string' ? JSON.parse(r.cells) : r.cells))).toEqual(before);

    await m0005.up(ctx.db);
    const again = await ctx.db.selectFrom('raw_row').selectAll().where('file_id', '=', s.fileId).orderBy('row_no').execute();
    expect(again.map((r) => rawRowCells(r, null))).toEqual(before);
    expect(await migrateToLatest(ctx.db)).toEqual([]);
  });
});
