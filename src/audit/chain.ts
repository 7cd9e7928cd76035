/**
 * Tamper evidence for the audit log (审计日志): every row stores prev_hash and
 * hash = sha256(prev_hash || canonical(row)). Changing, removing or inserting
 * a row breaks every later hash. Pure apart from node:crypto.
 */
import { createHash } from 'node:crypto';

/** The hash before the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** The fields that are hashed, in this fixed order. */
export interface ChainedFields {
  seq: number;
  at: string; // ISO 8601 UTC with milliseconds
  county_code: string;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  reason: string | null;
  ip: string | null;
  outcome: string;
  details: unknown;
}

/** JSON with object keys sorted at every level (jsonb reorders keys). */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

export function canonicalRow(f: ChainedFields): string {
  return canonicalJson([
    f.seq,
    f.at,
    f.county_code,
    f.user_id,
    f.username,
    f.role,
    f.action,
    f.target_type,
    f.target_id,
    f.reason,
    f.ip,
    f.outcome,
    f.details ?? {},
  ]);
}

export function chainHash(prevHash: string, f: ChainedFields): string {
  return createHash('sha256').update(prevHash).update(canonicalRow(f)).digest('hex');
}
