/**
 * Rules benchmark: unified identification (9 rules with reasons) and what-if
 * (two identifications per household + aggregation) on synthetic snapshots,
 * each size in its own process so peak RSS is per size; plus, with --db,
 * loadSnapshots (SQL + harmonization) on a demo county in PGlite.
 *   npx tsx bench/rules.bench.ts [--sizes 10000,100000,1000000] [--db 2000]
 */
import { fileURLToPath } from 'node:url';
import { whatIf } from '../src/evaluate/whatif.ts';
import { identify } from '../src/rules/identify.ts';
import { DEFAULT_STANDARDS, standardsInForce, type Standard } from '../src/rules/standards.ts';
import { member, snap } from '../src/rules/testing.ts';
import type { HouseholdSnapshot } from '../src/rules/snapshot.ts';
import { arg, loadAverage, numberList, peakRssMiB, reportChild, runChild } from './lib.ts';


function population(n: number): HouseholdSnapshot[] {
  let x = 12345;
  const rnd = (): number => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const towns = ['城关镇', '安化镇', '东江镇', '汉王镇', '两水镇', '洛塘镇'];
  const out: HouseholdSnapshot[] = [];
  for (let i = 0; i < n; i++) {
    const size = 1 + Math.floor(rnd() * 5);
    const members = Array.from({ length: size }, () => member({ age: Math.floor(rnd() * 85), health: rnd() < 0.1 ? 'serious' : 'healthy', disabilityGrade: rnd() < 0.05 ? 2 : null }));
    out.push(
      snap({
        id: `H${i}`,
        township: towns[i % towns.length],
        members,
        lipIncome: rnd() < 0.05 ? null : Math.round(2000 + rnd() * 20000),
        prmIncome: Math.round(2000 + rnd() * 22000),
        deposits: rnd() < 0.3 ? null : Math.round(rnd() * 60000),
        medical: Math.round(rnd() * 20000),
        indicators: { housing: rnd() > 0.05, water: rnd() < 0.1 ? null : true },
        prm: rnd() < 0.5 ? { householdType: rnd() < 0.5 ? '脱贫户' : '监测户' } : null,
        externalSupporter: rnd() < 0.5 ? false : null,
      }),
    );
  }
  return out;
}

const scenario: Standard[] = [
  { kind: 'monitoring_line', regionPrefix: '', amount: 11880, validFrom: '0001-01-01', validTo: null, source: 'bench', version: 1 },
  { kind: 'dibao_annual', regionPrefix: '', amount: 8400, validFrom: '0001-01-01', validTo: null, source: 'bench', version: 1 },
];

if (arg('one')) {
  const n = Number(arg('one'));
  const pop = population(n);
  const std = standardsInForce(DEFAULT_STANDARDS, '621200001001', '2024-06-30');
  const c0 = process.cpuUsage();
  let t0 = performance.now();
  let eligible = 0;
  for (const s of pop) if (identify(s, std).unified.lipCategory === 'dibao') eligible++;
  const identifyMs = performance.now() - t0;
  t0 = performance.now();
  const w = whatIf(pop, DEFAULT_STANDARDS, scenario);
  const whatifMs = performance.now() - t0;
  const cu = process.cpuUsage(c0);
  reportChild({ n, identifyMs, whatifMs, cpuMs: (cu.user + cu.system) / 1000, rssMiB: peakRssMiB(), dibao: eligible, changed: w.changedHouseholds });
} else if (arg('db')) {
  const { openDatabase } = await import('../src/db/dialect.ts');
  const { migrateToLatest } = await import('../src/db/migrate.ts');
  const { generateDemo } = await import('../src/demo/index.ts');
  const { importFile } = await import('../src/ingest/import.ts');
  const { mergeAll } = await import('../src/link/merge.ts');
  const { loadSnapshots, listStandards } = await import('../src/rules/store.ts');
  const h = await openDatabase({});
  await migrateToLatest(h.db);
  for (const f of generateDemo({ households: Number(arg('db')), seed: 1 }).files) {
    if (f.path === 'truth.json') continue;
    const system = f.path.startsWith('prm') ? 'prm' : f.path.startsWith('lip') ? 'lip' : 'feed';
    await importFile(h.db, { system, fileName: f.path.split('/').pop()!, bytes: f.bytes }).catch(() => undefined);
  }
  await mergeAll(h.db);
  const std = await listStandards(h.db);
  const t0 = performance.now();
  const snaps = await loadSnapshots(h.db, {}, std);
  const loadMs = performance.now() - t0;
  const t1 = performance.now();
  const w = whatIf(snaps, std, scenario);
  console.log(`PGlite demo county: ${snaps.length} unified households, loadSnapshots ${loadMs.toFixed(0)} ms, whatIf ${(performance.now() - t1).toFixed(0)} ms (changed ${w.changedHouseholds})`);
  await h.close();
} else {
  const sizes = numberList('sizes', '10000,100000');
  const self = fileURLToPath(import.meta.url);
  console.log(`load average at start: ${loadAverage()}`);
  console.log('households   identify (9 rules)   households/s   whatIf (2× identify + aggregate)   CPU time   peak RSS');
  for (const n of sizes) {
    const o = runChild<{ identifyMs: number; whatifMs: number; cpuMs: number; rssMiB: number }>(self, ['--one', String(n)], { ...process.env, NODE_OPTIONS: '--max-old-space-size=8192' });
    if (!o) {
      process.exitCode = 1;
      continue;
    }
    console.log(`${String(n).padEnd(12)} ${(o.identifyMs / 1000).toFixed(2)} s${' '.repeat(14)} ${Math.round(n / (o.identifyMs / 1000)).toLocaleString('en')}${' '.repeat(8)} ${(o.whatifMs / 1000).toFixed(2)} s${' '.repeat(28)} ${(o.cpuMs / 1000).toFixed(2)} s    ${o.rssMiB.toFixed(0)} MiB`);
  }
}
