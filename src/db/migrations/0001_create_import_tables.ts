// Migration 0001: import files, raw rows, and the normalized records of both
// systems and the department feeds. Never edit after merge; add a new file.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_file')
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('system', 'text', (c) => c.notNull()) // prm | lip | feed
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content_hash', 'text', (c) => c.notNull())
    .addColumn('period', 'text') // income year / statistics year / feed month
    .addColumn('source', 'text') // feed department (医保, 残联 …)
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('current')) // current | superseded
    .addColumn('superseded_by', 'text')
    .addColumn('row_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('record_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('problem_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('problems', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('imported_by', 'text')
    .addColumn('imported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('import_file_pk', ['county_code', 'file_id'])
    .addUniqueConstraint('import_file_hash_uq', ['county_code', 'system', 'content_hash'])
    .execute();

  await db.schema
    .createTable('raw_row')
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('row_no', 'integer', (c) => c.notNull()) // 1-based row in the sheet/file
    .addColumn('cells', 'jsonb', (c) => c.notNull()) // {header: raw text}
    .addPrimaryKeyConstraint('raw_row_pk', ['county_code', 'file_id', 'row_no'])
    .execute();

  // 防止返贫监测系统 household (one per 户编号 per file).
  await db.schema
    .createTable('prm_household')
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('household_no', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('township', 'text')
    .addColumn('village', 'text')
    .addColumn('household_type', 'text') // 户类型
    .addColumn('monitoring_category', 'text') // 监测对象类别
    .addColumn('recorded_size', 'integer') // 家庭人口数 as recorded
    .addColumn('member_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('income_year', 'integer') // 收入年度 (Oct N-1 .. Sep N)
    .addColumn('attrs', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`)) // see PrmHouseholdAttrs
    .addColumn('conflicts', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addPrimaryKeyConstraint('prm_household_pk', ['county_code', 'file_id', 'household_no'])
    .execute();

  await db.schema
    .createTable('prm_member')
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('household_no', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('id_raw', 'text')
    .addColumn('id_number', 'text') // normalized 18-digit, null when unusable
    .addColumn('id_status', 'text', (c) => c.notNull()) // valid | bad_check | upgraded15 | disability20 | missing | invalid
    .addColumn('relation', 'text') // 与户主关系
    .addColumn('sex', 'text') // M | F (from ID)
    .addColumn('birth_date', 'date') // from ID
    .addColumn('attrs', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`)) // see PrmMemberAttrs
    .addPrimaryKeyConstraint('prm_member_pk', ['county_code', 'file_id', 'row_no'])
    .execute();
  await db.schema.createIndex('prm_member_hh_idx').on('prm_member').columns(['county_code', 'file_id', 'household_no']).execute();

  // 低收入人口动态监测信息平台 family (one per 家庭编号 per file).
  await db.schema
    .createTable('lip_family')
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('family_no', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('township', 'text')
    .addColumn('village', 'text')
    .addColumn('person_category', 'text') // 人员类别 of the applicant row
    .addColumn('assistance_status', 'text') // 救助状态
    .addColumn('recorded_size', 'integer') // 共同生活家庭人口数
    .addColumn('member_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('income_year', 'integer') // 收入统计年度 (calendar)
    .addColumn('attrs', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`)) // see LipFamilyAttrs
    .addColumn('conflicts', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addPrimaryKeyConstraint('lip_family_pk', ['county_code', 'file_id', 'family_no'])
    .execute();

  await db.schema
    .createTable('lip_member')
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('family_no', 'text', (c) => c.notNull())
    .addColumn('region_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('id_raw', 'text')
    .addColumn('id_number', 'text')
    .addColumn('id_status', 'text', (c) => c.notNull())
    .addColumn('relation', 'text') // 与申请人关系
    .addColumn('sex', 'text')
    .addColumn('birth_date', 'date')
    .addColumn('attrs', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`)) // see LipMemberAttrs
    .addPrimaryKeyConstraint('lip_member_pk', ['county_code', 'file_id', 'row_no'])
    .execute();
  await db.schema.createIndex('lip_member_fam_idx').on('lip_member').columns(['county_code', 'file_id', 'family_no']).execute();

  // 部门数据推送: one event about one person.
  await db.schema
    .createTable('signal')
    .addColumn('county_code', 'text', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull())
    .addColumn('row_no', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull()) // 数据来源
    .addColumn('name', 'text')
    .addColumn('id_raw', 'text')
    .addColumn('id_number', 'text')
    .addColumn('id_status', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('event_date', 'date')
    .addColumn('amount', sql`numeric(14, 2)`)
    .addColumn('note', 'text')
    .addPrimaryKeyConstraint('signal_pk', ['county_code', 'file_id', 'row_no'])
    .execute();
  await db.schema.createIndex('signal_id_idx').on('signal').columns(['county_code', 'id_number']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['signal', 'lip_member', 'lip_family', 'prm_member', 'prm_household', 'raw_row', 'import_file']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
