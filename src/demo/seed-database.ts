/**
 * First start of `npm start`: when the database holds no import yet, load a
 * demo county (generate → import PRM, LIP and feeds → merge) so staff see a
 * working product at once. Never touches a database that already has data.
 */
import type { Db } from '../db/dialect.ts';
import { importFile } from '../ingest/import.ts';
import { mergeAll } from '../link/merge.ts';
import { generateDemo } from './index.ts';

export const DEMO_COUNTY = '621202';

export interface DemoSeedResult {
  loaded: boolean;
  files: number;
  households: number;
}

export async function seedDemoIfEmpty(db: Db, opts: { households?: number; seed?: number; log?: (line: string) => void } = {}): Promise<DemoSeedResult> {
  const any = await db.selectFrom('import_file').select('file_id').limit(1).executeTakeFirst();
  if (any) return { loaded: false, files: 0, households: 0 };
  const log = opts.log ?? (() => {});
  const households = opts.households ?? 2000;
  log(`正在生成并载入示范县（${households} 户）…`);
  const { files } = generateDemo({ households, seed: opts.seed ?? 1 });
  let n = 0;
  for (const f of files) {
    const system = f.path === 'prm.csv' ? 'prm' : f.path === 'lip.csv' ? 'lip' : f.path.startsWith('feeds/') ? 'feed' : null;
    if (!system) continue; // truth.json is for tests, not an export
    const s = await importFile(db, { system, fileName: f.path, bytes: f.bytes, county: DEMO_COUNTY, importedBy: 'demo' });
    log(`  导入 ${f.path}: ${s.records} 条记录，${s.problemCount} 个问题`);
    n++;
  }
  await mergeAll(db);
  log('  并库比对完成');
  return { loaded: true, files: n, households };
}
