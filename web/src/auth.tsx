/**
 * Session state: the logged-in user, login and logout. The token is kept in
 * localStorage and sent as a bearer token by api/client.ts; the server also
 * sets a cookie, which the logout call clears.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, onUnauthorized, setToken, getToken } from './api/client.ts';
import type { Permission, User } from './api/types.ts';

/**
 * The user's permissions as the server lists them (CurrentUser.permissions is
 * always sent; role → permissions lives only in src/auth/permissions.ts, and the
 * server enforces them regardless of what the UI shows).
 */
export function permissionsOf(user: User): Set<Permission> {
  return new Set(user.permissions ?? []);
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
