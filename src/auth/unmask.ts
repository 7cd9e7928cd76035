/**
 * Unmasking (查看完整身份证号/姓名): only with the 'unmask' permission, a
 * reason, and inside the caller's region; every use is written to the audit
 * log before the clear values are returned.
 */
import type { FastifyRequest } from 'fastify';
import { assertInScope, requirePermission, type AuthContext } from '../api/auth-context.ts';
import { BinkuError } from '../domain/errors.ts';
import { writeAudit, type DbOrTx } from '../audit/store.ts';

export interface UnmaskRequest {
  /** County (or full region code) of the record, checked against the caller's scope. */
  countyCode: string;
  /** What is revealed, e.g. `prm_member:621202:<fileId>:<rowNo>`. */
  target: string;
  targetType?: string;
  reason: string;
  /** The record's own region code when known (checked too). */
  regionCode?: string | null;
  db?: DbOrTx;
}

/**
 * Permission and scope check for an unmask request; a refusal is itself
 * audited (outcome 'denied') before the 403 is thrown.
 */
export async function guardUnmask(req: FastifyRequest, r: UnmaskRequest): Promise<AuthContext> {
  try {
    const a = requirePermission(req, 'unmask');
    assertInScope(req, r.regionCode ?? r.countyCode);
    return a;
  } catch (e) {
    if (req.auth) {
      await writeAudit(r.db ?? req.server.db, {
        action: 'unmask',
        outcome: 'denied',
        countyCode: r.countyCode,
        userId: req.auth.userId,
        username: req.auth.username,
        role: req.auth.role,
        targetType: r.targetType ?? 'record',
        targetId: r.target,
        reason: r.reason,
        ip: req.ip,
      });
    }
    throw e;
  }
}

/**
 * Checks permission, reason and scope, audits, and returns the caller. After it
 * returns, the route may send clear values. Throws 403/400 otherwise (a
 * refused attempt is audited as well).
 */
export async function unmask(req: FastifyRequest, r: UnmaskRequest): Promise<AuthContext> {
  const a = await guardUnmask(req, r);
  const reason = (r.reason ?? '').trim();
  if ([...reason].length < 4) {
    throw new BinkuError('BK_AUTH_REASON_REQUIRED', '查看完整信息须填写事由（至少 4 个字）', { status: 400, en: 'a reason (at least 4 characters) is required to unmask' });
  }
  await writeAudit(r.db ?? req.server.db, {
    action: 'unmask',
    countyCode: r.countyCode,
    userId: a.userId,
    username: a.username,
    role: a.role,
    targetType: r.targetType ?? 'record',
    targetId: r.target,
    reason,
    ip: req.ip,
  });
  return a;
}
