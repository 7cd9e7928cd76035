/**
 * Session state: the logged-in user, login and logout. The token is kept in
 * localStorage and sent as a bearer token by api/client.ts; the server also
 * sets a cookie, which the logout call clears.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, onUnauthorized, setToken, getToken } from './api/client.ts';
import type { Permission, User } from './api/types.ts';

/**
 * Permissions per role, used only when the server's user object does not list
 * them. Mirrors src/auth/permissions.ts; the server enforces them regardless.
 */
const COUNTY_STAFF: Permission[] = ['read_records', 'unmask', 'import', 'merge', 'review', 'read_aggregates', 'evaluate', 'manage_standards'];
const ROLE_PERMISSIONS: Record<string, Permission[]> = {
  county_admin: ['read_records', 'unmask', 'import', 'merge', 'review', 'read_aggregates', 'evaluate', 'manage_standards', 'manage_users', 'read_audit'],
  county_staff_prm: COUNTY_STAFF,
  county_staff_lip: COUNTY_STAFF,
  township: ['read_records', 'review', 'read_aggregates'],
  village: ['read_records'],
  department: ['read_records'],
  analyst: ['read_aggregates', 'evaluate'],
  auditor: ['read_audit', 'read_aggregates'],
};

export const ROLE_NAMES: Record<string, string> = {
  county_admin: '县级管理员',
  county_staff_prm: '县乡村振兴局工作人员',
  county_staff_lip: '县民政局工作人员',
  township: '乡镇干部',
  village: '村干部',
  department: '部门联络员',
  analyst: '分析人员',
  auditor: '审计人员',
};

export function permissionsOf(user: User): Set<Permission> {
  if (Array.isArray(user.permissions)) return new Set(user.permissions);
  return new Set(ROLE_PERMISSIONS[user.role] ?? []);
}

interface Session {
  user: User | null;
  permissions: Set<Permission>;
  ready: boolean;
  login: (username: string, password: string) => Promise<void>;
  logout: () => Promise<void>;
  /** Re-reads the user (after a password change). */
  refresh: () => Promise<void>;
  can: (p: Permission | undefined) => boolean;
}

const Ctx = createContext<Session | null>(null);

function unwrapUser(body: unknown): User {
  const b = body as { user?: User } & User;
  return b.user ?? b;
}

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    // Restore the session (bearer token or cookie) on page load.
    api
      .get<unknown>('/api/auth/me')
      .then((b) => setUser(unwrapUser(b)))
      .catch(() => {
        if (getToken()) setToken(null);
        setUser(null);
      })
      .finally(() => setReady(true));
    return onUnauthorized(() => {
      setToken(null);
      setUser(null);
    });
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const r = await api.post<{ token?: string; user?: User }>('/api/auth/login', { username, password });
    if (r.token) setToken(r.token);
    if (r.user) setUser(r.user);
    else setUser(unwrapUser(await api.get<unknown>('/api/auth/me')));
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout');
    } catch {
      /* the session may already be gone */
    }
    setToken(null);
    setUser(null);
  }, []);

  const refresh = useCallback(async () => {
    setUser(unwrapUser(await api.get<unknown>('/api/auth/me')));
  }, []);

  const value = useMemo<Session>(() => {
    const permissions = user ? permissionsOf(user) : new Set<Permission>();
    return { user, permissions, ready, login, logout, refresh, can: (p) => !!user && (p === undefined || permissions.has(p)) };
  }, [user, ready, login, logout, refresh]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): Session {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside AuthProvider');
  return s;
}
