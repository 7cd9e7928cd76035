// The same demo county merged on PGlite and on PostgreSQL gives identical results.
import { afterAll, expect, it } from 'vitest';
import { openTestDb, type DbKind } from '../test/db.ts';
import type { DbHandle } from '../db/dialect.ts';
import { generateDemo } from '../demo/index.ts';
import { importFile } from '../ingest/import.ts';
import { mergeAll } from './merge.ts';
import { exportHouseholdsCsv } from './export.ts';
import { coverageReport } from './coverage.ts';

const { files } = generateDemo({ households: 300, seed: 5 });
const handles: DbHandle[] = [];
afterAll(async () => {
  for (const h of handles) await h.close();
});

async function run(kind: DbKind) {
  const h = await openTestDb(kind);
  handles.push(h);
  for (const f of files.filter((x) => x.path === 'prm.csv' || x.path === 'lip.csv')) {
    await importFile(h.db, { system: f.path.slice(0, 3) as 'prm' | 'lip', fileName: f.path, bytes: f.bytes });
  }
  await mergeAll(h.db);
  const records = await h.db.selectFrom('person_record').select(['system', 'record_key', 'person_id', 'method', 'score']).orderBy('system').orderBy('record_key').execute();
  const reviews = await h.db.selectFrom('link_review').select(['review_id', 'score', 'status']).orderBy('review_id').execute();
  const cov = await coverageReport(h.db);
  return { csv: await exportHouseholdsCsv(h.db), records, reviews, cov: { ...cov, last_merge_at: null } };
}

it('PGlite and PostgreSQL give the same merge', async () => {
  const a = await run('pglite');
  const b = await run('postgres');
  expect(a.csv.split('\n').length).toBeGreaterThan(100);
  expect(b.csv).toBe(a.csv);
  expect(b.records).toEqual(a.records);
  expect(b.reviews).toEqual(a.reviews);
  expect(b.cov).toEqual(a.cov);
}, 180_000);
