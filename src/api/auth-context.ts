/**
 * Who is calling, as every route sees it. The auth plugin (src/auth/) fills
 * `request.auth` from the session token; routes never read headers themselves.
 * Region scope is a 行政区划 code prefix ('' = whole installation) and must be
 * applied in the route's query (not only in the UI).
 */
import type { FastifyRequest } from 'fastify';
import { BinkuError } from '../domain/errors.ts';

export type Role =
  | 'county_admin' // 县级管理员
  | 'county_staff_prm' // 县乡村振兴局工作人员
  | 'county_staff_lip' // 县民政局工作人员
  | 'township' // 乡镇干部
  | 'village' // 村干部
  | 'department' // 部门联络员
  | 'analyst' // 分析人员 (aggregates and evaluation only)
  | 'auditor'; // 审计

export type Permission =
  | 'read_records' // person/household level data (masked)
  | 'unmask' // see full ID numbers / names, with a reason (audited)
  | 'import'
  | 'merge'
  | 'review' // clerical review decisions, joint identification
  | 'read_aggregates'
  | 'evaluate'
  | 'manage_standards'
  | 'manage_users'
  | 'read_audit';

export interface AuthContext {
  userId: string;
  username: string;
  role: Role;
  /** 行政区划 prefix the user may see; '' = everything. */
  regionPrefix: string;
  permissions: ReadonlySet<Permission>;
  /** Department name for 'department' liaisons (医保, 残联 …). */
  department?: string | null;
  /** One-time password still in use: only /api/auth/* is allowed until it is changed. */
  mustChangePassword?: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    auth?: AuthContext;
  }
}

/** The caller, or 401. */
export function requireAuth(req: FastifyRequest): AuthContext {
  if (!req.auth) throw new BinkuError('BK_AUTH_REQUIRED', '请先登录', { status: 401, en: 'authentication required' });
  return req.auth;
}

/** The caller if they hold `perm`, else 403. */
export function requirePermission(req: FastifyRequest, perm: Permission): AuthContext {
  const a = requireAuth(req);
  if (!a.permissions.has(perm)) {
    throw new BinkuError('BK_AUTH_FORBIDDEN', '没有权限执行此操作', { status: 403, en: `permission required: ${perm}`, details: { permission: perm } });
  }
  return a;
}

/** Region prefix to filter on (`region_code like prefix || '%'`). */
export function regionPrefix(req: FastifyRequest): string {
  return requireAuth(req).regionPrefix;
}

/** The 403 for a record outside the caller's region. */
export function outOfScopeError(): BinkuError {
  return new BinkuError('BK_AUTH_OUT_OF_SCOPE', '无权访问本辖区以外的数据', { status: 403, en: 'record outside your region' });
}

/** 403 unless `regionCode` lies inside the caller's scope. */
export function assertInScope(req: FastifyRequest, regionCode: string | null | undefined): void {
  const p = regionPrefix(req);
  if (p !== '' && !(regionCode ?? '').startsWith(p)) throw outOfScopeError();
}
