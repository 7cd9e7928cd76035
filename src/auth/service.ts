/**
 * Users, login, sessions. Bearer tokens are random 256-bit strings; only their
 * SHA-256 is stored, so a copied database cannot be used to log in.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { AuthContext, Role } from '../api/auth-context.ts';
import type { Db } from '../db/dialect.ts';
import { BinkuError } from '../domain/errors.ts';
import { writeAudit, type DbOrTx } from '../audit/store.ts';
import { checkPasswordPolicy, generatePassword, hashPassword, verifyPassword } from './password.ts';
import { isRole, isValidRegionPrefix, permissionsFor } from './permissions.ts';
import { countUsers, findSession, findUserById, findUserByName, getThrottle, type UserRow } from './store.ts';

/** Session lifetime (absolute) and idle timeout. */
export const SESSION_TTL_MS = 8 * 3600_000;
export const SESSION_IDLE_MS = 2 * 3600_000;
/** Failures (per username + IP) before lockout; lockout doubles from 1 min up to 1 h. */
export const MAX_FAILURES = 5;
const LOCK_BASE_MS = 60_000;
const LOCK_MAX_MS = 3600_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function countyOf(regionPrefix: string): string {
  return regionPrefix.length >= 6 ? regionPrefix.slice(0, 6) : '';
}

export function contextOf(u: Pick<UserRow, 'user_id' | 'username' | 'role' | 'region_prefix' | 'department' | 'must_change_password'>): AuthContext {
  if (!isRole(u.role)) throw new BinkuError('BK_AUTH_BAD_ROLE', `未知角色: ${u.role}`, { status: 500, en: `unknown role ${u.role}` });
  return {
    userId: u.user_id,
    username: u.username,
    role: u.role,
    regionPrefix: u.region_prefix,
    permissions: permissionsFor(u.role),
    department: u.department,
    mustChangePassword: u.must_change_password,
  };
}

export interface NewUser {
  username: string;
  password: string;
  role: string;
  regionPrefix: string;
  department?: string | null;
  displayName?: string | null;
  mustChangePassword?: boolean;
}

export function validateUser(u: Omit<NewUser, 'password'>): Role {
  if (!/^[A-Za-z0-9_.\-\u4e00-\u9fa5]{2,40}$/.test(u.username)) {
    throw new BinkuError('BK_AUTH_BAD_USERNAME', '用户名须为 2–40 位字母、数字、汉字或 _ . -', { en: 'invalid username' });
  }
  if (!isRole(u.role)) throw new BinkuError('BK_AUTH_BAD_ROLE', `未知角色: ${u.role}`, { en: `unknown role ${u.role}` });
  if (!isValidRegionPrefix(u.regionPrefix)) {
    throw new BinkuError('BK_AUTH_BAD_REGION', `行政区划前缀无效: ${u.regionPrefix}`, { en: 'region prefix must be 2/4/6/9/12 digits or empty' });
  }
  if (u.role === 'department' && !u.department) {
    throw new BinkuError('BK_AUTH_DEPARTMENT_REQUIRED', '部门联络员须填写所属部门', { en: 'department required for department liaisons' });
  }
  return u.role;
}

/** Creates a user (argon2id hash). 409 when the username exists. */
export async function createUser(db: DbOrTx, u: NewUser, opts: { skipPolicy?: boolean } = {}): Promise<AuthContext> {
  validateUser(u);
  if (!opts.skipPolicy) checkPasswordPolicy(u.password);
  if (await findUserByName(db, u.username)) {
    throw new BinkuError('BK_AUTH_USER_EXISTS', `用户名已存在: ${u.username}`, { status: 409, en: 'username taken' });
  }
  const row = {
    county_code: countyOf(u.regionPrefix),
    user_id: randomUUID(),
    username: u.username,
    password_hash: await hashPassword(u.password),
    role: u.role,
    region_prefix: u.regionPrefix,
    department: u.department ?? null,
    display_name: u.displayName ?? null,
    must_change_password: u.mustChangePassword ?? false,
  };
  await db.insertInto('app_user').values(row).execute();
  return contextOf(row);
}

/**
 * On first start with no users: creates `admin` (county_admin, whole
 * installation) with a one-time password that must be changed at first
 * login. Returns the credentials to print once, or null when users exist.
 */
export async function ensureFirstAdmin(db: Db): Promise<{ username: string; password: string } | null> {
  if ((await countUsers(db)) > 0) return null;
  const password = generatePassword();
  try {
    await createUser(db, { username: 'admin', password, role: 'county_admin', regionPrefix: '', mustChangePassword: true }, { skipPolicy: true });
  } catch (e) {
    if (e instanceof BinkuError && e.code === 'BK_AUTH_USER_EXISTS') return null; // another process won the race
    throw e;
  }
  await writeAudit(db, { action: 'user_create', username: 'admin', role: 'county_admin', targetType: 'user', targetId: 'admin', details: { firstAdmin: true } });
  return { username: 'admin', password };
}

const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$8cfm5yEfwvEMaOhRUGZZ2g$TCPvrRn0kvRjh5ak43eVVOZ1ErhFd4XvXCn8Wqe35ug';

export interface LoginResult {
  token: string;
  expiresAt: Date;
  auth: AuthContext;
}

function badLogin(): BinkuError {
  return new BinkuError('BK_AUTH_BAD_CREDENTIALS', '用户名或密码错误', { status: 401, en: 'wrong username or password' });
}

/**
 * Checks the password with throttling per username + IP: after MAX_FAILURES
 * failures the pair is locked for 1, 2, 4 … 60 minutes (429). Every attempt is
 * audited.
 */
async function assertNotLocked(db: Db, key: string, username: string, ip: string | null, now: Date): Promise<{ failures: number } | undefined> {
  const t = await getThrottle(db, key);
  if (t?.locked_until && new Date(t.locked_until) > now) {
    const retryAfter = Math.ceil((new Date(t.locked_until).getTime() - now.getTime()) / 1000);
    await writeAudit(db, { action: 'login_failed', username, ip, outcome: 'denied', details: { locked: true } });
    throw new BinkuError('BK_AUTH_LOCKED', `登录失败次数过多，请 ${Math.ceil(retryAfter / 60)} 分钟后再试`, {
      status: 429,
      en: 'too many failed logins; try later',
      details: { retryAfterSeconds: retryAfter },
    });
  }
  return t ? { failures: t.failures } : undefined;
}

/** Counts a failure; from MAX_FAILURES on, locks for 1, 2, 4 … 60 minutes. */
async function recordFailure(db: Db, key: string, previous: number, now: Date): Promise<number> {
  const failures = previous + 1;
  const locked = failures >= MAX_FAILURES ? new Date(now.getTime() + Math.min(LOCK_BASE_MS * 2 ** (failures - MAX_FAILURES), LOCK_MAX_MS)) : null;
  await db
    .insertInto('login_throttle')
    .values({ county_code: '', throttle_key: key, failures, locked_until: locked, last_failure_at: now })
    .onConflict((oc) => oc.columns(['county_code', 'throttle_key']).doUpdateSet({ failures, locked_until: locked, last_failure_at: now }))
    .execute();
  return failures;
}

/**
 * Checks the password with throttling per username + IP: after MAX_FAILURES
 * failures the pair is locked for 1, 2, 4 … 60 minutes (429). Every attempt is
 * audited.
 */
export async function login(db: Db, username: string, password: string, ip: string | null, now = new Date()): Promise<LoginResult> {
  const key = `${username.toLowerCase()}|${ip ?? ''}`;
  const t = await assertNotLocked(db, key, username, ip, now);
  const user = await findUserByName(db, username);
  const ok = await verifyPassword(user?.password_hash ?? DUMMY_HASH, password);
  if (!user || !ok || user.disabled) {
    const failures = await recordFailure(db, key, t?.failures ?? 0, now);
    await writeAudit(db, { action: 'login_failed', username, ip, outcome: 'denied', details: { failures, disabled: user?.disabled ?? false } });
    throw badLogin();
  }
  if (t) await db.deleteFrom('login_throttle').where('county_code', '=', '').where('throttle_key', '=', key).execute();
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db
    .insertInto('user_session')
    .values({ county_code: user.county_code, token_hash: hashToken(token), user_id: user.user_id, created_at: now, expires_at: expiresAt, last_seen_at: now, ip })
    .execute();
  const auth = contextOf(user);
  await writeAudit(db, { action: 'login', countyCode: user.county_code, userId: user.user_id, username: user.username, role: user.role, ip });
  return { token, expiresAt, auth };
}

/** The caller behind a bearer token, or undefined (unknown, revoked, expired, idle, disabled). */
export async function authenticateToken(db: Db, token: string, now = new Date()): Promise<AuthContext | undefined> {
  if (!token || token.length > 200) return undefined;
  const s = await findSession(db, hashToken(token));
  if (!s || s.revoked_at || s.disabled) return undefined;
  if (new Date(s.expires_at) <= now || now.getTime() - new Date(s.last_seen_at).getTime() > SESSION_IDLE_MS) return undefined;
  // Touch at most once a minute to keep writes low.
  if (now.getTime() - new Date(s.last_seen_at).getTime() > 60_000) {
    await db.updateTable('user_session').set({ last_seen_at: now }).where('token_hash', '=', s.token_hash).execute();
  }
  return contextOf(s);
}

export async function logout(db: Db, token: string): Promise<void> {
  await db.updateTable('user_session').set({ revoked_at: new Date() }).where('token_hash', '=', hashToken(token)).where('revoked_at', 'is', null).execute();
}

/** Changes a password (old one required); clears must_change_password and ends the user's other sessions. */
export async function changePassword(db: Db, userId: string, oldPassword: string, newPassword: string, keepTokenHash?: string, now = new Date()): Promise<void> {
  const u = await findUserById(db, userId);
  if (!u) throw badLogin();
  // Guessing the old password through a hijacked session is throttled like login.
  const key = `${u.username.toLowerCase()}|change-password`;
  const t = await assertNotLocked(db, key, u.username, null, now);
  if (!(await verifyPassword(u.password_hash, oldPassword))) {
    await recordFailure(db, key, t?.failures ?? 0, now);
    throw badLogin();
  }
  if (t) await db.deleteFrom('login_throttle').where('county_code', '=', '').where('throttle_key', '=', key).execute();
  if (oldPassword === newPassword) throw new BinkuError('BK_AUTH_WEAK_PASSWORD', '新密码不能与旧密码相同', { en: 'new password equals old one' });
  checkPasswordPolicy(newPassword);
  await storePassword(db, userId, newPassword, false, keepTokenHash);
}

/** Admin reset: sets a new password the user must change at next login. */
export async function resetPassword(db: Db, userId: string, newPassword: string): Promise<void> {
  checkPasswordPolicy(newPassword);
  await storePassword(db, userId, newPassword, true);
}

/** Saves the hash of an (already checked) new password and revokes the user's open sessions, except `keepTokenHash`. */
async function storePassword(db: Db, userId: string, newPassword: string, mustChange: boolean, keepTokenHash?: string): Promise<void> {
  await db
    .updateTable('app_user')
    .set({ password_hash: await hashPassword(newPassword), must_change_password: mustChange, password_changed_at: new Date() })
    .where('user_id', '=', userId)
    .execute();
  let q = db.updateTable('user_session').set({ revoked_at: new Date() }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (keepTokenHash) q = q.where('token_hash', '<>', keepTokenHash);
  await q.execute();
}
