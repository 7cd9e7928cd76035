/**
 * Merge benchmark: N persons per system (counties of ≤ 100k persons, 4-person
 * PRM households, 3-person LIP families, half of LIP persons also in PRM, 1%
 * wrong check digits and 1% missing IDs on the PRM side), loaded straight into
 * the import tables by SQL; then time and peak RSS of
 *   - binku:    `mergeAll` (in-memory per county, bulk writes, all results tables), and
 *   - baseline: a straightforward exact-ID SQL join + a SQL probabilistic step on
 *               the residual (blocked by village, scored by CASE weights), giving
 *               only the pairings (no persons, components, categories, reasons);
 * plus an incremental re-merge after a "new month" (1% of records changed in one county)
 * and an unchanged re-merge. Each run is its own process, so maxRSS is per run
 * (PGlite's WASM heap is in-process and counted; PostgreSQL's server memory is not).
 *   npx tsx bench/merge.bench.ts [--sizes 10000,100000,1000000] [--dbs pglite,postgres] [--variants binku,baseline]
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { openDatabase, type Db } from '../src/db/dialect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { mergeAll } from '../src/link/merge.ts';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const PG_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const PER_COUNTY = 100_000;
/** `--worker off`: link in the main thread (compare with the worker thread). */
const WORKER = arg('worker') === 'off' ? false : undefined;

const SURNAMES = "'{王,李,张,刘,陈,杨,赵,黄,周,吴,徐,孙,胡,朱,高,林,何,郭,马,罗}'";
const GIVEN = "'{建国,秀英,桂兰,伟,芳,娜,敏,静,丽,强,磊,军,洋,勇,艳,杰,娟,涛,明,超,秀兰,霞,平,刚,桂英,玉兰,萍,毅,浩,宇,红梅,志强,海燕,德华,文,斌,婷,福,兵,欢}'";

/** Loads N persons per system into the import tables with SQL (no CSV parsing in the timing). */
export async function load(db: Db, n: number): Promise<void> {
  const counties = Math.max(1, Math.ceil(n / PER_COUNTY));
  for (let c = 0; c < counties; c++) {
    const county = String(621202 + c);
    const lo = c * PER_COUNTY;
    const hi = Math.min(n, lo + PER_COUNTY) - 1;
    for (const system of ['prm', 'lip'] as const) {
      await sql`insert into import_file (county_code, file_id, system, file_name, content_hash, period, problems)
                values (${county}, ${`${system}-${county}`}, ${system}, ${`${system}.csv`}, ${`${system}-${county}`}, '2024', '[]')`.execute(db);
    }
    // Person i: id = county + birth(8) + seq(3) + last; village from i/4/75.
    const person = (v: string) => sql.raw(`
      (${county} || to_char(date '1940-01-01' + ((((${v}) / 1000) * 7 + ((${v}) % 1000) * 13) % 25000)::int, 'YYYYMMDD') || lpad(((${v}) % 1000)::text, 3, '0'))`);
    const village = (v: string) => sql.raw(`(${county} || '1' || lpad(((((${v}) / 4) / 75) % 100)::text, 2, '0') || lpad(((((${v}) / 4) / 75) / 100)::text, 3, '0'))`);
    // ~33k distinct names (real counties have far more; a handful of names would make every block huge).
    const name = (v: string, k: number) =>
      sql.raw(`((${SURNAMES}::text[])[1 + ((${v}) * ${k} + (${v}) / 37) % 20] || (${GIVEN}::text[])[1 + ((${v}) * ${k + 6} + (${v}) / 11) % 40]
                || case when (${v}) % 3 = 0 then '' else (${GIVEN}::text[])[1 + ((${v}) / 7 + (${v}) * 3) % 40] end)`);
    await sql`
      insert into prm_member (county_code, file_id, row_no, household_no, region_code, name, id_raw, id_number, id_status, relation, sex, birth_date, attrs)
      select ${county}, ${`prm-${county}`}, i + 2, 'P' || (i / 4), ${village('i')}, ${name('i', 7)},
             ${person('i')} || '0',
             case when i % 100 = 13 then null when i % 100 = 3 then ${person('i')} || '9' else ${person('i')} || '0' end,
             case when i % 100 = 13 then 'missing' when i % 100 = 3 then 'bad_check' else 'valid' end,
             case when i % 4 = 0 then '户主' else '其他' end,
             case when i % 2 = 0 then 'M' else 'F' end,
             case when i % 100 = 13 then null else date '1940-01-01' + ((((i) / 1000) * 7 + ((i) % 1000) * 13) % 25000)::int end,
             '{"labourSkill":"普通劳动力"}'::jsonb
      from generate_series(${lo}::int, ${hi}::int) i`.execute(db);
    await sql`
      insert into prm_household (county_code, file_id, household_no, region_code, township, village, household_type, member_count, attrs)
      select ${county}, ${`prm-${county}`}, 'P' || h, ${village('h * 4')}, '镇' || (h / 750), '村' || (h / 75),
             case when h % 3 = 0 then '脱贫户' else '监测户' end, 4, jsonb_build_object('netIncome', 20000 + (h % 50) * 1000)
      from generate_series(${Math.floor(lo / 4)}::int, ${Math.floor(hi / 4)}::int) h`.execute(db);
    // LIP person j: half are PRM person j (same ID/name/village), half LIP-only (last char 1).
    await sql`
      insert into lip_member (county_code, file_id, row_no, family_no, region_code, name, id_raw, id_number, id_status, relation, sex, birth_date, attrs)
      select ${county}, ${`lip-${county}`}, j + 2, 'L' || (j / 3), ${village('j')},
             case when j % 10 < 5 then ${name('j', 7)} else ${name('j', 11)} end,
             case when j % 10 < 5 then ${person('j')} || '0' else '629' || substr(${person('j + 7')}, 4) || '1' end,
             case when j % 10 < 5 then ${person('j')} || '0' else '629' || substr(${person('j + 7')}, 4) || '1' end, 'valid',
             case when j % 3 = 0 then '本人' else '其他' end,
             case when j % 2 = 0 then 'M' else 'F' end,
             date '1940-01-01' + ((((j) / 1000) * 7 + ((j) % 1000) * 13) % 25000)::int,
             '{"labourCapacity":"有劳动能力"}'::jsonb
      from generate_series(${lo}::int, ${hi}::int) j`.execute(db);
    await sql`
      insert into lip_family (county_code, file_id, family_no, region_code, township, village, assistance_status, member_count, attrs)
      select ${county}, ${`lip-${county}`}, 'L' || f, ${village('f * 3')}, '镇', '村', '在保', 3,
             jsonb_build_object('hukou', case when f % 7 = 0 then '非农业' else '农业' end, 'disposableIncome', 15000 + (f % 40) * 1000)
      from generate_series(${Math.floor(lo / 3)}::int, ${Math.floor(hi / 3)}::int) f`.execute(db);
  }
  await sql`analyze`.execute(db);
}

/** Baseline: exact-ID SQL join, then a blocked SQL probabilistic step on the residual; pairings only. */
async function baseline(db: Db): Promise<number> {
  await sql`create temp table b_link as
    select pm.county_code, pm.household_no, lm.family_no, pm.row_no as prow, lm.row_no as lrow
    from prm_member pm join lip_member lm on lm.county_code = pm.county_code and lm.id_number = pm.id_number
    where pm.id_status in ('valid','upgraded15','disability20') and lm.id_status in ('valid','upgraded15','disability20')`.execute(db);
  await sql`create index on b_link (county_code, prow)`.execute(db);
  await sql`create index on b_link (county_code, lrow)`.execute(db);
  await sql`insert into b_link
    select pm.county_code, pm.household_no, lm.family_no, pm.row_no, lm.row_no
    from prm_member pm join lip_member lm on lm.county_code = pm.county_code and lm.region_code = pm.region_code
    where not exists (select 1 from b_link b where b.county_code = pm.county_code and b.prow = pm.row_no)
      and not exists (select 1 from b_link b where b.county_code = lm.county_code and b.lrow = lm.row_no)
      and pm.id_number is not null
      and (case when pm.name = lm.name then 9 else -5 end + case when pm.birth_date = lm.birth_date then 7 else -4 end
           + case when pm.sex = lm.sex then 1 else -5 end + case when left(pm.id_number, 17) = left(lm.id_number, 17) then 8 else -4 end) > 15`.execute(db);
  const r = await sql<{ n: number }>`select count(*) as n from (select distinct county_code, household_no, family_no from b_link) x`.execute(db);
  return Number(r.rows[0].n);
}

async function one(n: number, kind: 'pglite' | 'postgres', variant: 'binku' | 'baseline'): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'binku-bench-merge-'));
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const h = kind === 'pglite' ? await openDatabase({ dataDir: join(dir, 'pgdata') }) : await openDatabase({ databaseUrl: PG_URL, schema });
  try {
    await migrateToLatest(h.db);
    const tl = performance.now();
    await load(h.db, n);
    const loadMs = performance.now() - tl;
    const rssBefore = process.resourceUsage().maxRSS / 1024;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let result: Record<string, unknown>;
    if (variant === 'baseline') {
      result = { pairings: await baseline(h.db) };
    } else {
      const s = await mergeAll(h.db, { worker: WORKER });
      const ms1 = performance.now() - t0;
      const cpu1 = process.cpuUsage(cpu0);
      const rss1 = process.resourceUsage().maxRSS / 1024;
      const t1 = performance.now();
      await mergeAll(h.db, { worker: WORKER });
      const unchangedMs = performance.now() - t1;
      // A "new month": 1% of the first county's PRM records change (a name each).
      await sql`update prm_member set name = name || '新' where county_code = '621202' and row_no % 100 = 3`.execute(h.db);
      const t2 = performance.now();
      const inc = await mergeAll(h.db, { worker: WORKER });
      const changedMs = performance.now() - t2;
      result = {
        pairings: s.counties.reduce((a, c) => a + c.pairings, 0),
        households: s.counties.reduce((a, c) => a + c.households.total, 0),
        methods: s.counties.reduce<Record<string, number>>((a, c) => {
          for (const [k, v] of Object.entries(c.methods)) a[k] = (a[k] ?? 0) + v;
          return a;
        }, {}),
        ms_first: ms1,
        cpu_s_first: (cpu1.user + cpu1.system) / 1e6,
        rss_first: rss1,
        ms_unchanged: unchangedMs,
        ms_new_month: changedMs,
        recomputed_counties: inc.counties.filter((c) => c.status === 'done').length,
        counties: s.counties.length,
        stats: (await h.db.selectFrom('merge_run').select('stats').orderBy('started_at').limit(1).executeTakeFirst())?.stats,
      };
    }
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const cpuS = (cpu.user + cpu.system) / 1e6;
    const rssMiB = process.resourceUsage().maxRSS / 1024;
    process.stdout.write(`${JSON.stringify({ n, kind, variant, loadMs, ms, cpuS, load: loadavg()[0], rssBefore, rssMiB, ...result })}\n`);
  } finally {
    if (kind === 'postgres') await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(h.db);
    await h.close();
    await rm(dir, { recursive: true, force: true });
  }
}

const self = fileURLToPath(import.meta.url);
const isMain = process.argv[1] !== undefined && fileURLToPath(new URL(`file://${process.argv[1]}`)) === self;
if (!isMain) {
  // imported (e.g. by a profiling script): nothing to run
} else if (arg('one')) {
  await one(Number(arg('one')), arg('db') as 'pglite' | 'postgres', arg('variant') as 'binku' | 'baseline');
} else {
  const sizes = (arg('sizes') ?? '10000,100000,1000000').split(',').map(Number);
  const dbs = (arg('dbs') ?? 'pglite,postgres').split(',');
  const variants = (arg('variants') ?? 'binku,baseline').split(',');
  for (const n of sizes) {
    for (const db of dbs) {
      for (const variant of variants) {
        const r = spawnSync(process.execPath, ['--max-old-space-size=3000', '--import', 'tsx', self, '--one', String(n), '--db', db, '--variant', variant, ...(arg('worker') ? ['--worker', arg('worker') as string] : [])], { encoding: 'utf8' });
        if (r.status !== 0) {
          console.error(`${n} ${db} ${variant} failed:\n${r.stderr.slice(-2000)}`);
          continue;
        }
        console.log(r.stdout.trim().split('\n').pop());
      }
    }
  }
}
