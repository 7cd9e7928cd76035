import { expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { describeDb } from '../../test/db.ts';
import { buildApp } from '../app.ts';
import type { AuthContext, Permission } from '../auth-context.ts';
import { makeIdNumber } from '../../domain/id-number.ts';
import { insertFixture } from '../../link/fixture.ts';
import { mergeAll } from '../../link/merge.ts';
import { DEFAULT_STANDARDS } from '../../rules/standards.ts';
import { standardsToXlsx } from '../../rules/standards-xlsx.ts';

const V1 = '621202100201';
const a = makeIdNumber('621202', '1960-01-01', 11, true);
const b = makeIdNumber('621202', '1962-02-02', 12, false);

const READ: Permission[] = ['read_records', 'read_aggregates'];
let current: AuthContext | undefined;
const as = (regionPrefix: string, perms: Permission[] = READ): void => {
  current = { userId: 'u1', username: 'tester', role: 'county_admin', regionPrefix, permissions: new Set(perms) };
};

describeDb('rules routes', (ctx) => {
  let app: FastifyInstance;
  let householdId = '';
  it('builds the app, seeds one household in both systems and merges', async () => {
    app = await buildApp({ db: ctx.db, dbKind: ctx.kind, authenticate: async () => current, rateLimitPerMinute: false } as Parameters<typeof buildApp>[0]);
    // PRM: 纯收入 10000 for 2 persons = 5000 < 6900 → monitoring; LIP says 低保 but its income is 9000/person ≥ 7920.
    await insertFixture(ctx.db, 'prm', [
      {
        no: 'P1',
        region: V1,
        township: '城关镇',
        village: '一村',
        attrs: { incomeWage: 10000, incomeBusinessGross: 0, costBusiness: 0, incomeProperty: 0, incomeTransfer: 0, housingSecure: true, waterSecure: true, educationSecure: true, medicalSecure: true },
        members: [
          { name: '王建国', id: a, relation: '户主', attrs: { health: '健康', labourSkill: '普通劳动力' } },
          { name: '李秀英', id: b, relation: '配偶', attrs: { health: '健康', labourSkill: '普通劳动力' } },
        ],
      },
    ]);
    await insertFixture(ctx.db, 'lip', [
      {
        no: 'L1',
        region: V1,
        township: '城关镇',
        attrs: { incomeWage: 18000, incomeBusinessNet: 0, incomePropertyNet: 0, incomeTransferNet: 0, deposits: 0, vehicles: 0, houses: 1, medicalOutOfPocket: 0, educationSpending: 0, benefitMonthly: 300 },
        members: [
          { name: '王建国', id: a, relation: '本人', attrs: { health: '健康', labourCapacity: '有劳动能力' } },
          { name: '李秀英', id: b, relation: '配偶', attrs: { health: '健康', labourCapacity: '有劳动能力' } },
        ],
      },
    ]);
    await mergeAll(ctx.db);
    const h = await ctx.db.selectFrom('unified_household').select('household_id').executeTakeFirstOrThrow();
    householdId = h.household_id;
  });

  it('401 without a caller', async () => {
    current = undefined;
    expect((await app.inject({ method: 'GET', url: '/api/standards' })).statusCode).toBe(401);
  });

  it('GET /api/standards lists the seeded defaults and the set in force', async () => {
    as('621202');
    const r = await app.inject({ method: 'GET', url: '/api/standards?regionCode=621200001001&date=2024-06-30' });
    expect(r.statusCode).toBe(200);
    expect(r.json().items).toHaveLength(DEFAULT_STANDARDS.length);
    expect(r.json().inForce.dibao_annual).toMatchObject({ amount: 7920, regionPrefix: '621200' });
  });

  it('PUT and XLSX import need manage_standards', async () => {
    as('621202');
    const row = { kind: 'dibao_annual', regionPrefix: '621202', amount: 8040, validFrom: '2024-07-01', validTo: null, source: '测试县 2024 下半年', version: 1 };
    expect((await app.inject({ method: 'PUT', url: '/api/standards', payload: [row] })).statusCode).toBe(403);
    as('621202', [...READ, 'manage_standards']);
    const put = await app.inject({ method: 'PUT', url: '/api/standards', payload: { standards: [row] } });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ inserted: 1, unchanged: 0 });
    const bad = await app.inject({ method: 'PUT', url: '/api/standards', payload: [{ ...row, kind: 'no_such_kind' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('BK_RULES_STANDARD_INVALID');

    const xlsx = await standardsToXlsx([{ ...row, amount: 8100, validFrom: '2025-01-01', source: '测试县 2025' } as never]);
    const imp = await app.inject({ method: 'POST', url: '/api/standards/import', payload: xlsx, headers: { 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
    expect(imp.statusCode).toBe(200);
    expect(imp.json()).toEqual({ inserted: 1, unchanged: 0 });
    const junk = await app.inject({ method: 'POST', url: '/api/standards/import', payload: Buffer.from('not a workbook'), headers: { 'content-type': 'application/octet-stream' } });
    expect(junk.statusCode).toBe(400);
    expect(junk.json().code).toBe('BK_RULES_STANDARD_FILE');

    const exp = await app.inject({ method: 'GET', url: '/api/standards/export.xlsx' });
    expect(exp.statusCode).toBe(200);
    expect(exp.headers['content-type']).toContain('spreadsheetml');
  });

  it('identification: scope, reasons, differences, masking', async () => {
    as('621203');
    expect((await app.inject({ method: 'GET', url: `/api/households/${householdId}/identification` })).statusCode).toBe(403);
    as('621202');
    expect((await app.inject({ method: 'GET', url: '/api/households/nope/identification' })).statusCode).toBe(404);
    const r = await app.inject({ method: 'GET', url: `/api/households/${householdId}/identification?asOf=2024-06-30` });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.results).toHaveLength(9);
    const dibao = body.results.find((x: { ruleId: string }) => x.ruleId === 'dibao');
    expect(dibao.decision).toBe('not_eligible');
    // the 621202 county row written above is in force from 2024-07-01, so on 2024-06-30 the national 7920 applies
    expect(dibao.reasons[0].standard).toMatchObject({ kind: 'dibao_annual', amount: 7920 });
    expect(body.unified.prmType).toBe('边缘易致贫户');
    expect(body.current.lip.category).toBe('dibao');
    const codes = body.differences.map((d: { code: string }) => d.code);
    expect(codes).toContain('LIP_CATEGORY_DIFFERS');
    // PRM marks it 监测户 and the unified rules agree: no PRM-side difference
    expect(codes).not.toContain('PRM_NOT_MONITORED');
    expect(codes).not.toContain('PRM_MONITORED_WITHOUT_GROUND');
    const text = r.body;
    expect(text).not.toContain('王建国');
    expect(text).not.toContain(a);
    const later = await app.inject({ method: 'GET', url: `/api/households/${householdId}/identification?asOf=2024-07-01` });
    expect(later.json().results.find((x: { ruleId: string }) => x.ruleId === 'dibao').reasons[0].standard.amount).toBe(8040);
  });

  it('POST /api/whatif: overrides, permission, category shifts', async () => {
    as('621202', ['read_records']);
    expect((await app.inject({ method: 'POST', url: '/api/whatif', payload: { overrides: { monitoring_line: 11880 } } })).statusCode).toBe(403);
    as('621202');
    expect((await app.inject({ method: 'POST', url: '/api/whatif', payload: {} })).statusCode).toBe(400);
    const r = await app.inject({ method: 'POST', url: '/api/whatif', payload: { overrides: { dibao_annual: 9500 }, asOf: '2024-06-30' } });
    expect(r.statusCode).toBe(200);
    const w = r.json();
    expect(w.households).toBe(1);
    // 9000/person < 9500 → 低保 under the scenario; gap 500 × 2 = 1000 a year
    expect(w.matrix).toEqual([{ from: 'dibao_edge', to: 'dibao', households: 1, persons: 2 }]);
    expect(w.budget.after.dibao).toBe(1000);
    expect(w.categories.dibao).toEqual({ before: 0, after: 1 });
  });
});
