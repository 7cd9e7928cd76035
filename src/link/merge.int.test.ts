import { expect, it } from 'vitest';
import { describeDb } from '../test/db.ts';
import { makeIdNumber, upgrade15 } from '../domain/id-number.ts';
import { insertFixture } from './fixture.ts';
import { mergeAll } from './merge.ts';
import { coverageReport } from './coverage.ts';

const V1 = '621202100201';
const V2 = '621202100202';
const id = (birth: string, seq: number, male: boolean): string => makeIdNumber('621202', birth, seq, male);
const badCheck = (s: string): string => s.slice(0, 17) + (s[17] === '0' ? '1' : '0');

// A small county with the typical differences between the two systems.
const father = id('1960-01-01', 11, true);
const mother = id('1962-02-02', 12, false);
const son = id('1988-03-03', 13, true);
const grandma = id('1935-04-04', 14, false);
const daughter = id('1990-05-05', 15, false);
const other = id('1970-06-06', 16, true);
const urban = id('1980-07-07', 17, true);
const typo = id('1975-08-08', 18, false);
const old15 = id('1950-09-09', 19, true);
const missing = id('1985-10-10', 20, true);
const twinA = id('2000-01-01', 21, true);
const twinB = id('2000-01-01', 23, true);

async function seed(db: Parameters<typeof insertFixture>[0]): Promise<void> {
  await insertFixture(db, 'prm', [
    {
      no: 'P001',
      region: V1,
      township: '城关镇',
      village: '一村',
      members: [
        { name: '王建国', id: father, relation: '户主', attrs: { labourSkill: '普通劳动力' } },
        { name: '李秀英', id: mother, relation: '配偶', attrs: { labourSkill: '普通劳动力' } },
        { name: '王强', id: son, relation: '之子', attrs: { labourSkill: '普通劳动力' } },
        { name: '张桂兰', id: grandma, relation: '之母', attrs: {} },
      ],
      attrs: { netIncome: 40000 },
    },
    { no: 'P002', region: V1, township: '城关镇', village: '一村', type: '脱贫户', members: [{ name: '赵刚', id: other, relation: '户主' }], attrs: { netIncome: 30000 } },
    // wrong check digit on the PRM side, homophone name; links probabilistically
    { no: 'P003', region: V2, township: '城关镇', village: '二村', members: [{ name: '张丽', id: badCheck(typo), relation: '户主' }], attrs: { netIncome: 5000 } },
    // 15-digit old ID on the PRM side
    { no: 'P004', region: V2, township: '城关镇', village: '二村', members: [{ name: '刘福', id: old15.slice(0, 6) + old15.slice(8, 17), relation: '户主' }] },
    // ID missing on the PRM side: review only
    { no: 'P005', region: V2, township: '城关镇', village: '二村', members: [{ name: '陈明', id: '不详', relation: '户主' }] },
    // twin with the same name but another valid ID: never linked automatically
    { no: 'P006', region: V2, township: '城关镇', village: '二村', members: [{ name: '孙伟', id: twinA, relation: '户主' }] },
  ]);
  await insertFixture(db, 'lip', [
    // the couple only (LIP family is part of the PRM household)
    { no: 'L001', region: V1, members: [{ name: '王建国', id: father, relation: '本人' }, { name: '李秀英', id: mother, relation: '配偶' }] },
    // elderly mother as a separate 单人保 family
    { no: 'L002', region: V1, members: [{ name: '张桂兰', id: grandma, relation: '本人' }] },
    // married-out daughter: in LIP only
    { no: 'L003', region: V1, members: [{ name: '王芳', id: daughter, relation: '本人' }] },
    { no: 'L004', region: V1, attrs: { hukou: '非农业', disposableIncome: 100000 }, members: [{ name: '周杰', id: urban, relation: '本人' }] },
    { no: 'L005', region: V2, members: [{ name: '张莉', id: typo, relation: '本人' }] },
    { no: 'L006', region: V2, members: [{ name: '刘福', id: old15, relation: '本人' }] },
    { no: 'L007', region: V2, members: [{ name: '陈明', id: missing, relation: '本人' }] },
    { no: 'L008', region: V2, members: [{ name: '孙伟', id: twinB, relation: '本人' }] },
  ]);
}

describeDb('link merge', (ctx) => {
  it('reports zero categories before any merge', async () => {
    await seed(ctx.db);
    const r = await coverageReport(ctx.db);
    expect(r.households).toEqual({ II: 0, III: 0, IV: 0, total: 0 });
    expect(r.prm_households).toBe(6);
    expect(r.lip_households).toBe(8);
    expect(r.prm_in_lip_share).toBe(0);
  });

  it('links persons, builds unified households and categories', async () => {
    const s = await mergeAll(ctx.db);
    expect(s.counties).toHaveLength(1);
    const pairs = await ctx.db.selectFrom('household_pairing').selectAll().orderBy('pairing_key').execute();
    const paired = pairs.filter((p) => p.prm_household_no && p.lip_family_no).map((p) => p.pairing_key);
    expect(paired).toEqual(['P001|L001', 'P001|L002', 'P003|L005', 'P004|L006']);
    // P001, L001, L002 form one unified household.
    const hhOf = (k: string): string => pairs.find((p) => p.pairing_key === k)?.household_id as string;
    expect(hhOf('P001|L001')).toBe(hhOf('P001|L002'));
    const p001 = pairs.find((p) => p.pairing_key === 'P001|L001');
    expect(p001?.members).toBe(4);
    const r = await coverageReport(ctx.db);
    // Components: {P001,L001,L002} {P003,L005} {P004,L006} IV; P002, P005, P006 II; L003, L004, L007, L008 III.
    expect(r.households).toEqual({ II: 3, III: 4, IV: 3, total: 10 });
    expect(r.prm_in_lip_share).toBeCloseTo(3 / 6, 6);
    expect(r.lip_in_prm_share).toBeCloseTo(4 / 8, 6);
    // persons: both = 王建国 李秀英 张桂兰 张丽 刘福 (5); PRM only 王强 赵刚 陈明(P) 孙伟A (4); LIP only 王芳 周杰 陈明(L) 孙伟B (4)
    expect(r.persons).toEqual({ II: 4, III: 4, IV: 5, total: 13 });
    const methods = await ctx.db.selectFrom('person_record').select(['record_key', 'method', 'score']).where('system', '=', 'prm').orderBy('record_key').execute();
    expect(methods.find((m) => m.record_key.startsWith('P003'))?.method).toBe('probabilistic');
    expect(methods.find((m) => m.record_key.startsWith('P004'))?.method).toBe('id_exact');
    expect(methods.find((m) => m.record_key.startsWith('P005'))?.method).toBe('singleton');
    // The missing-ID record is proposed for review, never linked.
    const reviews = await ctx.db.selectFrom('link_review').selectAll().execute();
    expect(reviews.some((rv) => rv.prm_record_key.startsWith('P005') && rv.lip_record_key.startsWith('L007'))).toBe(true);
    // Two valid IDs that differ are never linked automatically (at most proposed for review).
    expect(paired.some((k) => k.startsWith('P006'))).toBe(false);
    expect(reviews.filter((rv) => rv.prm_record_key.startsWith('P006')).every((rv) => rv.status === 'pending')).toBe(true);
    // Reasons for non-overlap.
    const l004 = await ctx.db.selectFrom('unified_household').selectAll().where('category', '=', 'III').execute();
    expect(l004.some((h) => (h.reasons as { code: string }[]).some((x) => x.code === 'non_agricultural_hukou'))).toBe(true);
    expect(r.reasons.II.tuopin_not_at_risk).toBe(1);
  });

  it('gives identical results when merged again (forced) and skips unchanged input', async () => {
    const snap = async () => ({
      hh: await ctx.db.selectFrom('unified_household').select(['household_id', 'category', 'persons', 'reasons']).orderBy('household_id').execute(),
      pr: await ctx.db.selectFrom('person_record').select(['system', 'record_key', 'person_id', 'method', 'score']).orderBy('system').orderBy('record_key').execute(),
      hp: await ctx.db.selectFrom('household_pairing').select(['pairing_key', 'household_id', 'members']).orderBy('pairing_key').execute(),
    });
    const before = await snap();
    const again = await mergeAll(ctx.db);
    expect(again.counties[0].status).toBe('skipped_unchanged');
    const forced = await mergeAll(ctx.db, { force: true });
    expect(forced.counties[0].status).toBe('done');
    expect(await snap()).toEqual(before);
  });

  it('respects reviewer decisions in later merges', async () => {
    const rv = await ctx.db.selectFrom('link_review').selectAll().where('prm_record_key', 'like', 'P005%').executeTakeFirstOrThrow();
    await ctx.db.updateTable('link_review').set({ status: 'accepted', decided_by: 'u1', decided_at: new Date().toISOString(), reason: '入户核实为同一人' }).where('review_id', '=', rv.review_id).execute();
    const s = await mergeAll(ctx.db);
    expect(s.counties[0].status).toBe('done');
    const p = await ctx.db.selectFrom('household_pairing').select('pairing_key').where('pairing_key', '=', 'P005|L007').execute();
    expect(p).toHaveLength(1);
    const m = await ctx.db.selectFrom('person_record').select('method').where('record_key', 'like', 'P005%').executeTakeFirstOrThrow();
    expect(m.method).toBe('review');
    // Rejecting it unlinks again.
    await ctx.db.updateTable('link_review').set({ status: 'rejected' }).where('review_id', '=', rv.review_id).execute();
    await mergeAll(ctx.db);
    expect(await ctx.db.selectFrom('household_pairing').select('pairing_key').where('pairing_key', '=', 'P005|L007').execute()).toHaveLength(0);
    const still = await ctx.db.selectFrom('link_review').select('status').where('review_id', '=', rv.review_id).executeTakeFirstOrThrow();
    expect(still.status).toBe('rejected');
  });

  it('uses the latest period when a household appears in two current files', async () => {
    // A newer PRM file moves 王强 out of P001 into a new household P007.
    await insertFixture(
      ctx.db,
      'prm',
      [
        { no: 'P001', region: V1, members: [{ name: '王建国', id: father, relation: '户主' }, { name: '李秀英', id: mother }, { name: '张桂兰', id: grandma }] },
        { no: 'P007', region: V1, members: [{ name: '王强', id: son, relation: '户主' }] },
      ],
      { period: '2025' },
    );
    await mergeAll(ctx.db);
    const p001 = await ctx.db.selectFrom('household_pairing').selectAll().where('pairing_key', '=', 'P001|L001').executeTakeFirstOrThrow();
    expect(p001.members).toBe(3);
    const recs = await ctx.db.selectFrom('person_record').select('record_key').where('system', '=', 'prm').where('record_key', 'like', 'P001#%').execute();
    expect(recs).toHaveLength(3);
    void upgrade15;
  });

  it('merges several counties in one run (next county linked while the previous one is written), each as if merged alone', async () => {
    const ma = makeIdNumber('621203', '1966-06-06', 31, true);
    const mb = makeIdNumber('621203', '1991-01-09', 32, false);
    await insertFixture(ctx.db, 'prm', [{ no: 'Q001', region: '621203100201', members: [{ name: '马超', id: ma, relation: '户主' }] }]);
    await insertFixture(ctx.db, 'lip', [
      { no: 'M001', region: '621203100201', members: [{ name: '马超', id: ma, relation: '本人' }] },
      { no: 'M002', region: '621203100201', members: [{ name: '马丽', id: mb, relation: '本人' }] },
    ]);
    const all = await mergeAll(ctx.db, { force: true });
    expect(all.counties.map((c) => [c.county_code, c.status])).toEqual([
      ['621202', 'done'],
      ['621203', 'done'],
    ]);
    expect(all.counties[1].households).toEqual({ II: 0, III: 1, IV: 1, total: 2 });
    const snap = async () => ({
      hh: await ctx.db.selectFrom('unified_household').select(['county_code', 'household_id', 'category', 'persons', 'reasons']).orderBy('county_code').orderBy('household_id').execute(),
      pr: await ctx.db.selectFrom('person_record').select(['county_code', 'system', 'record_key', 'person_id', 'method', 'score']).orderBy('county_code').orderBy('system').orderBy('record_key').execute(),
      hp: await ctx.db.selectFrom('household_pairing').select(['county_code', 'pairing_key', 'household_id', 'members']).orderBy('county_code').orderBy('pairing_key').execute(),
    });
    const together = await snap();
    expect(together.pr.filter((r) => r.county_code === '621203')).toHaveLength(3);
    for (const c of ['621202', '621203']) await mergeAll(ctx.db, { countyCode: c, force: true });
    expect(await snap()).toEqual(together);
  });
});
