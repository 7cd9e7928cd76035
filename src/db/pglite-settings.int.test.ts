// PGlite starts with the settings binku relies on for bulk imports (dialect.ts).
import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { openDatabase } from './dialect.ts';

it('PGlite does not zero-fill new WAL segments and keeps its own defaults', async () => {
  const h = await openDatabase({});
  try {
    const { rows } = await sql<{ name: string; setting: string }>`
      select name, setting from pg_settings where name in ('wal_init_zero', 'fsync', 'search_path') order by name`.execute(h.db);
    expect(rows).toEqual([
      { name: 'fsync', setting: 'off' },
      { name: 'search_path', setting: 'public' },
      { name: 'wal_init_zero', setting: 'off' },
    ]);
  } finally {
    await h.close();
  }
});
