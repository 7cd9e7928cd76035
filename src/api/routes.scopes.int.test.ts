/**
 * Security tests that walk the route table, so routes added later by any
 * module are covered automatically:
 * - every /api route except login/health refuses unauthenticated requests (401);
 * - a user of another county gets no data of this county from any GET route,
 *   and every route with a county/region/household/… parameter refuses them;
 * - no response (JSON, CSV or XLSX) and no log line carries a full ID number
 *   or a full name for a user without 'unmask';
 * - oversized and malformed requests get 4xx, never 500;
 * - every /api route has a JSON schema and appears in /openapi.json;
 * - unmasking needs permission + reason + scope and is audited; the chain verifies.
 */
import { expect, it, beforeAll, afterAll } from 'vitest';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { describeDb } from '../test/db.ts';
import { buildApp } from './app.ts';
import { PUBLIC_ROUTES } from './plugins/auth.ts';
import type { RouteInfo } from './plugins/openapi.ts';
import { createUser } from '../auth/service.ts';
import { verifyAuditChain } from '../audit/store.ts';
import { insertFixture, type FixtureGroup } from '../link/fixture.ts';
import { mergeAll } from '../link/merge.ts';
import { makeIdNumber, maskIdNumber } from '../domain/id-number.ts';

const HOME = '621202'; // the county whose data is probed
const OTHER = '620102'; // the outsider's county
const PW = 'Scope-test-pw-1';

/** Members with full names of 3 characters (a leak of a full name is then detectable). */
function county(code: string, tag: string): { prm: FixtureGroup[]; lip: FixtureGroup[]; ids: string[]; names: string[] } {
  const ids: string[] = [];
  const names: string[] = [];
  const surnames = ['张', '王', '李', '赵', '刘', '陈'];
  const given = ['建国', '秀英', '德明', '桂兰', '志强', '玉梅'];
  const prm: FixtureGroup[] = [];
  const lip: FixtureGroup[] = [];
  for (let h = 0; h < 3; h++) {
    const region = `${code}10${h}001`;
    const members = [0, 1].map((k) => {
      const id = makeIdNumber(code, `19${60 + h * 7 + k}-0${k + 3}-1${h}`, 100 + h * 10 + k, k === 0);
      const name = `${surnames[(h * 2 + k) % 6]}${given[(h + k + (tag === 'A' ? 0 : 3)) % 6]}`;
      ids.push(id);
      names.push(name);
      return { name, id, relation: k === 0 ? '户主' : '配偶' };
    });
    prm.push({ no: `HH${tag}${code}${h}`, region, township: `${tag}乡`, village: `${tag}村${h}`, members });
    if (h < 2) lip.push({ no: `FM${tag}${code}${h}`, region, township: `${tag}乡`, village: `${tag}村${h}`, members });
  }
  return { prm, lip, ids, names };
}

function snake(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

const SCOPE_KEY = /county|region|household|family|file|person|pair|case|member|row|record|village|township|username|decision|push|lead/i;

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; enum?: unknown[]; minLength?: number; minimum?: number; items?: Schema; format?: string; default?: unknown };

interface Probe {
  route: RouteInfo;
  req: InjectOptions;
  url: string;
  scoped: boolean;
}

describeDb('route security (walks the route table)', (ctx) => {
  let app: FastifyInstance;
  const logLines: string[] = [];
  const tokens: Record<string, string> = {};
  let home: ReturnType<typeof county>;
  let other: ReturnType<typeof county>;
  let homeFileId = '';
  /** column name → a value from HOME's rows, gathered from every table. */
  const pool = new Map<string, string>();
  let routes: RouteInfo[] = [];

  beforeAll(async () => {
    home = county(HOME, 'A');
    other = county(OTHER, 'B');
    homeFileId = await insertFixture(ctx.db, 'prm', home.prm);
    await insertFixture(ctx.db, 'lip', home.lip);
    await insertFixture(ctx.db, 'prm', other.prm);
    await insertFixture(ctx.db, 'lip', other.lip);
    await mergeAll(ctx.db);

    // Values pointing at HOME's records, from every table that has county_code.
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.columns
      where table_schema = current_schema() and column_name = 'county_code' and table_name not like 'kysely_%'`.execute(ctx.db);
    for (const { table_name } of tables.rows) {
      const r = await sql<Record<string, unknown>>`select * from ${sql.table(table_name)} where county_code = ${HOME} limit 1`.execute(ctx.db);
      for (const [k, v] of Object.entries(r.rows[0] ?? {})) {
        if (v === null || typeof v === 'object' || pool.has(k)) continue;
        pool.set(k, String(v));
      }
    }
    pool.set('file_id', homeFileId);
    pool.set('county_code', HOME);
    pool.set('county', HOME);
    pool.set('region_code', `${HOME}100001`);
    pool.set('region', HOME);
    pool.set('region_prefix', HOME);
    pool.set('row_no', '2');
    pool.set('username', 'home_admin');

    app = await buildApp({ db: ctx.db, dbKind: ctx.kind, rateLimitPerMinute: false, logStream: { write: (l) => logLines.push(l) } });
    await app.ready();
    routes = app.routeTable.filter((r) => r.url.startsWith('/api') && r.method !== 'HEAD' && r.method !== 'OPTIONS');

    await createUser(ctx.db, { username: 'home_admin', password: PW, role: 'county_admin', regionPrefix: HOME });
    await createUser(ctx.db, { username: 'home_township', password: PW, role: 'township', regionPrefix: `${HOME}100` });
    await createUser(ctx.db, { username: 'home_staff', password: PW, role: 'county_staff_prm', regionPrefix: HOME });
    await createUser(ctx.db, { username: 'outsider', password: PW, role: 'county_admin', regionPrefix: OTHER });
    await createUser(ctx.db, { username: 'auditor', password: PW, role: 'auditor', regionPrefix: '' });
    await createUser(ctx.db, { username: 'fuzzer', password: PW, role: 'county_admin', regionPrefix: HOME });
    for (const u of ['home_admin', 'home_township', 'home_staff', 'outsider', 'auditor', 'fuzzer']) {
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u, password: PW } });
      expect(r.statusCode, r.body).toBe(200);
      tokens[u] = r.json().token;
    }
  }, 120_000);

  afterAll(async () => {
    await app?.close();
  });

  function value(name: string): string | undefined {
    return pool.get(snake(name)) ?? pool.get(name);
  }

  function sample(name: string, s: Schema): unknown {
    const v = value(name);
    const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
    if (s.enum) return v !== undefined && s.enum.includes(v) ? v : s.enum[0];
    if (t === 'integer' || t === 'number') return v !== undefined && !Number.isNaN(Number(v)) ? Number(v) : Math.max(1, s.minimum ?? 1);
    if (t === 'boolean') return false;
    if (t === 'array') return [sample(name, s.items ?? { type: 'string' })];
    if (t === 'object') return build(s);
    if (v !== undefined) return v;
    if (s.format === 'date-time') return new Date().toISOString();
    if (s.format === 'date') return '2024-01-01';
    return 'x'.repeat(Math.max(4, s.minLength ?? 1));
  }

  function build(s: Schema | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, p] of Object.entries(s?.properties ?? {})) {
      if (s?.required?.includes(k) || SCOPE_KEY.test(k)) out[k] = sample(k, p);
    }
    if (s?.properties && 'reason' in s.properties) out.reason = '入户核查需要';
    return out;
  }

  /** A request for `route` whose parameters point at HOME's records. */
  function probe(route: RouteInfo): Probe {
    const schema = (route.schema ?? {}) as { params?: Schema; querystring?: Schema; body?: Schema; consumes?: string[] };
    const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]);
    let url = route.url;
    for (const p of params) url = url.replace(`:${p}`, encodeURIComponent(String(value(p) ?? 'x')));
    url = url.replace(/\*$/, 'x');
    const q = build(schema.querystring);
    const qs = new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const scoped = [...params, ...Object.keys(schema.querystring?.properties ?? {}), ...Object.keys(schema.body?.properties ?? {})].some((k) => SCOPE_KEY.test(k));
    const full = qs ? `${url}?${qs}` : url;
    const req: InjectOptions = { method: route.method as InjectOptions['method'], url: full };
    if (route.method !== 'GET' && route.method !== 'DELETE') req.payload = build(schema.body);
    return { route, req, url: full, scoped };
  }

  function as(user: string | undefined, r: InjectOptions): InjectOptions {
    return { ...r, headers: { ...(r.headers ?? {}), ...(user ? { authorization: `Bearer ${tokens[user]}` } : {}) } };
  }

  /** Response text, with XLSX unpacked into its cell values. */
  async function text(res: { headers: Record<string, unknown>; rawPayload: Buffer; body: string }): Promise<string> {
    const ct = String(res.headers['content-type'] ?? '');
    if (ct.includes('spreadsheetml') || res.rawPayload.subarray(0, 2).toString() === 'PK') {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const cells: string[] = [];
      wb.eachSheet((ws) => ws.eachRow((row) => row.eachCell((c) => cells.push(String(c.text ?? c.value)))));
      return cells.join('\n');
    }
    return res.body;
  }

  it('walks a route table that includes the auth, user and audit routes', () => {
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    for (const k of ['POST /api/auth/login', 'GET /api/users', 'GET /api/audit', 'POST /api/unmask']) expect(keys).toContain(k);
  });

  it('refuses every non-public /api route without a valid session (401)', async () => {
    const checked: string[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      if (PUBLIC_ROUTES.has(key)) continue;
      const { req } = probe(route);
      for (const headers of [{}, { authorization: 'Bearer not-a-real-token' }, { cookie: 'binku_session=forged' }]) {
        const r = await app.inject({ ...req, headers });
        expect(r.statusCode, `${key} ${JSON.stringify(headers)} → ${r.statusCode} ${r.body.slice(0, 200)}`).toBe(401);
        expect(r.json().code).toBe('BK_AUTH_REQUIRED');
      }
      checked.push(key);
    }
    expect(checked.length).toBeGreaterThanOrEqual(routes.length - 2);
    // Unknown /api paths are refused before anything else too.
    expect((await app.inject({ method: 'GET', url: '/api/no-such-route' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
  });

  /** Every GET/write the outsider may make, checked for refusal or for no HOME data in the reply. */
  async function outsiderFailures(target: FastifyInstance, table: RouteInfo[]): Promise<{ failures: string[]; scopedCount: number }> {
    const homeMarkers = [...home.prm.map((g) => g.no), ...home.lip.map((g) => g.no), `${HOME}10`, ...home.ids.map((i) => maskIdNumber(i)!), ...home.ids];
    const failures: string[] = [];
    let scopedCount = 0;
    for (const route of table) {
      const key = `${route.method} ${route.url}`;
      if (PUBLIC_ROUTES.has(key) || key === 'POST /api/auth/logout' || key === 'POST /api/auth/password') continue;
      const { req, scoped } = probe(route);
      if (scoped) scopedCount++;
      const r = await target.inject(as('outsider', req));
      if (r.statusCode >= 500) failures.push(`${key}: ${r.statusCode} ${r.body.slice(0, 200)}`);
      else if (r.statusCode < 400 && scoped && route.method !== 'GET') failures.push(`${key}: accepted a write aimed at county ${HOME} (${r.statusCode})`);
      else if (r.statusCode < 400) {
        const body = await text(r);
        const leaked = homeMarkers.filter((m) => body.includes(m));
        if (leaked.length) failures.push(`${key}: leaked ${leaked.slice(0, 3).join(', ')}`);
      }
    }
    return { failures, scopedCount };
  }

  /** Every GET as users without 'unmask', checked for full IDs and full names. */
  async function unmaskedFailures(target: FastifyInstance, table: RouteInfo[]): Promise<{ failures: string[]; ok2xx: number }> {
    const secrets = [...home.ids, ...home.names, ...other.ids, ...other.names];
    const failures: string[] = [];
    let ok2xx = 0;
    for (const route of table) {
      if (route.method !== 'GET') continue;
      const { req } = probe(route);
      for (const user of ['home_township', 'home_staff']) {
        const r = await target.inject(as(user, req));
        if (r.statusCode >= 500) failures.push(`${route.url} as ${user}: ${r.statusCode}`);
        if (r.statusCode < 300) ok2xx++;
        const body = await text(r);
        const leaked = secrets.filter((x) => body.includes(x));
        if (leaked.length) failures.push(`${route.url} as ${user}: ${leaked.slice(0, 3).join(', ')}`);
        if (/(?<!\d)\d{17}[\dXx](?!\d)/.test(body)) failures.push(`${route.url} as ${user}: an 18-character ID-shaped value`);
      }
    }
    return { failures, ok2xx };
  }

  it('gives a user of another county nothing of this county, on every route', async () => {
    const { failures, scopedCount } = await outsiderFailures(app, routes);
    expect(failures).toEqual([]);
    expect(scopedCount).toBeGreaterThan(0);
  });

  it('the walk does catch a route that forgets the region filter or the masking', async () => {
    const bad = await buildApp({ db: ctx.db, dbKind: ctx.kind, rateLimitPerMinute: false });
    // Looks a household up without applying the caller's region prefix, and returns clear values.
    bad.get<{ Params: { householdNo: string } }>('/api/_leaky/:householdNo', { schema: { response: { 200: { type: 'array', items: { type: 'object', additionalProperties: true } } } } }, async (req) =>
      ctx.db.selectFrom('prm_member').select(['household_no', 'name', 'id_number', 'region_code']).where('household_no', '=', req.params.householdNo).execute(),
    );
    await bad.ready();
    const leaky = bad.routeTable.filter((r) => r.url === '/api/_leaky/:householdNo' && r.method === 'GET');
    expect(leaky).toHaveLength(1);
    expect((await outsiderFailures(bad, leaky)).failures.join('\n')).toMatch(/_leaky.*leaked HHA/);
    expect((await unmaskedFailures(bad, leaky)).failures.join('\n')).toMatch(/_leaky.*as home_township/);
    await bad.close();
  });

  it('refuses the outsider explicitly where a record of this county is named', async () => {
    const r = await app.inject(as('outsider', { method: 'POST', url: '/api/unmask', payload: { system: 'prm', countyCode: HOME, fileId: homeFileId, rowNo: 2, reason: '入户核查需要' } }));
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('BK_AUTH_OUT_OF_SCOPE');
    const u = await app.inject(as('outsider', { method: 'PATCH', url: '/api/users/home_admin', payload: { disabled: true } }));
    expect(u.statusCode).toBe(404);
  });

  it('never shows a full ID number or full name to a user without unmask (responses and logs)', async () => {
    const secrets = [...home.ids, ...home.names, ...other.ids, ...other.names];
    const { failures, ok2xx } = await unmaskedFailures(app, routes);
    // A refused unmask (no permission) leaks nothing either.
    const denied = await app.inject(as('home_township', { method: 'POST', url: '/api/unmask', payload: { system: 'prm', countyCode: HOME, fileId: homeFileId, rowNo: 2, reason: '入户核查需要' } }));
    expect(denied.statusCode).toBe(403);
    expect(secrets.some((s) => denied.body.includes(s))).toBe(false);
    expect(failures).toEqual([]);
    expect(ok2xx).toBeGreaterThan(0);
    // Even a log line written with a clear ID is scrubbed.
    app.log.info({ note: `lookup ${home.ids[0]}` }, `member ${home.ids[1]}`);
    const logs = logLines.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(home.ids.filter((i) => logs.includes(i))).toEqual([]);
    expect(logs).toContain(maskIdNumber(home.ids[0]));
    expect(logs).not.toContain(tokens.home_admin);
  });

  it('answers oversized and malformed requests with 4xx, never 500', async () => {
    const failures: string[] = [];
    const big = JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) });
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      // Logging out would end the session the loop uses; its body is never read anyway.
      if (key === 'POST /api/auth/logout') continue;
      const { req, url } = probe(route);
      const user = key === 'POST /api/auth/login' ? undefined : 'fuzzer';
      const attempts: InjectOptions[] = [
        { ...req, url: `${url}${url.includes('?') ? '&' : '?'}page=-1&pageSize=100000` },
        { ...req, url: url.replace(/\/[^/?]+(\?|$)/, `/${'9'.repeat(300)}$1`) },
      ];
      if (route.method !== 'GET' && route.method !== 'DELETE') {
        attempts.push({ ...req, payload: '{"broken": ', headers: { 'content-type': 'application/json' } });
        attempts.push({ ...req, payload: big, headers: { 'content-type': 'application/json' } });
        attempts.push({ ...req, payload: '[1,2,3]', headers: { 'content-type': 'application/json' } });
        attempts.push({ ...req, payload: 'a=b', headers: { 'content-type': 'text/plain' } });
      }
      for (const a of attempts) {
        const r = await app.inject(as(user, a));
        if (r.statusCode >= 500) failures.push(`${key} ${String(a.payload ?? a.url).slice(0, 60)} → ${r.statusCode} ${r.body.slice(0, 200)}`);
        if (r.statusCode >= 400) {
          const j = r.json();
          if (typeof j.code !== 'string' || typeof j.message !== 'string' || j.statusCode !== r.statusCode) failures.push(`${key}: error shape ${r.body.slice(0, 120)}`);
        }
      }
      // A 2 MiB JSON body exceeds the app-wide 1 MiB limit: 413 unless the route raised its own limit.
      const limit = route.bodyLimit ?? app.initialConfig.bodyLimit ?? 1024 * 1024;
      if (route.method === 'POST' && limit < big.length && !((route.schema as { consumes?: string[] })?.consumes ?? []).includes('multipart/form-data')) {
        const r = await app.inject(as(user, { ...req, payload: big, headers: { 'content-type': 'application/json' } }));
        if (r.statusCode !== 413) failures.push(`${key}: 2 MiB JSON body → ${r.statusCode}, expected 413`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('documents every /api route with a schema in /openapi.json, behind a security scheme', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe('bearer');
    expect(doc.components.schemas.Error).toBeDefined();
    const problems: string[] = [];
    for (const route of routes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[path]?.[route.method.toLowerCase()];
      if (!op) {
        problems.push(`${route.method} ${route.url} missing from openapi.json`);
        continue;
      }
      const s = (route.schema ?? {}) as { response?: Record<string, unknown>; produces?: string[] };
      // File downloads (…/export.xlsx) have no JSON body to describe.
      const success = Object.keys(s.response ?? {}).some((k) => /^(2|3)/.test(k)) || (s.produces?.length ?? 0) > 0 || /\.(csv|xlsx|zip|pdf)$/.test(route.url);
      if (!success) problems.push(`${route.method} ${route.url} has no success response schema`);
      const isPublic = PUBLIC_ROUTES.has(`${route.method} ${route.url}`);
      if (isPublic !== (Array.isArray(op.security) && op.security.length === 0)) problems.push(`${route.method} ${route.url} security marking`);
    }
    expect(problems).toEqual([]);
    const docs = await app.inject({ method: 'GET', url: '/docs' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('/openapi.json');
  });

  it('unmasks only with permission, reason and scope, and audits it in a chain that verifies', async () => {
    const body = { system: 'prm', countyCode: HOME, fileId: homeFileId, rowNo: 2, reason: '入户核查需要' };
    const before = await ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', 'unmask').executeTakeFirstOrThrow();
    const ok = await app.inject(as('home_staff', { method: 'POST', url: '/api/unmask', payload: body }));
    expect(ok.statusCode, ok.body).toBe(200);
    const rec = await ctx.db.selectFrom('prm_member').select(['name', 'id_number']).where('file_id', '=', homeFileId).where('row_no', '=', 2).executeTakeFirstOrThrow();
    expect(ok.json()).toMatchObject({ name: rec.name, id_number: rec.id_number });
    expect((await app.inject(as('home_staff', { method: 'POST', url: '/api/unmask', payload: { ...body, reason: ' ' } }))).statusCode).toBe(400);
    expect((await app.inject(as('home_staff', { method: 'POST', url: '/api/unmask', payload: { ...body, rowNo: 999 } }))).statusCode).toBe(404);
    const rows = await ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'unmask').orderBy('seq').execute();
    expect(rows.length).toBeGreaterThan(Number(before.n));
    const last = rows[rows.length - 1];
    expect(last).toMatchObject({ username: 'home_staff', reason: '入户核查需要', county_code: HOME, outcome: 'ok', target_id: `prm_member:${HOME}:${homeFileId}:2` });
    expect(rows.some((r) => r.outcome === 'denied' && r.username === 'home_township')).toBe(true);
    // The audit row itself holds no clear values.
    expect(JSON.stringify(rows)).not.toContain(rec.id_number!);
    // Auditors can read, export and verify; the chain holds.
    const list = await app.inject(as('auditor', { method: 'GET', url: '/api/audit?action=unmask&pageSize=500' }));
    expect(list.statusCode).toBe(200);
    expect(list.json().items.some((i: { username: string }) => i.username === 'home_staff')).toBe(true);
    const csv = await app.inject(as('auditor', { method: 'GET', url: '/api/audit/export.csv' }));
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('unmask');
    const v = await app.inject(as('auditor', { method: 'GET', url: '/api/audit/verify' }));
    expect(v.json()).toMatchObject({ ok: true });
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
    // Staff may not read the audit log.
    expect((await app.inject(as('home_staff', { method: 'GET', url: '/api/audit' }))).statusCode).toBe(403);
  });

  it('session cookie works for the web UI but not for cross-origin writes', async () => {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'home_staff', password: PW } });
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    expect(String(login.headers['set-cookie'])).toMatch(/HttpOnly/i);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).json().username).toBe('home_staff');
    const evil = await app.inject({ method: 'POST', url: '/api/unmask', headers: { cookie, origin: 'https://evil.example' }, payload: { system: 'prm', countyCode: HOME, fileId: homeFileId, rowNo: 2, reason: '入户核查需要' } });
    expect(evil.statusCode).toBe(403);
    const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('throttles repeated failed logins over HTTP (429 with the error shape)', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'auditor', password: 'wrong-password' } })).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'auditor', password: PW } });
    expect(r.statusCode).toBe(429);
    expect(r.json().code).toBe('BK_AUTH_LOCKED');
  });

  it('forces a one-time password to be changed before anything else', async () => {
    await createUser(ctx.db, { username: 'newbie', password: PW, role: 'village', regionPrefix: `${HOME}100001`, mustChangePassword: true });
    const t = (await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'newbie', password: PW } })).json().token;
    const h = { authorization: `Bearer ${t}` };
    expect((await app.inject({ method: 'GET', url: '/api/users', headers: h })).json().code).toBe('BK_AUTH_PASSWORD_CHANGE_REQUIRED');
    expect((await app.inject({ method: 'POST', url: '/api/auth/password', headers: h, payload: { oldPassword: PW, newPassword: 'short' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/auth/password', headers: h, payload: { oldPassword: PW, newPassword: 'Brand-new-pw-2' } })).statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: '/api/auth/me', headers: h })).json().mustChangePassword).toBe(false);
  });

  it('lets admins manage users only inside their region', async () => {
    const h = { authorization: `Bearer ${tokens.home_admin}` };
    const created = await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { username: 'cun1', password: PW, role: 'village', regionPrefix: `${HOME}100001` } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().mustChangePassword).toBe(true);
    const outside = await app.inject({ method: 'POST', url: '/api/users', headers: h, payload: { username: 'cun2', password: PW, role: 'village', regionPrefix: `${OTHER}100001` } });
    expect(outside.statusCode).toBe(403);
    const list = await app.inject({ method: 'GET', url: '/api/users?pageSize=500', headers: h });
    const names = list.json().items.map((u: { username: string }) => u.username);
    expect(names).toContain('cun1');
    expect(names).not.toContain('outsider');
    expect((await app.inject({ method: 'GET', url: '/api/users', headers: { authorization: `Bearer ${tokens.home_staff}` } })).statusCode).toBe(403);
  });
});

describeDb('API hygiene', (ctx) => {
  it('rate-limits per IP with the error shape, and CORS is off unless configured', async () => {
    const app = await buildApp({ db: ctx.db, dbKind: ctx.kind, rateLimitPerMinute: 3 });
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await app.inject({ method: 'GET', url: '/api/health' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const r = await app.inject({ method: 'GET', url: '/api/health' });
    expect(r.json()).toMatchObject({ statusCode: 429, code: 'BK_API_RATE_LIMITED' });
    const pre = await app.inject({ method: 'GET', url: '/openapi.json', headers: { origin: 'https://elsewhere.example' } });
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    await app.close();
    const withCors = await buildApp({ db: ctx.db, dbKind: ctx.kind, corsOrigin: 'https://ui.example' });
    const c = await withCors.inject({ method: 'GET', url: '/api/health', headers: { origin: 'https://ui.example' } });
    expect(c.headers['access-control-allow-origin']).toBe('https://ui.example');
    await withCors.close();
  });
});
