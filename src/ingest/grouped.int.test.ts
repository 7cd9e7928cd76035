import { expect, it } from 'vitest';
import { describeDb } from '../test/db.ts';
import { importFile } from './import.ts';
import { syntheticCsv } from './fixtures.ts';

const csv = [...syntheticCsv('prm', 300, 3)].join('');

describeDb('households resolved as their rows end', (ctx) => {
  it('a file whose household rows are scattered gives the same households as the grouped file', async () => {
    const lines = csv.split('\n').filter((l) => l !== '');
    // move the first household's 户主 row (line 1) to the end: its household is now split
    const scattered = [lines[0], ...lines.slice(2), lines[1]].join('\n') + '\n';
    const a = await importFile(ctx.db, { system: 'prm', fileName: 'grouped.csv', bytes: Buffer.from(csv) });
    const b = await importFile(ctx.db, { system: 'prm', fileName: 'scattered.csv', bytes: Buffer.from(scattered) });
    expect(b.rows).toBe(a.rows);
    expect(b.households).toBe(a.households);
    const load = async (fileId: string) =>
      (await ctx.db.selectFrom('prm_household').select(['household_no', 'member_count', 'household_type', 'region_code', 'recorded_size']).where('file_id', '=', fileId).orderBy('household_no').execute());
    const ha = await load(a.fileId);
    const hb = await load(b.fileId);
    expect(ha.length).toBe(a.households);
    expect(hb).toEqual(ha);
    expect(hb[0].household_no).toBe('H00000001');
    expect(hb[0].member_count).toBeGreaterThan(1);
    const members = await ctx.db.selectFrom('prm_member').select((e) => e.fn.countAll<string>().as('n')).where('file_id', '=', b.fileId).executeTakeFirstOrThrow();
    expect(Number(members.n)).toBe(b.records);
  });
});
