// Migration 0003: standards (标准) as versioned data per region prefix and
// validity period (issue 5). Never edit after merge; add a new file.
//
// county_code = the first 6 digits of region_prefix, or '' for national and
// provincial/city rows (a small reference table; '' keeps the key uniform).
// valid_from is inclusive, valid_to exclusive (null = open-ended).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('standard')
    .addColumn('county_code', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull()) // dibao_annual, monitoring_line, … (src/rules/standards.ts)
    .addColumn('region_prefix', 'text', (c) => c.notNull()) // '' national, '62' province, '621200' county …
    .addColumn('valid_from', 'date', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('valid_to', 'date')
    .addColumn('amount', sql`numeric(14, 4)`, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('standard_pk', ['county_code', 'kind', 'region_prefix', 'valid_from', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('standard').ifExists().execute();
}
