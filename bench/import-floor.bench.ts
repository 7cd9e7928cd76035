/**
 * Floors of the import (issue 3's 50,000 rows/s target), measured apart:
 *   db  PostgreSQL only: COPY of pre-built text (exactly what an import of the
 *       synthetic PRM export writes: raw_row, prm_member, prm_household) into a
 *       fresh schema with the real tables and indexes, in one transaction. The
 *       text is dumped once from a real import, so no JS work is timed; the
 *       server backend's CPU is read from /proc/<pid>/stat.
 *   js  JS only, no database: decode + tokenize (openTable) and then + normalizeRow
 *       of every row of the same export.
 *   convert  the whole pure part of an import (convert.ts: + households, problems and
 *       COPY text as UTF-8 bytes) with the bytes thrown away: what the worker thread does.
 *   npx tsx bench/import-floor.bench.ts [--n 1000000] [--parts db,js] [--keep 1] [--system prm|lip]
 * (--system lip: the synthetic LIP export instead; js and convert parts only)
 * (--keep 1 keeps the CSV and the dumped COPY text in the temp folder for the next run)
 * Needs the PostgreSQL server on this machine (its /proc) for the server CPU.
 */
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { finished, pipeline } from 'node:stream/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { openDatabase } from '../src/db/dialect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { importFile } from '../src/ingest/import.ts';
import { syntheticCsv } from '../src/ingest/fixtures.ts';
import { mapColumns } from '../src/formats/header.ts';
import { openTable } from '../src/formats/rows.ts';
import { normalizeRow } from '../src/formats/records.ts';
import { TABLE_COLUMNS } from '../src/ingest/store.ts';
import { convertExport } from '../src/ingest/convert.ts';
import { arg } from './lib.ts';

const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const n = Number(arg('n') ?? 100_000);
const parts = (arg('parts') ?? 'js,convert,db').split(',');
const system = (arg('system') ?? 'prm') as 'prm' | 'lip';
const dir = join(tmpdir(), `binku-import-floor-${n}`);
const csv = join(dir, `${system}.csv`);
const TABLES = ['raw_row', 'prm_member', 'prm_household'] as const;
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');
const cpuS = (c0: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};

async function ensureCsv(): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (existsSync(csv)) return;
  const out = createWriteStream(csv);
  for (const chunk of syntheticCsv(system, n, 7)) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await finished(out);
}

/** Server CPU seconds (utime + stime) of one backend process. */
function backendCpuS(pid: number): number {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return (Number(rest[11]) + Number(rest[12])) / 100; // fields 14, 15; USER_HZ = 100
}

/** The real COPY text of each table, dumped once from an import of the file. */
async function ensureCopyText(): Promise<void> {
  if (TABLES.every((t) => existsSync(join(dir, `${t}.copy`)))) return;
  const schema = 'floor_src';
  const h = await openDatabase({ databaseUrl: PG_URL, schema });
  try {
    await migrateToLatest(h.db);
    await importFile(h.db, { system: 'prm', fileName: 'prm.csv', path: csv });
  } finally {
    await h.close();
  }
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    for (const t of TABLES) {
      const cols = TABLE_COLUMNS[t].map(([x]) => `"${x}"`).join(', ');
      await pipeline(c.query(copyTo(`copy ${schema}.${t} (${cols}) to stdout`)), createWriteStream(join(dir, `${t}.copy`)));
    }
  } finally {
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  }
}

async function dbFloor(): Promise<void> {
  await ensureCsv();
  await ensureCopyText();
  const schema = `floor_${process.pid}`;
  const h = await openDatabase({ databaseUrl: PG_URL, schema });
  await migrateToLatest(h.db);
  await h.close();
  const c = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await c.connect();
  try {
    const pid = (await c.query<{ p: number }>('select pg_backend_pid() as p')).rows[0].p;
    const l0 = load();
    const s0 = backendCpuS(pid);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await c.query('begin');
    const per: Record<string, number> = {};
    for (const t of TABLES) {
      const t1 = performance.now();
      const cols = TABLE_COLUMNS[t].map(([x]) => `"${x}"`).join(', ');
      await pipeline(createReadStream(join(dir, `${t}.copy`), { highWaterMark: 1 << 20 }), c.query(copyFrom(`copy ${t} (${cols}) from stdin`)));
      per[t] = Math.round(performance.now() - t1) / 1000;
    }
    await c.query('commit');
    const wall = (performance.now() - t0) / 1000;
    const server = backendCpuS(pid) - s0;
    console.log(JSON.stringify({ part: 'db', n, wallS: +wall.toFixed(2), rowsPerS: Math.round(n / wall), serverCpuS: +server.toFixed(2), nodeCpuS: +cpuS(c0).toFixed(2), perTableS: per, load: `${l0} → ${load()}` }));
  } finally {
    await c.query(`drop schema if exists ${schema} cascade`);
    await c.end();
  }
}

async function jsFloor(): Promise<void> {
  await ensureCsv();
  for (const normalize of [false, true]) {
    const l0 = load();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const table = await openTable(createReadStream(csv, { highWaterMark: 1 << 20 }));
    const map = mapColumns(system, table.headerNames);
    let rows = 0;
    let problems = 0;
    for await (const r of table.rows) {
      rows++;
      if (normalize) problems += normalizeRow(map, r.rowNo, r.cells, `${system}.csv`).problems.length;
    }
    const wall = (performance.now() - t0) / 1000;
    const what = normalize ? 'decode+tokenize+normalizeRow' : 'decode+tokenize';
    console.log(JSON.stringify({ part: 'js', system, what, n: rows, wallS: +wall.toFixed(2), cpuS: +cpuS(c0).toFixed(2), rowsPerCpuS: Math.round(rows / cpuS(c0)), problems, load: `${l0} → ${load()}` }));
  }
}

async function convertFloor(): Promise<void> {
  await ensureCsv();
  const l0 = load();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let bytes = 0;
  const encoder = new TextEncoder();
  const params = { system, fileName: `${system}.csv`, fileId: `${system}-floor`, county: null, knownCounties: null, batchSize: 5000, mode: 'grouped' as const };
  const r = await convertExport(createReadStream(csv, { highWaterMark: 1 << 20 }), params, {
    county: () => {},
    batch: async (b) => {
      // Text still as strings is encoded here, as the worker does before handing it over.
      for (const w of b.writes) bytes += (typeof w.text === 'string' ? encoder.encode(w.text) : w.text).length;
    },
  });
  const wall = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ part: 'convert', system, n: r.rowsRead, wallS: +wall.toFixed(2), cpuS: +cpuS(c0).toFixed(2), rowsPerCpuS: Math.round(r.rowsRead / cpuS(c0)), copyBytes: bytes, households: r.households, load: `${l0} → ${load()}` }));
}

try {
  if (parts.includes('js')) await jsFloor();
  if (parts.includes('convert')) await convertFloor();
  if (parts.includes('db')) {
    if (system !== 'prm') throw new Error('the db part dumps the PRM import only');
    await dbFloor();
  }
} finally {
  if (arg('keep') === undefined) await rm(dir, { recursive: true, force: true });
}
