// Migration 0005: raw cells stored as a JSON array in text, header once per file.
// Never edit after merge; add a new file.
//
// Measured (PGlite, 20k rows of 40 cells): COPY into a jsonb `{header: text}`
// column took 1.40 s, the same cells as a text JSON array 0.43 s (jsonb parsing
// and the header repeated on every row). New imports write:
//   import_file.raw_header  text  JSON array of the header names as found
//   raw_row.cell_list       text  JSON array of the row's cells (trailing empties
//                                 dropped), aligned with raw_header; cells beyond
//                                 the header are named 列N (N = 1-based column)
// and leave raw_row.cells null. Rows imported before keep `cells` (jsonb object).
// Both read back as {header: text} with rawRowCells() in src/ingest/store.ts.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('import_file').addColumn('raw_header', 'text').execute();
  await db.schema.alterTable('raw_row').addColumn('cell_list', 'text').execute();
  await db.schema.alterTable('raw_row').alterColumn('cells', (c) => c.dropNotNull()).execute();
  await sql`alter table raw_row add constraint raw_row_cells_ck check (cells is not null or cell_list is not null)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Back to the jsonb object form (empty cells left out, as 0001 stored them).
  await sql`update raw_row r set cells = coalesce((
      select jsonb_object_agg(coalesce(h.name, '列' || c.o), c.v)
      from json_array_elements_text(r.cell_list::json) with ordinality as c(v, o)
      left join json_array_elements_text(f.raw_header::json) with ordinality as h(name, ho) on h.ho = c.o
      where c.v <> ''), '{}'::jsonb)
    from import_file f
    where r.cells is null and f.county_code = r.county_code and f.file_id = r.file_id`.execute(db);
  await sql`update raw_row set cells = '{}'::jsonb where cells is null`.execute(db);
  await sql`alter table raw_row drop constraint if exists raw_row_cells_ck`.execute(db);
  await db.schema.alterTable('raw_row').alterColumn('cells', (c) => c.setNotNull()).execute();
  await db.schema.alterTable('raw_row').dropColumn('cell_list').execute();
  await db.schema.alterTable('import_file').dropColumn('raw_header').execute();
}
