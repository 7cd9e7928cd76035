// Migration 0004: users, sessions, login throttling and the append-only,
// hash-chained audit log. Never edit after merge; add a new file.
//
// These are small reference tables, but they still carry `county_code` in the
// primary key like every other table ('' = installation-wide), so the schema
// stays uniform for Citus (reference tables there).
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('app_user')
    .addColumn('county_code', 'text', (c) => c.notNull().defaultTo('')) // home county ('' = province/installation)
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull()) // argon2id PHC string
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('region_prefix', 'text', (c) => c.notNull().defaultTo('')) // 行政区划 prefix
    .addColumn('department', 'text') // 部门 for department liaisons
    .addColumn('display_name', 'text')
    .addColumn('must_change_password', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('password_changed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('app_user_pk', ['county_code', 'user_id'])
    .execute();
  await db.schema.createIndex('app_user_username_uq').on('app_user').column('username').unique().execute();
  await db.schema.createIndex('app_user_id_uq').on('app_user').column('user_id').unique().execute();

  // Sessions: only the SHA-256 of the bearer token is stored.
  await db.schema
    .createTable('user_session')
    .addColumn('county_code', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('ip', 'text')
    .addColumn('revoked_at', 'timestamptz')
    .addPrimaryKeyConstraint('user_session_pk', ['county_code', 'token_hash'])
    .execute();
  await db.schema.createIndex('user_session_token_uq').on('user_session').column('token_hash').unique().execute();
  await db.schema.createIndex('user_session_user_idx').on('user_session').column('user_id').execute();

  // Login throttling per username + IP (failures, lockout with backoff).
  await db.schema
    .createTable('login_throttle')
    .addColumn('county_code', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('throttle_key', 'text', (c) => c.notNull()) // lower(username) || '|' || ip
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('last_failure_at', 'timestamptz')
    .addPrimaryKeyConstraint('login_throttle_pk', ['county_code', 'throttle_key'])
    .execute();

  // 审计日志: append-only; each row carries prev_hash and
  // hash = sha256(prev_hash || canonical row) (src/audit/chain.ts).
  await db.schema
    .createTable('audit_log')
    .addColumn('county_code', 'text', (c) => c.notNull().defaultTo('')) // county of the record ('' = none)
    .addColumn('seq', 'bigint', (c) => c.notNull()) // chain position, 1, 2, 3 … without gaps
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('username', 'text')
    .addColumn('role', 'text')
    .addColumn('action', 'text', (c) => c.notNull()) // login, unmask, import, export, decision, push …
    .addColumn('target_type', 'text')
    .addColumn('target_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('ip', 'text')
    .addColumn('outcome', 'text', (c) => c.notNull().defaultTo('ok')) // ok | denied | failed
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('audit_log_pk', ['county_code', 'seq'])
    .execute();
  await db.schema.createIndex('audit_log_seq_uq').on('audit_log').column('seq').unique().execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();

  // Append-only: any UPDATE, DELETE or TRUNCATE raises.
  await sql`
    create or replace function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'P0001';
    end $$`.execute(db);
  await sql`
    create trigger audit_log_no_update_delete before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
  await sql`
    create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').ifExists().execute();
  await sql`drop function if exists audit_log_append_only()`.execute(db);
  await db.schema.dropTable('login_throttle').ifExists().execute();
  await db.schema.dropTable('user_session').ifExists().execute();
  await db.schema.dropTable('app_user').ifExists().execute();
}
