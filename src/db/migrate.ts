/** Runs the numbered migrations in order; called on every start. */
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';
import { sql, type DatabaseIntrospector, type SchemaMetadata, type TableMetadata } from 'kysely';
import type { Db } from './dialect.ts';
import { BinkuError } from '../domain/errors.ts';

// Static imports so the list is explicit and works without a build step.
import * as m0001 from './migrations/0001_create_import_tables.ts';
import * as m0004 from './migrations/0004_create_auth_audit.ts';
import * as m0002 from './migrations/0002_create_link_tables.ts';
import * as m0003 from './migrations/0003_create_standard.ts';
import * as m0005 from './migrations/0005_store_raw_cells_as_text.ts';
import * as m0006 from './migrations/0006_store_attrs_as_json.ts';

const migrations: Record<string, Migration> = {
  '0001_create_import_tables': m0001,
  '0004_create_auth_audit': m0004,
  '0002_create_link_tables': m0002,
  '0003_create_standard': m0003,
  '0005_store_raw_cells_as_text': m0005,
  '0006_store_attrs_as_json': m0006,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export async function migrateToLatest(db: Db): Promise<string[]> {
  // Migrations are written in parallel and land out of number order (0004 before
  // 0002/0003); a database that already ran a later number must still accept them.
  // Pin Kysely's bookkeeping tables to the current schema: without it Kysely
  // finds `kysely_migration_lock` in ANY schema (e.g. another test's leftover
  // t_xxx schema) and then fails to query it through search_path.
  const { rows } = await sql<{ s: string }>`select current_schema() as s`.execute(db);
  const schema = rows[0].s;
  const migrator = new Migrator({ db: withSchemaIntrospection(db, schema), provider, allowUnorderedMigrations: true, migrationTableSchema: schema });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? '?';
    throw new BinkuError('BK_DB_MIGRATION_FAILED', `数据库迁移失败: ${failed}: ${(error as Error).message}`, { status: 500 });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * The migrator asks "does my bookkeeping table exist?" through Kysely's
 * introspector, which reads every column of every schema and calls
 * pg_get_serial_sequence()/has_schema_privilege() by name on each. When another
 * session drops a column or a schema at the same moment (parallel test files,
 * or several counties' schemas on one server) that query fails with e.g.
 * `column "raw_header" of relation "import_file" does not exist` for a table
 * the migrator never cared about. Answer the migrator's two questions from
 * pg_catalog by oid, limited to our own schema, so nothing can race.
 */
function withSchemaIntrospection(db: Db, schema: string): Db {
  const introspection: DatabaseIntrospector = {
    async getSchemas(): Promise<SchemaMetadata[]> {
      const r = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace where nspname = ${schema}`.execute(db);
      return r.rows;
    },
    async getTables(): Promise<TableMetadata[]> {
      const r = await sql<{ name: string; kind: string }>`
        select c.relname as name, c.relkind as kind from pg_catalog.pg_class c
        join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v', 'f')`.execute(db);
      // Only name and schema are read by the migrator; columns are not looked up.
      return r.rows.map((t) => ({ name: t.name, schema, isView: t.kind === 'v', isForeign: t.kind === 'f', columns: [] }));
    },
  };
  // Kysely methods use private fields, so forward calls bound to the real instance.
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'introspection') return introspection;
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
