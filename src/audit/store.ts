/**
 * The audit log's queries: append (serialized, hash-chained), verify, list.
 * `writeAudit` takes the database or an open transaction as first argument,
 * so a route can audit inside its own transaction (the entry then commits or
 * rolls back with the change it records).
 */
import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/dialect.ts';
import type { Database } from '../db/schema.ts';
import { chainHash, GENESIS_HASH, type ChainedFields } from './chain.ts';

export type DbOrTx = Db | Transaction<Database>;

/** Well-known actions; free text is accepted for new kinds. */
export type AuditAction =
  | 'login'
  | 'login_failed'
  | 'logout'
  | 'password_change'
  | 'user_create'
  | 'user_update'
  | 'unmask'
  | 'import'
  | 'export'
  | 'merge'
  | 'decision'
  | 'push'
  | 'audit_export'
  | (string & {});

export interface AuditEntry {
  action: AuditAction;
  countyCode?: string | null;
  userId?: string | null;
  username?: string | null;
  role?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  reason?: string | null;
  ip?: string | null;
  outcome?: 'ok' | 'denied' | 'failed';
  /** Never put clear ID numbers or names here. */
  details?: Record<string, unknown>;
}

export interface AuditRow extends ChainedFields {
  prev_hash: string;
  hash: string;
}

// Arbitrary constant key for pg_advisory_xact_lock: one appender at a time.
const AUDIT_LOCK_KEY = 7_202_608;

function toIso(d: Date | string): string {
  return (d instanceof Date ? d : new Date(d)).toISOString();
}

async function append(tx: DbOrTx, e: AuditEntry): Promise<AuditRow> {
  await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(tx);
  const last = await tx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  const fields: ChainedFields = {
    seq: (last ? Number(last.seq) : 0) + 1,
    at: new Date().toISOString(),
    county_code: e.countyCode ?? '',
    user_id: e.userId ?? null,
    username: e.username ?? null,
    role: e.role ?? null,
    action: e.action,
    target_type: e.targetType ?? null,
    target_id: e.targetId ?? null,
    reason: e.reason ?? null,
    ip: e.ip ?? null,
    outcome: e.outcome ?? 'ok',
    details: e.details ?? {},
  };
  const prev = last?.hash ?? GENESIS_HASH;
  const hash = chainHash(prev, fields);
  await tx
    .insertInto('audit_log')
    .values({ ...fields, details: JSON.stringify(fields.details), prev_hash: prev, hash })
    .execute();
  return { ...fields, prev_hash: prev, hash };
}

/** Appends one entry to the chain (serialized by a transaction-scoped advisory lock). */
export async function writeAudit(db: DbOrTx, entry: AuditEntry): Promise<AuditRow> {
  if (db.isTransaction) return append(db, entry);
  return (db as Db).transaction().execute((tx) => append(tx, entry));
}

export interface VerifyResult {
  ok: boolean;
  /** Rows checked. */
  count: number;
  /** First seq whose hash (or link, or numbering) is wrong. */
  brokenAt?: number;
  problem?: string;
}

function rowFields(r: Record<string, unknown>): ChainedFields {
  return {
    seq: Number(r.seq),
    at: toIso(r.at as Date | string),
    county_code: r.county_code as string,
    user_id: (r.user_id as string | null) ?? null,
    username: (r.username as string | null) ?? null,
    role: (r.role as string | null) ?? null,
    action: r.action as string,
    target_type: (r.target_type as string | null) ?? null,
    target_id: (r.target_id as string | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    ip: (r.ip as string | null) ?? null,
    outcome: r.outcome as string,
    details: typeof r.details === 'string' ? JSON.parse(r.details) : r.details,
  };
}

/** Recomputes the whole chain in seq order, in pages. */
export async function verifyAuditChain(db: DbOrTx, pageSize = 5000): Promise<VerifyResult> {
  let prev = GENESIS_HASH;
  let expectSeq = 1;
  let count = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('seq', '>=', expectSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      if (seq !== expectSeq) return { ok: false, count, brokenAt: expectSeq, problem: 'missing row' };
      if (r.prev_hash !== prev) return { ok: false, count, brokenAt: seq, problem: 'prev_hash does not link' };
      const h = chainHash(prev, rowFields(r as unknown as Record<string, unknown>));
      if (h !== r.hash) return { ok: false, count, brokenAt: seq, problem: 'hash mismatch (row changed)' };
      prev = r.hash;
      expectSeq++;
      count++;
    }
    if (rows.length < pageSize) break;
  }
  return { ok: true, count };
}

export interface AuditQuery {
  from?: string;
  to?: string;
  action?: string;
  username?: string;
  /** Caller's region prefix: only entries of counties inside it (and '' entries when prefix is ''). */
  regionPrefix?: string;
  page?: number;
  pageSize?: number;
}

function filtered(db: DbOrTx, q: AuditQuery) {
  let s = db.selectFrom('audit_log');
  if (q.from) s = s.where('at', '>=', new Date(q.from));
  if (q.to) s = s.where('at', '<', new Date(q.to));
  if (q.action) s = s.where('action', '=', q.action);
  if (q.username) s = s.where('username', '=', q.username);
  if (q.regionPrefix) {
    const p = q.regionPrefix;
    // A county-scoped auditor sees entries of counties inside the prefix, or whose county lies above it.
    s = s.where((eb) => eb.or([eb('county_code', 'like', `${p}%`), eb(sql.val(p), 'like', sql<string>`county_code || '%'`).and('county_code', '<>', '')]));
  }
  return s;
}

export async function listAudit(db: DbOrTx, q: AuditQuery): Promise<{ total: number; items: AuditRow[] }> {
  const page = Math.max(1, q.page ?? 1);
  const pageSize = Math.min(500, Math.max(1, q.pageSize ?? 50));
  const total = await filtered(db, q).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await filtered(db, q)
    .selectAll()
    .orderBy('seq', 'desc')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { total: Number(total.n), items: rows.map((r) => ({ ...rowFields(r as unknown as Record<string, unknown>), prev_hash: r.prev_hash, hash: r.hash })) };
}

/** All matching rows in seq order, in pages (for exports). */
export async function* iterateAudit(db: DbOrTx, q: AuditQuery, pageSize = 5000): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const rows = await filtered(db, q).selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    for (const r of rows) yield { ...rowFields(r as unknown as Record<string, unknown>), prev_hash: r.prev_hash, hash: r.hash };
    if (rows.length < pageSize) return;
    after = Number(rows[rows.length - 1].seq);
  }
}
