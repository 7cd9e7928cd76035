// Linking in the worker thread gives exactly the rows linking in-process gives.
import { expect, it } from 'vitest';
import { describeDb } from '../test/db.ts';
import type { Db } from '../db/dialect.ts';
import { generateDemo } from '../demo/index.ts';
import { importFile } from '../ingest/import.ts';
import { mergeAll } from './merge.ts';

async function snapshot(db: Db) {
  return {
    persons: await db.selectFrom('person').selectAll().orderBy('person_id').execute(),
    records: await db.selectFrom('person_record').selectAll().orderBy('system').orderBy('record_key').execute(),
    households: await db.selectFrom('unified_household').selectAll().orderBy('household_id').execute(),
    pairings: await db.selectFrom('household_pairing').selectAll().orderBy('pairing_key').execute(),
    reviews: await db.selectFrom('link_review').select(['review_id', 'prm_record_key', 'lip_record_key', 'score', 'agreements', 'status', 'active']).orderBy('review_id').execute(),
  };
}
const withoutRun = <T extends { households: { run_id: string }[] }>(s: T) => ({ ...s, households: s.households.map(({ run_id: _r, ...h }) => h) });

describeDb('merge in a worker thread', (ctx) => {
  it('gives the same persons, records, households, pairings and reviews as in-process', async () => {
    const { files } = generateDemo({ households: 600, seed: 11 });
    for (const f of files.filter((x) => x.path === 'prm.csv' || x.path === 'lip.csv')) {
      await importFile(ctx.db, { system: f.path.slice(0, 3) as 'prm' | 'lip', fileName: f.path, bytes: f.bytes });
    }
    const here = await mergeAll(ctx.db, { worker: false });
    const a = await snapshot(ctx.db);
    const there = await mergeAll(ctx.db, { worker: true, force: true });
    const b = await snapshot(ctx.db);
    expect(a.records.length).toBeGreaterThan(500);
    expect(a.reviews.length).toBeGreaterThan(0);
    expect(withoutRun(b)).toEqual(withoutRun(a));
    expect(there.counties.map(({ ms: _m, ...c }) => c)).toEqual(here.counties.map(({ ms: _m, ...c }) => c));
  }, 120_000);
});
