/**
 * 登录 / 退出 / 当前用户 / 修改密码. Login returns a bearer token and also sets
 * it as an httpOnly, SameSite=Strict cookie for the web UI.
 */
import type { FastifyPluginAsync } from 'fastify';
import type {} from '@fastify/rate-limit'; // route-level rateLimit config type
import { requireAuth, type AuthContext } from '../auth-context.ts';
import { changePassword, hashToken, login, logout } from '../../auth/service.ts';
import { ROLE_LABELS } from '../../auth/permissions.ts';
import { writeAudit } from '../../audit/store.ts';
import { SESSION_COOKIE, requestToken } from '../plugins/auth.ts';

export const ME_SCHEMA = {
  $id: 'CurrentUser',
  type: 'object',
  properties: {
    userId: { type: 'string' },
    username: { type: 'string' },
    role: { type: 'string' },
    roleLabel: { type: 'string' },
    regionPrefix: { type: 'string', description: '行政区划前缀，空 = 全部' },
    department: { type: ['string', 'null'] },
    permissions: { type: 'array', items: { type: 'string' } },
    mustChangePassword: { type: 'boolean' },
  },
  required: ['userId', 'username', 'role', 'regionPrefix', 'permissions', 'mustChangePassword'],
} as const;

export function meOf(a: AuthContext) {
  return {
    userId: a.userId,
    username: a.username,
    role: a.role,
    roleLabel: ROLE_LABELS[a.role],
    regionPrefix: a.regionPrefix,
    department: a.department ?? null,
    permissions: [...a.permissions].sort(),
    mustChangePassword: a.mustChangePassword ?? false,
  };
}

export const authRoutes: FastifyPluginAsync = async (app) => {
  app.addSchema(ME_SCHEMA);

  app.post<{ Body: { username: string; password: string } }>(
    '/api/auth/login',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary: '登录（取得会话令牌）',
        description: '同一用户名 + 来源地址连续 5 次失败后锁定 1 分钟起，逐次加倍，最长 1 小时（429）。首次登录的一次性密码须先修改。',
        body: {
          type: 'object',
          properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: 256 } },
          required: ['username', 'password'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { token: { type: 'string' }, expiresAt: { type: 'string', format: 'date-time' }, user: { $ref: 'CurrentUser#' } },
            required: ['token', 'expiresAt', 'user'],
          },
        },
      },
    },
    async (req, reply) => {
      const r = await login(app.db, req.body.username, req.body.password, req.ip);
      reply.setCookie(SESSION_COOKIE, r.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: req.protocol === 'https',
        path: '/',
        expires: r.expiresAt,
      });
      return { token: r.token, expiresAt: r.expiresAt.toISOString(), user: meOf(r.auth) };
    },
  );

  app.post('/api/auth/logout', { schema: { tags: ['auth'], summary: '退出登录（令牌作废）', response: { 204: { type: 'null' } } } }, async (req, reply) => {
    const a = requireAuth(req);
    const t = requestToken(req);
    if (t) await logout(app.db, t.token);
    await writeAudit(app.db, { action: 'logout', userId: a.userId, username: a.username, role: a.role, ip: req.ip });
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get('/api/auth/me', { schema: { tags: ['auth'], summary: '当前用户与权限', response: { 200: { $ref: 'CurrentUser#' } } } }, async (req) => meOf(requireAuth(req)));

  app.post<{ Body: { oldPassword: string; newPassword: string } }>(
    '/api/auth/password',
    {
      schema: {
        tags: ['auth'],
        summary: '修改密码',
        description: '新密码至少 10 位且含两类字符；修改后本人其他会话全部作废。',
        body: {
          type: 'object',
          properties: { oldPassword: { type: 'string', minLength: 1, maxLength: 256 }, newPassword: { type: 'string', minLength: 1, maxLength: 256 } },
          required: ['oldPassword', 'newPassword'],
          additionalProperties: false,
        },
        response: { 204: { type: 'null' } },
      },
    },
    async (req, reply) => {
      const a = requireAuth(req);
      const t = requestToken(req);
      await changePassword(app.db, a.userId, req.body.oldPassword, req.body.newPassword, t ? hashToken(t.token) : undefined);
      await writeAudit(app.db, { action: 'password_change', userId: a.userId, username: a.username, role: a.role, ip: req.ip, targetType: 'user', targetId: a.username });
      return reply.status(204).send();
    },
  );
};
