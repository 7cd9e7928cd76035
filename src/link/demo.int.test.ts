// End-to-end quality: generate the demo county (every planted trap), import
// both exports, merge, and score against truth.json.
import { expect, it } from 'vitest';
import { describeDb } from '../test/db.ts';
import { generateDemo } from '../demo/index.ts';
import { importFile } from '../ingest/import.ts';
import { mergeAll } from './merge.ts';
import { scoreAgainstTruth } from './score.ts';
import { exportHouseholdsCsv } from './export.ts';

const { files, truth } = generateDemo({ households: 600, seed: 11 });

describeDb('linkage on the demo county', (ctx) => {
  it('imports the demo exports', async () => {
    for (const f of files.filter((x) => x.path === 'prm.csv' || x.path === 'lip.csv')) {
      await importFile(ctx.db, { system: f.path.slice(0, 3) as 'prm' | 'lip', fileName: f.path, bytes: f.bytes });
    }
    expect(truth.traps.length).toBeGreaterThan(5);
  }, 120_000);

  it('pairs households with precision and recall ≥ 0.99 and exact household categories', async () => {
    await mergeAll(ctx.db);
    const s = await scoreAgainstTruth(ctx.db, truth);
    expect(s.falsePairings).toEqual([]);
    expect(s.pairings.precision).toBeGreaterThanOrEqual(0.99);
    expect(s.pairings.recall).toBeGreaterThanOrEqual(0.99);
    expect(s.counts.households).toEqual(truth.counts.households);
    expect(s.counts.prm_households).toBe(truth.counts.prm_households);
    expect(s.counts.lip_households).toBe(truth.counts.lip_households);
    expect(s.counts.prm_in_lip_share).toBeCloseTo(truth.counts.prm_in_lip_share, 6);
    expect(s.counts.lip_in_prm_share).toBeCloseTo(truth.counts.lip_in_prm_share, 6);
  }, 120_000);

  it('links every trap marked link_by=fields automatically', async () => {
    const rows = await ctx.db.selectFrom('person_record').select(['system', 'row_no', 'person_id', 'method']).execute();
    const byRow = new Map(rows.map((r) => [`${r.system}:${r.row_no}`, r]));
    let checked = 0;
    for (const p of truth.persons) {
      if (p.prm.length === 0 || p.lip.length === 0) continue;
      const refs = [...p.prm.map((r) => ({ ...r, sys: 'prm' })), ...p.lip.map((r) => ({ ...r, sys: 'lip' }))];
      if (refs.some((r) => r.link_by === 'review')) continue;
      const ids = new Set(refs.map((r) => byRow.get(`${r.sys}:${r.row}`)?.person_id));
      expect(ids.size, `person ${p.key}`).toBe(1);
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('after the reviewer decides the queue, person counts are exact too', async () => {
    const rowOf = new Map<string, string>();
    for (const p of truth.persons) {
      for (const r of p.prm) rowOf.set(`prm:${r.row}`, p.key);
      for (const r of p.lip) rowOf.set(`lip:${r.row}`, p.key);
    }
    const pending = await ctx.db.selectFrom('link_review').selectAll().where('status', '=', 'pending').where('active', '=', true).execute();
    const rec = await ctx.db.selectFrom('person_record').select(['system', 'record_key', 'row_no']).execute();
    const rowByKey = new Map(rec.map((r) => [`${r.system}:${r.record_key}`, r.row_no]));
    for (const rv of pending) {
      const a = rowOf.get(`prm:${rowByKey.get(`prm:${rv.prm_record_key}`)}`);
      const b = rowOf.get(`lip:${rowByKey.get(`lip:${rv.lip_record_key}`)}`);
      await ctx.db
        .updateTable('link_review')
        .set({ status: a && a === b ? 'accepted' : 'rejected', decided_by: 'test', decided_at: new Date().toISOString() })
        .where('review_id', '=', rv.review_id)
        .execute();
    }
    await mergeAll(ctx.db);
    const s = await scoreAgainstTruth(ctx.db, truth);
    expect(s.counts.households).toEqual(truth.counts.households);
    expect(s.counts.persons).toEqual(truth.counts.persons);
  }, 120_000);

  it('merging the same data again gives the same export', async () => {
    const before = await exportHouseholdsCsv(ctx.db);
    const again = await mergeAll(ctx.db);
    expect(again.counties[0].status).toBe('skipped_unchanged');
    await mergeAll(ctx.db, { force: true });
    expect(await exportHouseholdsCsv(ctx.db)).toBe(before);
    expect(before.split('\n')[0]).toBe('household_id,category,prm_household_no,lip_family_no,county_code,members');
  }, 120_000);
});
