/** Kysely queries for users, sessions and login throttling. */
import type { Selectable } from 'kysely';
import type { AppUserTable } from '../db/schema.ts';
import type { DbOrTx } from '../audit/store.ts';

export type UserRow = Selectable<AppUserTable>;

export function findUserByName(db: DbOrTx, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findUserById(db: DbOrTx, userId: string): Promise<UserRow | undefined> {
  return db.selectFrom('app_user').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const r = await db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Users whose region lies inside `prefix` ('' = all), paged. */
export async function listUsers(db: DbOrTx, prefix: string, page: number, pageSize: number): Promise<{ total: number; items: UserRow[] }> {
  const base = db.selectFrom('app_user').where('region_prefix', 'like', `${prefix}%`);
  const t = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const items = await base
    .selectAll()
    .orderBy('username')
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { total: Number(t.n), items };
}

export function findSession(db: DbOrTx, tokenHash: string) {
  return db
    .selectFrom('user_session')
    .innerJoin('app_user', 'app_user.user_id', 'user_session.user_id')
    .select([
      'user_session.token_hash',
      'user_session.expires_at',
      'user_session.revoked_at',
      'user_session.last_seen_at',
      'app_user.user_id',
      'app_user.username',
      'app_user.role',
      'app_user.region_prefix',
      'app_user.department',
      'app_user.disabled',
      'app_user.must_change_password',
    ])
    .where('user_session.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function getThrottle(db: DbOrTx, key: string) {
  return db.selectFrom('login_throttle').selectAll().where('county_code', '=', '').where('throttle_key', '=', key).executeTakeFirst();
}
