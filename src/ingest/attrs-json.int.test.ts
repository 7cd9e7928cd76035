// Migration 0006 (record attrs and household conflicts as json) and its down step.
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeDb } from '../test/db.ts';
import { migrateToLatest } from '../db/migrate.ts';
import * as m0006 from '../db/migrations/0006_store_attrs_as_json.ts';
import { importFile } from './import.ts';
import { nastyPrmCsv, withBom } from './fixtures.ts';
import type { Db } from '../db/dialect.ts';

async function types(db: Db): Promise<string[]> {
  const { rows } = await sql<{ t: string }>`
    select table_name || '.' || column_name || ':' || data_type as t from information_schema.columns
    where table_schema = current_schema() and column_name in ('attrs', 'conflicts')
      and table_name in ('prm_member', 'prm_household', 'lip_member', 'lip_family')
    order by 1`.execute(db);
  return rows.map((r) => r.t);
}

async function stored(db: Db, fileId: string): Promise<unknown> {
  const hh = await db.selectFrom('prm_household').select(['household_no', 'attrs', 'conflicts']).where('file_id', '=', fileId).orderBy('household_no').execute();
  const m = await db.selectFrom('prm_member').select(['row_no', 'attrs']).where('file_id', '=', fileId).orderBy('row_no').execute();
  return { hh, m };
}

describeDb('attrs stored as json (migration 0006)', (ctx) => {
  it('keeps every value through down and up, and imports into both forms', async () => {
    expect(await types(ctx.db)).toEqual([
      'lip_family.attrs:json', 'lip_family.conflicts:json', 'lip_member.attrs:json', 'prm_household.attrs:json', 'prm_household.conflicts:json', 'prm_member.attrs:json',
    ]);
    const s = await importFile(ctx.db, { system: 'prm', fileName: 'p.csv', bytes: withBom(nastyPrmCsv()) });
    const before = (await stored(ctx.db, s.fileId)) as { hh: { conflicts: unknown[]; attrs: Record<string, unknown> }[] };
    // The nasty file has household conflicts and filled attrs: the check below compares real values.
    expect(before.hh.some((h) => h.conflicts.length > 0)).toBe(true);
    expect(before.hh.some((h) => Object.keys(h.attrs).length > 5)).toBe(true);

    await m0006.down(ctx.db);
    expect((await types(ctx.db)).every((t) => t.endsWith(':jsonb'))).toBe(true);
    expect(await stored(ctx.db, s.fileId)).toEqual(before);

    await m0006.up(ctx.db);
    expect(await stored(ctx.db, s.fileId)).toEqual(before);
    expect(await migrateToLatest(ctx.db)).toEqual([]);
    // An empty attrs still defaults to {} / [] after the retype.
    const { rows } = await sql<{ d: string }>`select column_default as d from information_schema.columns
      where table_schema = current_schema() and table_name = 'prm_household' and column_name = 'conflicts'`.execute(ctx.db);
    expect(rows[0].d).toContain("'[]'::json");
  });
});
