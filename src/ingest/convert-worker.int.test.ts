// Large files are converted in a worker thread (convert-worker.ts): the same
// summary, rows and households as in-process, and faults keep their code.
import { expect, it } from 'vitest';
import { describeDb } from '../test/db.ts';
import { BinkuError, isBinkuError } from '../domain/errors.ts';
import { importFile, type ImportSummary } from './import.ts';
import { tableCounts } from './store.ts';
import { nastyPrmCsv, syntheticCsv, withBom } from './fixtures.ts';
import type { Db } from '../db/dialect.ts';

const strip = (s: ImportSummary): object => ({ ...s, elapsedMs: 0, fileId: '', contentHash: '', fileName: '', superseded: [], problems: s.problems.map((p) => ({ ...p, file: '' })) });

async function rowsOf(db: Db, fileId: string): Promise<unknown[]> {
  const m = await db.selectFrom('prm_member').select(['row_no', 'name', 'id_number', 'id_status', 'relation', 'sex', 'birth_date', 'attrs', 'household_no']).where('file_id', '=', fileId).orderBy('row_no').execute();
  const h = await db.selectFrom('prm_household').select(['household_no', 'member_count', 'recorded_size', 'household_type', 'attrs', 'conflicts']).where('file_id', '=', fileId).orderBy('household_no').execute();
  const r = await db.selectFrom('raw_row').select(['row_no', 'cell_list']).where('file_id', '=', fileId).orderBy('row_no').execute();
  return [m, h, r];
}

async function failCode(db: Db, opts: Parameters<typeof importFile>[1]): Promise<string> {
  const before = await tableCounts(db);
  try {
    await importFile(db, opts);
    return 'no error';
  } catch (e) {
    if (!isBinkuError(e)) throw e;
    expect(await tableCounts(db)).toEqual(before);
    return e.code;
  }
}

describeDb('import in a worker thread', (ctx) => {
  it('gives the same summary and stored rows as in-process (nasty file, several batches, scattered household)', async () => {
    const lines = [...syntheticCsv('prm', 1200, 5)].join('').split('\n').filter((l) => l !== '');
    // the first household's 户主 row moved to the end: grouped mode fails, the map-mode rerun imports it
    const scattered = Buffer.from(`${[lines[0], ...lines.slice(2), lines[1]].join('\n')}\n`);
    for (const [bytes, name] of [[withBom(nastyPrmCsv()), 'nasty'], [scattered, 'scattered']] as const) {
      const here = await importFile(ctx.db, { system: 'prm', fileName: `${name}.csv`, bytes, worker: false, batchSize: 300 });
      await ctx.db.deleteFrom('import_file').where('file_id', '=', here.fileId).execute();
      const a = await rowsOf(ctx.db, here.fileId);
      for (const t of ['raw_row', 'prm_member', 'prm_household'] as const) await ctx.db.deleteFrom(t).where('file_id', '=', here.fileId).execute();
      const progress: number[] = [];
      const there = await importFile(ctx.db, { system: 'prm', fileName: `${name}.csv`, bytes, worker: true, batchSize: 300, onProgress: (n) => progress.push(n) });
      expect(strip(there)).toEqual(strip(here));
      expect(await rowsOf(ctx.db, there.fileId)).toEqual(a);
      expect(progress.at(-1)).toBe(there.rows);
    }
  });

  it('file faults and a refused county keep their code and leave the database unchanged', async () => {
    const big = Buffer.from([...syntheticCsv('prm', 2500, 9)].join('') + 'x,"unterminated');
    expect(await failCode(ctx.db, { system: 'prm', fileName: 'big-trunc.csv', bytes: big, batchSize: 500, worker: true })).toBe('BK_IMPORT_CSV_TRUNCATED');
    expect(await failCode(ctx.db, { system: 'prm', fileName: 'hdr.csv', bytes: Buffer.from('行政区划代码,户编号,姓名,证件号码,与户主关系\n'), worker: true })).toBe('BK_IMPORT_NO_ROWS');
    const refuse = (): void => {
      throw new BinkuError('BK_AUTH_OUT_OF_SCOPE', '无权', { status: 403 });
    };
    expect(await failCode(ctx.db, { system: 'prm', fileName: 'ok.csv', bytes: withBom(`${nastyPrmCsv()}\n`), checkCounty: refuse, worker: true })).toBe('BK_AUTH_OUT_OF_SCOPE');
  });
});
