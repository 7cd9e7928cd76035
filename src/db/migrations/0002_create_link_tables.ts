// Migration 0002: results of 并库比对 (linkage): unified persons, one row per
// system record, the clerical review queue, unified households and their
// (PRM household, LIP family) pairings, and merge runs. Never edit after
// merge; add a new file.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One merge per county per run; `input_hash` lets a later merge skip a
  // county whose inputs (records + review decisions) did not change.
  await db.schema
    .createTable('merge_run')
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('finished_at', 'timestamptz')
    .addColumn('status', 'text', (c) => c.notNull()) // done | skipped_unchanged | failed
    .addColumn('input_hash', 'text', (c) => c.notNull())
    .addColumn('prm_records', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lip_records', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('persons', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('households', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pairings', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stats', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`)) // methods, EM weights, timings
    .addColumn('started_by', 'text')
    .addPrimaryKeyConstraint('merge_run_pk', ['county_code', 'run_id'])
    .execute();

  // 统一人员: one real person across both systems.
  await db.schema
    .createTable('person')
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('person_id', 'text', (c) => c.notNull()) // derived from the smallest record key: stable
    .addColumn('id_number', 'text') // normalized 18-digit when any record has a usable one
    .addColumn('name', 'text')
    .addColumn('birth_date', 'text') // ISO yyyy-mm-dd
    .addColumn('sex', 'text')
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('in_prm', 'boolean', (c) => c.notNull())
    .addColumn('in_lip', 'boolean', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull()) // II | III | IV (person level)
    .addColumn('household_id', 'text') // unified household of the person's first record
    .addPrimaryKeyConstraint('person_pk', ['county_code', 'person_id'])
    .execute();
  await db.schema.createIndex('person_id_number_idx').on('person').columns(['county_code', 'id_number']).execute();

  // One row per PRM member / LIP member record of the current exports.
  await db.schema
    .createTable('person_record')
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('system', 'text', (c) => c.notNull()) // prm | lip
    .addColumn('record_key', 'text', (c) => c.notNull()) // household/family no + ID (or name): survives re-exports
    .addColumn('person_id', 'text', (c) => c.notNull())
    .addColumn('group_no', 'text', (c) => c.notNull()) // 户编号 / 家庭编号
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull()) // id_exact | probabilistic | review | singleton
    .addColumn('score', 'double precision') // match probability of the link, null for id_exact/singleton
    .addColumn('agreements', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('record_hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('person_record_pk', ['county_code', 'system', 'record_key'])
    .execute();
  await db.schema.createIndex('person_record_person_idx').on('person_record').columns(['county_code', 'person_id']).execute();
  await db.schema.createIndex('person_record_group_idx').on('person_record').columns(['county_code', 'system', 'group_no']).execute();

  // 人工复核队列: possible matches; decisions survive later merges.
  await db.schema
    .createTable('link_review')
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('review_id', 'text', (c) => c.notNull()) // hash of the two record keys: stable
    .addColumn('prm_record_key', 'text', (c) => c.notNull())
    .addColumn('lip_record_key', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('agreements', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending')) // pending | accepted | rejected
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true)) // still a candidate in the last merge
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('reason', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('link_review_pk', ['county_code', 'review_id'])
    .addUniqueConstraint('link_review_pair_uq', ['county_code', 'prm_record_key', 'lip_record_key'])
    .execute();
  await db.schema.createIndex('link_review_status_idx').on('link_review').columns(['county_code', 'status']).execute();

  // 统一家庭: a connected component of PRM households and LIP families.
  await db.schema
    .createTable('unified_household')
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('household_id', 'text', (c) => c.notNull()) // from the smallest node key: stable
    .addColumn('category', 'text', (c) => c.notNull()) // II | III | IV
    .addColumn('region_code', 'text', (c) => c.notNull()) // village code of the first node
    .addColumn('township', 'text')
    .addColumn('village', 'text')
    .addColumn('prm_households', 'integer', (c) => c.notNull())
    .addColumn('lip_families', 'integer', (c) => c.notNull())
    .addColumn('persons', 'integer', (c) => c.notNull())
    .addColumn('persons_prm_only', 'integer', (c) => c.notNull())
    .addColumn('persons_lip_only', 'integer', (c) => c.notNull())
    .addColumn('persons_both', 'integer', (c) => c.notNull())
    .addColumn('head_name', 'text') // 户主 / 申请人 of the first node
    .addColumn('reasons', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`)) // non-overlap reasons
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('unified_household_pk', ['county_code', 'household_id'])
    .execute();
  await db.schema.createIndex('unified_household_cat_idx').on('unified_household').columns(['county_code', 'category']).execute();
  await db.schema.createIndex('unified_household_region_idx').on('unified_household').columns(['region_code']).execute();

  // One row per (PRM household, LIP family) pairing, plus one row per
  // unpaired PRM household or LIP family (the other number null).
  await db.schema
    .createTable('household_pairing')
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('pairing_key', 'text', (c) => c.notNull()) // `${prm_no}|${lip_no}` with '' for a missing side
    .addColumn('household_id', 'text', (c) => c.notNull())
    .addColumn('prm_household_no', 'text')
    .addColumn('lip_family_no', 'text')
    .addColumn('prm_file_id', 'text')
    .addColumn('lip_file_id', 'text')
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('members', 'integer', (c) => c.notNull()) // distinct persons in both together
    .addColumn('shared_persons', 'integer', (c) => c.notNull()) // persons in both
    .addPrimaryKeyConstraint('household_pairing_pk', ['county_code', 'pairing_key'])
    .execute();
  await db.schema.createIndex('household_pairing_hh_idx').on('household_pairing').columns(['county_code', 'household_id']).execute();
  await db.schema.createIndex('household_pairing_prm_idx').on('household_pairing').columns(['county_code', 'prm_household_no']).execute();
  await db.schema.createIndex('household_pairing_lip_idx').on('household_pairing').columns(['county_code', 'lip_family_no']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['household_pairing', 'unified_household', 'link_review', 'person_record', 'person', 'merge_run']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
