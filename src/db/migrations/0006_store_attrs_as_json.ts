// Migration 0006: record attrs and household conflicts as json, not jsonb.
// Never edit after merge; add a new file.
//
// Every import writes one attrs value per person row and an attrs + conflicts
// value per household, and jsonb parses each into its binary form on the way
// in. Measured on PostgreSQL 15, COPY of a 1M-row PRM import's exact text:
// server CPU 11.3 s with jsonb, 9.5 s with json (households 2.65 → 1.66 s,
// members 5.63 → 4.76 s); PGlite, 200k rows: 27.0 → 22.9 µs per row. The
// values are only read whole or with ->> (both work on json); nothing
// compares, groups or indexes them, which json cannot do.
import { type Kysely, sql } from 'kysely';

const COLUMNS = [
  ['prm_member', 'attrs', '{}'],
  ['lip_member', 'attrs', '{}'],
  ['prm_household', 'attrs', '{}'],
  ['prm_household', 'conflicts', '[]'],
  ['lip_family', 'attrs', '{}'],
  ['lip_family', 'conflicts', '[]'],
] as const;

async function retype(db: Kysely<any>, type: 'json' | 'jsonb'): Promise<void> {
  for (const [table, column, empty] of COLUMNS) {
    const t = sql.table(table);
    const c = sql.id(column);
    await sql`alter table ${t} alter column ${c} drop default`.execute(db);
    await sql`alter table ${t} alter column ${c} type ${sql.raw(type)} using ${c}::${sql.raw(type)}`.execute(db);
    await sql`alter table ${t} alter column ${c} set default ${sql.lit(empty)}::${sql.raw(type)}`.execute(db);
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  await retype(db, 'json');
}

export async function down(db: Kysely<any>): Promise<void> {
  await retype(db, 'jsonb');
}
