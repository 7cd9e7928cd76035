import { expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/db.ts';
import { buildApp } from '../app.ts';
import type { AuthContext, Permission } from '../auth-context.ts';
import { makeIdNumber } from '../../domain/id-number.ts';
import { insertFixture } from '../../link/fixture.ts';

const V1 = '621202100201';
const V9 = '621202100909';
const a = makeIdNumber('621202', '1960-01-01', 11, true);
const b = makeIdNumber('621202', '1962-02-02', 12, false);
const c = makeIdNumber('621202', '1985-10-10', 20, true);
const d = makeIdNumber('621202', '1970-06-06', 16, true);

const ALL: Permission[] = ['read_records', 'merge', 'review', 'read_aggregates'];
let current: AuthContext = { userId: 'u1', username: 'county', role: 'county_admin', regionPrefix: '', permissions: new Set(ALL) };
const as = (regionPrefix: string, perms: Permission[] = ALL): void => {
  current = { userId: 'u1', username: 'tester', role: 'county_admin', regionPrefix, permissions: new Set(perms) };
};

describeDb('link routes', (ctx) => {
  let app: FastifyInstance;
  it('builds the app and seeds two villages', async () => {
    app = await buildApp({ db: ctx.db, dbKind: ctx.kind, authenticate: async () => current, rateLimitPerMinute: false } as Parameters<typeof buildApp>[0]);
    await insertFixture(ctx.db, 'prm', [
      { no: 'P1', region: V1, township: '城关镇', village: '一村', members: [{ name: '王建国', id: a, relation: '户主' }, { name: '李秀英', id: b }] },
      { no: 'P2', region: V9, township: '城关镇', village: '九村', members: [{ name: '陈明', id: '不详', relation: '户主' }] },
    ]);
    await insertFixture(ctx.db, 'lip', [
      { no: 'L1', region: V1, members: [{ name: '王建国', id: a, relation: '本人' }] },
      { no: 'L2', region: V9, members: [{ name: '陈明', id: c, relation: '本人' }] },
      { no: 'L3', region: V9, members: [{ name: '赵刚', id: d, relation: '本人' }] },
    ]);
  });

  it('coverage before merge has zero categories', async () => {
    as('');
    const r = await app.inject({ method: 'GET', url: '/api/reports/coverage' });
    expect(r.statusCode).toBe(200);
    expect(r.json().households).toEqual({ II: 0, III: 0, IV: 0, total: 0 });
  });

  it('POST /api/merge needs the merge permission and county scope', async () => {
    as('', ['read_records']);
    expect((await app.inject({ method: 'POST', url: '/api/merge', payload: {} })).statusCode).toBe(403);
    as('621202100');
    expect((await app.inject({ method: 'POST', url: '/api/merge', payload: {} })).statusCode).toBe(403);
    as('621202');
    const r = await app.inject({ method: 'POST', url: '/api/merge', payload: {} });
    expect(r.statusCode).toBe(200);
    expect(r.json().counties[0].households).toEqual({ II: 1, III: 2, IV: 1, total: 4 });
  });

  it('lists households filtered by region in SQL, masked', async () => {
    as('621202100201');
    const r = await app.inject({ method: 'GET', url: '/api/households?category=IV' });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.total).toBe(1);
    expect(body.items[0].prmHouseholdNos).toEqual(['P1']);
    expect(body.items[0].headName).toBe('王**');
    as('621202100201');
    const none = await app.inject({ method: 'GET', url: '/api/households?category=III' });
    expect(none.json().total).toBe(0);
    const hid = body.items[0].householdId as string;
    const det = await app.inject({ method: 'GET', url: `/api/households/${hid}` });
    expect(det.statusCode).toBe(200);
    const dj = det.json();
    expect(dj.prm[0].members).toHaveLength(2);
    expect(dj.lip[0].members).toHaveLength(1);
    expect(dj.prm[0].members[0].idNumber).toMatch(/^621202\*+\d{3}[\dX]$/);
    expect(JSON.stringify(dj)).not.toContain(a);
    expect(JSON.stringify(dj)).not.toContain('王建国');
    // Every member carries its import coordinates (fileId, rowNo) for POST /api/unmask,
    // and they point at the very member row shown.
    for (const m of [...dj.prm[0].members, ...dj.lip[0].members] as { system: 'prm' | 'lip'; fileId: string; rowNo: number; relation: string | null }[]) {
      expect(typeof m.fileId).toBe('string');
      expect(Number.isInteger(m.rowNo)).toBe(true);
      const row = await ctx.db
        .selectFrom(m.system === 'prm' ? 'prm_member' : 'lip_member')
        .select(['relation'])
        .where('file_id', '=', m.fileId)
        .where('row_no', '=', m.rowNo)
        .executeTakeFirstOrThrow();
      expect(row.relation).toBe(m.relation);
    }
    const rowsOfP1 = dj.prm[0].members.map((m: { rowNo: number }) => m.rowNo);
    expect(new Set(rowsOfP1).size).toBe(2);
    // Out of scope: another village's user gets 403 on this household.
    as('621202100909');
    expect((await app.inject({ method: 'GET', url: `/api/households/${hid}` })).statusCode).toBe(403);
  });

  it('review queue shows both records side by side; a decision is kept and used by the next merge', async () => {
    as('621202');
    const q = await app.inject({ method: 'GET', url: '/api/reviews?status=pending' });
    expect(q.statusCode).toBe(200);
    const items = q.json().items;
    expect(items.length).toBeGreaterThanOrEqual(1);
    const it0 = items.find((x: { prm: { groupNo: string } }) => x.prm.groupNo === 'P2');
    expect(it0.lip.groupNo).toBe('L2');
    expect(it0.agreements.name).toBe('exact');
    expect(it0.prm.name).toBe('陈*');
    as('621202', ['read_records']);
    expect((await app.inject({ method: 'POST', url: `/api/reviews/${it0.reviewId}`, payload: { decision: 'accept' } })).statusCode).toBe(403);
    as('621202');
    const dec = await app.inject({ method: 'POST', url: `/api/reviews/${it0.reviewId}`, payload: { decision: 'accept', reason: '入户核实' } });
    expect(dec.statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/reviews/nope', payload: { decision: 'accept' } })).statusCode).toBe(404);
    const m = await app.inject({ method: 'POST', url: '/api/merge', payload: { countyCode: '621202' } });
    expect(m.json().counties[0].households).toEqual({ II: 0, III: 1, IV: 2, total: 3 });
    const acc = await app.inject({ method: 'GET', url: '/api/reviews?status=accepted' });
    expect(acc.json().items.map((x: { reviewId: string }) => x.reviewId)).toContain(it0.reviewId);
  });

  it('exports the households CSV with the exact header', async () => {
    as('');
    const r = await app.inject({ method: 'GET', url: '/api/export/households.csv' });
    expect(r.statusCode).toBe(200);
    const lines = r.body.trim().split('\n');
    expect(lines[0]).toBe('household_id,category,prm_household_no,lip_family_no,county_code,members');
    expect(lines.slice(1).map((l) => l.split(',').slice(1, 4).join(',')).sort()).toEqual(['III,,L3', 'IV,P1,L1', 'IV,P2,L2']);
    const cov = await app.inject({ method: 'GET', url: '/api/reports/coverage' });
    expect(cov.json().prm_in_lip_share).toBe(1);
    expect(cov.json().by_township[0].code).toBe('621202100');
    // every reason code the report counts comes with its Chinese label
    const { reasons, reason_labels } = cov.json() as { reasons: Record<string, Record<string, number>>; reason_labels: Record<string, string> };
    const codes = [...Object.keys(reasons.II), ...Object.keys(reasons.III)];
    expect(codes.length).toBeGreaterThan(0);
    for (const c of codes) expect(reason_labels[c], c).toMatch(/[\u4e00-\u9fff]/);
    await app.close();
  });
});
