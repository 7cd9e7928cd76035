/** 用户管理 (manage_users): only users inside the admin's own region. */
import type { FastifyPluginAsync } from 'fastify';
import { requirePermission } from '../auth-context.ts';
import { BinkuError } from '../../domain/errors.ts';
import { ROLES, ROLE_LABELS } from '../../auth/permissions.ts';
import { createUser, resetPassword, validateUser } from '../../auth/service.ts';
import { findUserByName, listUsers, type UserRow } from '../../auth/store.ts';
import { writeAudit } from '../../audit/store.ts';
import { PAGE_QUERY_PROPS, pageArgs, pageOf } from '../plugins/pagination.ts';

const USER_SCHEMA = {
  $id: 'User',
  type: 'object',
  properties: {
    userId: { type: 'string' },
    username: { type: 'string' },
    displayName: { type: ['string', 'null'] },
    role: { type: 'string', enum: [...ROLES] },
    roleLabel: { type: 'string' },
    regionPrefix: { type: 'string' },
    department: { type: ['string', 'null'] },
    disabled: { type: 'boolean' },
    mustChangePassword: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
  },
  required: ['userId', 'username', 'role', 'regionPrefix', 'disabled'],
} as const;

function userOut(u: UserRow) {
  return {
    userId: u.user_id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    roleLabel: ROLE_LABELS[u.role as keyof typeof ROLE_LABELS] ?? u.role,
    regionPrefix: u.region_prefix,
    department: u.department,
    disabled: u.disabled,
    mustChangePassword: u.must_change_password,
    createdAt: new Date(u.created_at).toISOString(),
  };
}

function assertPrefixInScope(callerPrefix: string, target: string): void {
  if (!target.startsWith(callerPrefix)) {
    throw new BinkuError('BK_AUTH_OUT_OF_SCOPE', '无权管理本辖区以外的用户', { status: 403, en: 'user region outside your region' });
  }
}

const roleProp = { type: 'string', enum: [...ROLES], description: '角色' } as const;
const regionProp = { type: 'string', pattern: '^(|\\d{2}|\\d{4}|\\d{6}|\\d{9}|\\d{12})$', description: '行政区划前缀' } as const;

export const userRoutes: FastifyPluginAsync = async (app) => {
  app.addSchema(USER_SCHEMA);

  app.get<{ Querystring: { page?: number; pageSize?: number } }>(
    '/api/users',
    { schema: { tags: ['users'], summary: '用户列表（本辖区）', querystring: { type: 'object', properties: { ...PAGE_QUERY_PROPS } }, response: { 200: pageOf({ $ref: 'User#' }) } } },
    async (req) => {
      const a = requirePermission(req, 'manage_users');
      const { page, pageSize } = pageArgs(req.query);
      const r = await listUsers(app.db, a.regionPrefix, page, pageSize);
      return { total: r.total, page, pageSize, items: r.items.map(userOut) };
    },
  );

  app.post<{ Body: { username: string; password: string; role: string; regionPrefix: string; department?: string; displayName?: string } }>(
    '/api/users',
    {
      schema: {
        tags: ['users'],
        summary: '新建用户',
        description: '管理员设定的密码为临时密码，用户首次登录须修改。',
        body: {
          type: 'object',
          properties: {
            username: { type: 'string', minLength: 2, maxLength: 40 },
            password: { type: 'string', minLength: 1, maxLength: 256 },
            role: roleProp,
            regionPrefix: regionProp,
            department: { type: 'string', maxLength: 40 },
            displayName: { type: 'string', maxLength: 40 },
          },
          required: ['username', 'password', 'role', 'regionPrefix'],
          additionalProperties: false,
        },
        response: { 201: { $ref: 'User#' } },
      },
    },
    async (req, reply) => {
      const a = requirePermission(req, 'manage_users');
      assertPrefixInScope(a.regionPrefix, req.body.regionPrefix);
      await createUser(app.db, { ...req.body, mustChangePassword: true });
      await writeAudit(app.db, {
        action: 'user_create',
        countyCode: req.body.regionPrefix.slice(0, 6),
        userId: a.userId,
        username: a.username,
        role: a.role,
        ip: req.ip,
        targetType: 'user',
        targetId: req.body.username,
        details: { role: req.body.role, regionPrefix: req.body.regionPrefix },
      });
      const u = await findUserByName(app.db, req.body.username);
      return reply.status(201).send(userOut(u!));
    },
  );

  app.patch<{ Params: { username: string }; Body: { role?: string; regionPrefix?: string; department?: string | null; displayName?: string | null; disabled?: boolean; password?: string } }>(
    '/api/users/:username',
    {
      schema: {
        tags: ['users'],
        summary: '修改用户（角色、辖区、停用、重置密码）',
        params: { type: 'object', properties: { username: { type: 'string', maxLength: 40 } }, required: ['username'] },
        body: {
          type: 'object',
          properties: {
            role: roleProp,
            regionPrefix: regionProp,
            department: { type: ['string', 'null'], maxLength: 40 },
            displayName: { type: ['string', 'null'], maxLength: 40 },
            disabled: { type: 'boolean' },
            password: { type: 'string', minLength: 1, maxLength: 256, description: '重置为临时密码（下次登录须修改）' },
          },
          additionalProperties: false,
          minProperties: 1,
        },
        response: { 200: { $ref: 'User#' } },
      },
    },
    async (req) => {
      const a = requirePermission(req, 'manage_users');
      const u = await findUserByName(app.db, req.params.username);
      if (!u || !u.region_prefix.startsWith(a.regionPrefix)) {
        throw new BinkuError('BK_AUTH_USER_NOT_FOUND', '用户不存在', { status: 404, en: 'user not found' });
      }
      const b = req.body;
      if (b.regionPrefix !== undefined) assertPrefixInScope(a.regionPrefix, b.regionPrefix);
      if (u.user_id === a.userId && (b.disabled || (b.role && b.role !== u.role))) {
        throw new BinkuError('BK_AUTH_FORBIDDEN', '不能停用自己或修改自己的角色', { status: 403, en: 'cannot disable yourself or change your own role' });
      }
      const next = {
        username: u.username,
        role: b.role ?? u.role,
        regionPrefix: b.regionPrefix ?? u.region_prefix,
        department: b.department === undefined ? u.department : b.department,
      };
      validateUser(next);
      await app.db
        .updateTable('app_user')
        .set({
          role: next.role,
          region_prefix: next.regionPrefix,
          county_code: next.regionPrefix.length >= 6 ? next.regionPrefix.slice(0, 6) : '',
          department: next.department,
          ...(b.displayName !== undefined ? { display_name: b.displayName } : {}),
          ...(b.disabled !== undefined ? { disabled: b.disabled } : {}),
        })
        .where('user_id', '=', u.user_id)
        .execute();
      if (b.password) await resetPassword(app.db, u.user_id, b.password);
      if (b.disabled) await app.db.updateTable('user_session').set({ revoked_at: new Date() }).where('user_id', '=', u.user_id).where('revoked_at', 'is', null).execute();
      await writeAudit(app.db, {
        action: 'user_update',
        countyCode: next.regionPrefix.slice(0, 6),
        userId: a.userId,
        username: a.username,
        role: a.role,
        ip: req.ip,
        targetType: 'user',
        targetId: u.username,
        details: { ...b, password: b.password ? '(reset)' : undefined },
      });
      return userOut((await findUserByName(app.db, u.username))!);
    },
  );
};
