import { expect, it } from 'vitest';
import { describeDb } from '../test/db.ts';
import { authenticateToken, changePassword, createUser, ensureFirstAdmin, hashToken, login, logout, MAX_FAILURES, SESSION_TTL_MS } from './service.ts';
import { verifyAuditChain } from '../audit/store.ts';

const PW = 'Correct-horse-9';

describeDb('auth service', (ctx) => {
  it('creates the first admin once, with a one-time password that must be changed', async () => {
    const first = await ensureFirstAdmin(ctx.db);
    expect(first?.username).toBe('admin');
    expect(first!.password.length).toBeGreaterThanOrEqual(16);
    expect(await ensureFirstAdmin(ctx.db)).toBeNull();
    const r = await login(ctx.db, 'admin', first!.password, '10.0.0.9');
    expect(r.auth.mustChangePassword).toBe(true);
    expect(r.auth.role).toBe('county_admin');
    expect(r.auth.regionPrefix).toBe('');
    await changePassword(ctx.db, r.auth.userId, first!.password, PW, hashToken(r.token));
    expect((await authenticateToken(ctx.db, r.token))?.mustChangePassword).toBe(false);
  });

  it('stores argon2id hashes and only the SHA-256 of session tokens', async () => {
    await createUser(ctx.db, { username: 'zhang', password: PW, role: 'township', regionPrefix: '621202101' });
    const u = await ctx.db.selectFrom('app_user').selectAll().where('username', '=', 'zhang').executeTakeFirstOrThrow();
    expect(u.password_hash).toMatch(/^\$argon2id\$/);
    expect(u.county_code).toBe('621202');
    const r = await login(ctx.db, 'zhang', PW, '10.0.0.1');
    const s = await ctx.db.selectFrom('user_session').selectAll().where('user_id', '=', u.user_id).execute();
    expect(s).toHaveLength(1);
    expect(s[0].token_hash).toBe(hashToken(r.token));
    expect(s[0].token_hash).not.toContain(r.token);
    const a = await authenticateToken(ctx.db, r.token);
    expect(a).toMatchObject({ username: 'zhang', role: 'township', regionPrefix: '621202101' });
    expect(a!.permissions.has('read_records')).toBe(true);
    expect(a!.permissions.has('unmask')).toBe(false);
  });

  it('refuses weak passwords, bad roles, bad regions and duplicate names', async () => {
    await expect(createUser(ctx.db, { username: 'w1', password: 'short', role: 'village', regionPrefix: '621202' })).rejects.toMatchObject({ code: 'BK_AUTH_WEAK_PASSWORD' });
    await expect(createUser(ctx.db, { username: 'w2', password: PW, role: 'king', regionPrefix: '621202' })).rejects.toMatchObject({ code: 'BK_AUTH_BAD_ROLE' });
    await expect(createUser(ctx.db, { username: 'w3', password: PW, role: 'village', regionPrefix: '62120' })).rejects.toMatchObject({ code: 'BK_AUTH_BAD_REGION' });
    await expect(createUser(ctx.db, { username: 'w4', password: PW, role: 'department', regionPrefix: '621202' })).rejects.toMatchObject({ code: 'BK_AUTH_DEPARTMENT_REQUIRED' });
    await expect(createUser(ctx.db, { username: 'zhang', password: PW, role: 'village', regionPrefix: '621202' })).rejects.toMatchObject({ code: 'BK_AUTH_USER_EXISTS', status: 409 });
  });

  it('locks a username+IP after repeated failures, with backoff, and other IPs are unaffected', async () => {
    const t0 = new Date('2030-01-01T00:00:00Z');
    for (let i = 0; i < MAX_FAILURES; i++) {
      await expect(login(ctx.db, 'zhang', 'wrong-password', '10.9.9.9', t0)).rejects.toMatchObject({ code: 'BK_AUTH_BAD_CREDENTIALS', status: 401 });
    }
    // Even the right password is refused while locked.
    await expect(login(ctx.db, 'zhang', PW, '10.9.9.9', new Date(t0.getTime() + 30_000))).rejects.toMatchObject({ code: 'BK_AUTH_LOCKED', status: 429 });
    expect((await login(ctx.db, 'zhang', PW, '10.1.1.1', t0)).token).toBeTruthy();
    // After the first minute one more failure locks for two minutes.
    await expect(login(ctx.db, 'zhang', 'wrong', '10.9.9.9', new Date(t0.getTime() + 61_000))).rejects.toMatchObject({ code: 'BK_AUTH_BAD_CREDENTIALS' });
    await expect(login(ctx.db, 'zhang', PW, '10.9.9.9', new Date(t0.getTime() + 61_000 + 100_000))).rejects.toMatchObject({ code: 'BK_AUTH_LOCKED' });
    const ok = await login(ctx.db, 'zhang', PW, '10.9.9.9', new Date(t0.getTime() + 61_000 + 121_000));
    expect(ok.token).toBeTruthy();
    // Success resets the counter.
    expect(await ctx.db.selectFrom('login_throttle').selectAll().where('throttle_key', '=', 'zhang|10.9.9.9').executeTakeFirst()).toBeUndefined();
  });

  it('throttles guessing the old password when changing it', async () => {
    await createUser(ctx.db, { username: 'guess', password: PW, role: 'village', regionPrefix: '621202101001' });
    const u = await ctx.db.selectFrom('app_user').select('user_id').where('username', '=', 'guess').executeTakeFirstOrThrow();
    for (let i = 0; i < MAX_FAILURES; i++) {
      await expect(changePassword(ctx.db, u.user_id, 'wrong-old-pw', 'Another-pw-77')).rejects.toMatchObject({ code: 'BK_AUTH_BAD_CREDENTIALS' });
    }
    await expect(changePassword(ctx.db, u.user_id, PW, 'Another-pw-77')).rejects.toMatchObject({ code: 'BK_AUTH_LOCKED' });
    await changePassword(ctx.db, u.user_id, PW, 'Another-pw-77', undefined, new Date(Date.now() + 61_000));
    expect((await login(ctx.db, 'guess', 'Another-pw-77', '10.0.0.5')).token).toBeTruthy();
  });

  it('unknown users fail like wrong passwords', async () => {
    await expect(login(ctx.db, 'nobody', PW, '10.0.0.1')).rejects.toMatchObject({ code: 'BK_AUTH_BAD_CREDENTIALS' });
  });

  it('sessions expire, idle out, end at logout, and stop when the user is disabled', async () => {
    const now = new Date();
    const r = await login(ctx.db, 'zhang', PW, '10.0.0.2', now);
    expect(await authenticateToken(ctx.db, r.token, new Date(now.getTime() + 1000))).toBeDefined();
    expect(await authenticateToken(ctx.db, r.token, new Date(now.getTime() + SESSION_TTL_MS + 1))).toBeUndefined();
    expect(await authenticateToken(ctx.db, r.token, new Date(now.getTime() + 3 * 3600_000))).toBeUndefined();
    expect(await authenticateToken(ctx.db, 'not-a-token')).toBeUndefined();
    await logout(ctx.db, r.token);
    expect(await authenticateToken(ctx.db, r.token)).toBeUndefined();
    const r2 = await login(ctx.db, 'zhang', PW, '10.0.0.2');
    await ctx.db.updateTable('app_user').set({ disabled: true }).where('username', '=', 'zhang').execute();
    expect(await authenticateToken(ctx.db, r2.token)).toBeUndefined();
    await expect(login(ctx.db, 'zhang', PW, '10.0.0.3')).rejects.toMatchObject({ code: 'BK_AUTH_BAD_CREDENTIALS' });
  });

  it('audits logins and failures in a chain that verifies', async () => {
    const rows = await ctx.db.selectFrom('audit_log').select(['action', 'outcome']).execute();
    expect(rows.some((r) => r.action === 'login' && r.outcome === 'ok')).toBe(true);
    expect(rows.some((r) => r.action === 'login_failed' && r.outcome === 'denied')).toBe(true);
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
  });
});
