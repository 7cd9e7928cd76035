/**
 * The only place that picks the database: node-postgres when DATABASE_URL is
 * set, otherwise embedded PGlite in the data folder. Everything else talks
 * Kysely and never knows which.
 */
import { mkdirSync } from 'node:fs';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

export interface DbHandle {
  db: Db;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

// `count(*)`/bigint come back as strings from pg and numbers from PGlite:
// return int8 as JS numbers from both (our counts fit in 2^53), numerics stay strings.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * The driver object behind a Kysely instance opened here, for the few bulk
 * paths that need what Kysely does not offer (COPY in the import). Keyed by
 * the root Kysely instance; undefined for instances built elsewhere.
 */
export type RawDriver = { kind: 'postgres'; pool: pg.Pool } | { kind: 'pglite'; pglite: PGlite };
const rawDrivers = new WeakMap<Db, RawDriver>();
export function rawDriverOf(db: Db): RawDriver | undefined {
  return rawDrivers.get(db);
}

export interface OpenOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** PostgreSQL schema to use (tests isolate each file in its own schema). */
  schema?: string;
}

export async function openDatabase(opts: OpenOptions): Promise<DbHandle> {
  if (opts.databaseUrl) {
    if (opts.schema) {
      // Create the schema on a connection of its own before any pooled
      // connection starts with it in search_path (pooled ones must never see it missing).
      const client = new pg.Client({ connectionString: opts.databaseUrl });
      await client.connect();
      try {
        await client.query(`create schema if not exists "${opts.schema.replace(/"/g, '""')}"`);
      } finally {
        await client.end();
      }
    }
    const pool = new pg.Pool({
      connectionString: opts.databaseUrl,
      max: 4,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    rawDrivers.set(db, { kind: 'postgres', pool });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  // No dataDir = in-memory (tests); otherwise a folder on disk.
  if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
  // New WAL segments are not zero-filled first: in PGlite every write is a synchronous call through
  // its file system layer, and a 1M-row import fills ~1 GB of WAL (PRM, 3 runs each: 24.9–25.2 s →
  // 21.2–21.5 s). Zero-filling only reserves disk space early; PGlite already runs without fsync.
  const startParams = [...PGlite.defaultStartParams, '-c', 'wal_init_zero=off'];
  const pglite = await PGlite.create({ ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), startParams });
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  rawDrivers.set(db, { kind: 'pglite', pglite });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
