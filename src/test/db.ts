/**
 * Database test harness: every database test runs twice, on embedded PGlite
 * and on the PostgreSQL server (TEST_DATABASE_URL, default the local `test`
 * database). A missing server is a failure, never a silent skip.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe } from 'vitest';
import { openDatabase, type Db, type DbHandle } from '../db/dialect.ts';
import { migrateToLatest } from '../db/migrate.ts';

export const TEST_PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type DbKind = 'pglite' | 'postgres';
export const DB_KINDS: DbKind[] = (process.env.BINKU_TEST_DBS?.split(',') as DbKind[] | undefined) ?? ['pglite', 'postgres'];

/** Opens a fresh, migrated, isolated database of the given kind. */
export async function openTestDb(kind: DbKind): Promise<DbHandle & { schema?: string }> {
  if (kind === 'pglite') {
    const h = await openDatabase({});
    await migrateToLatest(h.db);
    return h;
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const h = await openDatabase({ databaseUrl: TEST_PG_URL, schema });
  await migrateToLatest(h.db);
  return {
    ...h,
    schema,
    close: async () => {
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(h.db);
      await h.close();
    },
  };
}

/**
 * `describe` once per database kind; `ctx.db` is ready inside tests.
 * One database per kind per describe block (PGlite takes ~2.5 s to boot).
 */
export function describeDb(name: string, fn: (ctx: { readonly db: Db; readonly kind: DbKind; readonly handle: DbHandle }) => void): void {
  for (const kind of DB_KINDS) {
    describe(`${name} [${kind}]`, () => {
      let handle: DbHandle | undefined;
      const ctx = {
        get db(): Db {
          if (!handle) throw new Error('database not open yet');
          return handle.db;
        },
        get handle(): DbHandle {
          if (!handle) throw new Error('database not open yet');
          return handle;
        },
        kind,
      };
      beforeAll(async () => {
        handle = await openTestDb(kind);
      }, 180_000);
      afterAll(async () => {
        await handle?.close();
      });
      fn(ctx);
    });
  }
}
