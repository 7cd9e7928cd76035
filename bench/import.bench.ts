/**
 * Import benchmark: synthetic PRM/LIP exports of N person rows (40/33 columns,
 * the spec layout) written to a temp CSV, then `importFile` from disk — on
 * PGlite (on-disk data dir) and on PostgreSQL — each run in its own process
 * so peak RSS (maxRSS, includes PGlite's WASM heap) is per run.
 *   npx tsx bench/import.bench.ts [--sizes 10000,100000,1000000] [--systems prm,lip] [--dbs pglite,postgres]
 * PostgreSQL: TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), a fresh schema per run.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/dialect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { importFile } from '../src/ingest/import.ts';
import { syntheticCsv } from '../src/ingest/fixtures.ts';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function writeCsv(path: string, system: 'prm' | 'lip', n: number): Promise<void> {
  const out = createWriteStream(path);
  for (const chunk of syntheticCsv(system, n, 7)) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function one(system: 'prm' | 'lip', n: number, kind: 'pglite' | 'postgres'): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'binku-bench-import-'));
  const file = join(dir, `${system}.csv`);
  await writeCsv(file, system, n);
  const bytes = (await stat(file)).size;
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const h = kind === 'pglite' ? await openDatabase({ dataDir: join(dir, 'pgdata') }) : await openDatabase({ databaseUrl: PG_URL, schema });
  try {
    await migrateToLatest(h.db);
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const s = await importFile(h.db, { system, fileName: `${system}.csv`, path: file });
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    // CPU seconds of this process (includes PGlite, excludes the PostgreSQL server):
    // on a shared, overloaded machine rows per CPU-second is the steadier figure.
    const cpuS = (c.user + c.system) / 1e6;
    const rssMiB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`${JSON.stringify({ system, n, kind, ms, cpuS, rssMiB, mb: bytes / 1e6, records: s.records, households: s.households })}\n`);
  } finally {
    if (kind === 'postgres') await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(h.db);
    await h.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (arg('one')) {
  await one(arg('system') as 'prm' | 'lip', Number(arg('one')), arg('db') as 'pglite' | 'postgres');
} else {
  const sizes = (arg('sizes') ?? '10000,100000,1000000').split(',').map(Number);
  const systems = (arg('systems') ?? 'prm,lip').split(',');
  const dbs = (arg('dbs') ?? 'pglite,postgres').split(',');
  const self = fileURLToPath(import.meta.url);
  console.log('system  rows       database   file MB   time (s)   rows/s   CPU (s)   rows/CPU-s   peak RSS   households');
  for (const n of sizes) {
    for (const system of systems) {
      for (const db of dbs) {
        const r = spawnSync(process.execPath, ['--max-old-space-size=1400', '--import', 'tsx', self, '--one', String(n), '--system', system, '--db', db], { encoding: 'utf8' });
        if (r.status !== 0) {
          console.error(`${system} ${n} ${db} failed:\n${r.stderr}`);
          continue;
        }
        const x = JSON.parse(r.stdout.trim().split('\n').pop()!) as { system: string; n: number; kind: string; ms: number; cpuS: number; rssMiB: number; mb: number; records: number; households: number };
        console.log(
          `${x.system.padEnd(8)}${String(x.n).padEnd(11)}${x.kind.padEnd(11)}${x.mb.toFixed(1).padStart(7)}   ${(x.ms / 1000).toFixed(2).padStart(8)}   ${Math.round(x.records / (x.ms / 1000)).toString().padStart(6)}   ${x.cpuS.toFixed(2).padStart(7)}   ${Math.round(x.records / x.cpuS).toString().padStart(10)}   ${x.rssMiB.toFixed(0).padStart(5)} MiB   ${x.households}`,
        );
      }
    }
  }
}
