/** Open the configured database and bring its schema up to date. */
import { config } from '../config.ts';
import { openDatabase, type DbHandle } from './dialect.ts';
import { migrateToLatest } from './migrate.ts';

export type { Db, DbHandle } from './dialect.ts';

export async function openConfiguredDatabase(): Promise<DbHandle> {
  const c = config();
  const handle = await openDatabase({ databaseUrl: c.databaseUrl, dataDir: c.dataDir });
  await migrateToLatest(handle.db);
  return handle;
}
