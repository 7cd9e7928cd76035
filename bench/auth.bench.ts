/**
 * Auth/audit benchmark: argon2id hash + verify, authenticated request
 * latency (token → session → AuthContext), audit append throughput (serialized
 * hash chain) and chain verification speed — on PGlite and PostgreSQL.
 *   npx tsx bench/auth.bench.ts [--appends 2000] [--dbs pglite,postgres]
 */
import { openTestDb, type DbKind } from '../src/test/db.ts';
import { hashPassword, verifyPassword } from '../src/auth/password.ts';
import { authenticateToken, createUser, login } from '../src/auth/service.ts';
import { verifyAuditChain, writeAudit } from '../src/audit/store.ts';
import { buildApp } from '../src/api/app.ts';
import { arg } from './lib.ts';

const appends = Number(arg('appends') ?? 2000);
const dbs = (arg('dbs') ?? 'pglite,postgres').split(',') as DbKind[];

let t = performance.now();
const h = await hashPassword('Bench-password-1');
const hashMs = performance.now() - t;
t = performance.now();
await verifyPassword(h, 'Bench-password-1');
console.log(`argon2id (m=19 MiB, t=2, p=1): hash ${hashMs.toFixed(0)} ms, verify ${(performance.now() - t).toFixed(0)} ms`);

for (const kind of dbs) {
  const handle = await openTestDb(kind);
  const db = handle.db;
  await createUser(db, { username: 'bench', password: 'Bench-password-1', role: 'county_admin', regionPrefix: '621202' });
  t = performance.now();
  const { token } = await login(db, 'bench', 'Bench-password-1', '127.0.0.1');
  const loginMs = performance.now() - t;
  t = performance.now();
  for (let i = 0; i < 500; i++) await authenticateToken(db, token);
  const authUs = ((performance.now() - t) / 500) * 1000;
  const app = await buildApp({ db, dbKind: kind, rateLimitPerMinute: false });
  t = performance.now();
  for (let i = 0; i < 300; i++) await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
  const reqMs = (performance.now() - t) / 300;
  await app.close();

  t = performance.now();
  for (let i = 0; i < appends; i++) await writeAudit(db, { action: 'unmask', countyCode: '621202', username: 'bench', targetId: `prm_member:621202:f:${i}`, reason: '基准测试', details: { i } });
  const seqMs = performance.now() - t;
  t = performance.now();
  await Promise.all(Array.from({ length: 200 }, (_, i) => writeAudit(db, { action: 'decision', countyCode: '621202', targetId: `H${i}` })));
  const parMs = performance.now() - t;
  t = performance.now();
  const v = await verifyAuditChain(db);
  const verMs = performance.now() - t;
  console.log(
    `${kind.padEnd(8)} login ${loginMs.toFixed(0)} ms | token→context ${authUs.toFixed(0)} µs | GET /api/auth/me ${reqMs.toFixed(2)} ms | ` +
      `audit append ${(appends / (seqMs / 1000)).toFixed(0)}/s sequential, 200 concurrent in ${parMs.toFixed(0)} ms | verify ${v.count} rows ${verMs.toFixed(0)} ms (${(v.count / (verMs / 1000)).toFixed(0)} rows/s) ok=${v.ok}`,
  );
  await handle.close();
}
