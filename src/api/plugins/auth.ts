/**
 * Authentication for the whole app, installed on the root instance so every
 * route — including routes other modules add later — is covered: an onRequest
 * hook resolves the caller (bearer token or the httpOnly session cookie) into
 * `req.auth`, and refuses any /api/* request without one (401), except the
 * few public routes below.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import type { AuthContext } from '../auth-context.ts';
import { BinkuError } from '../../domain/errors.ts';
import { authenticateToken } from '../../auth/service.ts';

/** Session cookie for the web UI (httpOnly, SameSite=Strict). */
export const SESSION_COOKIE = 'binku_session';

/** `METHOD path` of routes reachable without logging in. */
export const PUBLIC_ROUTES: ReadonlySet<string> = new Set(['POST /api/auth/login', 'GET /api/health', 'HEAD /api/health']);

/** Routes a user with a one-time password may still use. */
const PASSWORD_CHANGE_ROUTES = new Set(['POST /api/auth/password', 'GET /api/auth/me', 'POST /api/auth/logout']);

export function isApiPath(url: string): boolean {
  const p = url.split('?')[0];
  return p === '/api' || p.startsWith('/api/');
}

/** The token of a request and where it came from. */
export function requestToken(req: FastifyRequest): { token: string; via: 'header' | 'cookie' } | undefined {
  const h = req.headers.authorization;
  if (typeof h === 'string') {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
    if (m) return { token: m[1], via: 'header' };
  }
  const c = req.cookies?.[SESSION_COOKIE];
  if (c) return { token: c, via: 'cookie' };
  return undefined;
}

export type Authenticate = (req: FastifyRequest) => Promise<AuthContext | undefined>;

export async function installAuth(app: FastifyInstance, authenticate?: Authenticate): Promise<void> {
  await app.register(cookie);
  const resolve: Authenticate =
    authenticate ??
    (async (req) => {
      const t = requestToken(req);
      if (!t) return undefined;
      // Cookie-authenticated writes must come from our own origin (CSRF).
      if (t.via === 'cookie' && req.method !== 'GET' && req.method !== 'HEAD') {
        const origin = req.headers.origin;
        if (origin && origin !== 'null') {
          let host = '';
          try {
            host = new URL(origin).host;
          } catch {
            host = '?';
          }
          if (host !== req.headers.host) {
            throw new BinkuError('BK_AUTH_BAD_ORIGIN', '请求来源不被允许', { status: 403, en: 'cross-origin request refused' });
          }
        }
      }
      return authenticateToken(app.db, t.token);
    });

  app.addHook('onRequest', async (req) => {
    // Static files, /docs and /openapi.json need no caller (and no session lookup).
    if (!isApiPath(req.url)) return;
    req.auth = await resolve(req);
    const key = `${req.method} ${req.routeOptions.url ?? req.url.split('?')[0]}`;
    if (PUBLIC_ROUTES.has(key)) return;
    if (!req.auth) throw new BinkuError('BK_AUTH_REQUIRED', '请先登录', { status: 401, en: 'authentication required' });
    if (req.auth.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(key)) {
      throw new BinkuError('BK_AUTH_PASSWORD_CHANGE_REQUIRED', '首次登录须先修改密码', { status: 403, en: 'change your one-time password first' });
    }
  });
}
