import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeDb } from '../test/db.ts';
import { migrateToLatest } from './migrate.ts';

describeDb('migrations', (ctx) => {
  it('creates the core tables with county_code in every primary key', async () => {
    const rows = await sql<{ table_name: string; column_name: string }>`
      select kcu.table_name, kcu.column_name
      from information_schema.table_constraints tc
      join information_schema.key_column_usage kcu
        on tc.constraint_name = kcu.constraint_name and tc.table_schema = kcu.table_schema
      where tc.constraint_type = 'PRIMARY KEY' and tc.table_schema = current_schema()
        and kcu.table_name not like 'kysely_%'`.execute(ctx.db);
    const tables = new Set(rows.rows.map((r) => r.table_name));
    for (const t of ['import_file', 'raw_row', 'prm_household', 'prm_member', 'lip_family', 'lip_member', 'signal']) {
      expect(tables.has(t), t).toBe(true);
    }
    for (const t of tables) {
      expect(rows.rows.some((r) => r.table_name === t && r.column_name === 'county_code'), `${t} pk has county_code`).toBe(true);
    }
  });

  it('is a no-op the second time', async () => {
    expect(await migrateToLatest(ctx.db)).toEqual([]);
  });

  it('counts come back as numbers on both drivers', async () => {
    const r = await ctx.db.selectFrom('import_file').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(r.n).toBe(0);
  });
});
