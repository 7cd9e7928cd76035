/**
 * Demo county generator benchmark: writeDemo (all exports + truth.json) at
 * several sizes, each in its own process so peak RSS is per size.
 *   npx tsx bench/demo.bench.ts [--sizes 1000,10000,100000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDemo } from '../src/demo/write.ts';
import { arg, loadAverage, numberList, peakRssMiB, reportChild, runChild, timed } from './lib.ts';


if (arg('one')) {
  const n = Number(arg('one'));
  const dir = mkdtempSync(join(tmpdir(), 'binku-demo-bench-'));
  try {
    const { value, ms, cpuMs } = timed(() => writeDemo(dir, { households: n, seed: 1 }));
    const { truth, files } = value;
    const mib = (p: string) => (files.find((f) => f.path === p)?.bytes ?? 0) / 1048576;
    reportChild({ n, ms, cpuMs, rssMiB: peakRssMiB(), persons: truth.persons.length, prmRows: truth.files[0].data_rows, lipRows: truth.files[1].data_rows, prmMiB: mib('prm.csv'), lipMiB: mib('lip.csv'), truthMiB: mib('truth.json') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  const sizes = numberList('sizes', '1000,10000,100000');
  const self = fileURLToPath(import.meta.url);
  console.log(`load average at start: ${loadAverage()} (wall time grows with other processes; CPU time does not)`);
  console.log('households  persons   PRM rows  LIP rows  wall      CPU time  peak RSS  prm.csv   lip.csv   truth.json');
  for (const n of sizes) {
    const o = runChild<{ ms: number; cpuMs: number; rssMiB: number; persons: number; prmRows: number; lipRows: number; prmMiB: number; lipMiB: number; truthMiB: number }>(self, ['--one', String(n)]);
    if (!o) process.exit(1);
    const f = (x: number, d = 1) => x.toFixed(d).padEnd(9);
    console.log(`${String(n).padEnd(11)} ${String(o.persons).padEnd(9)} ${String(o.prmRows).padEnd(9)} ${String(o.lipRows).padEnd(9)} ${f(o.ms / 1000, 2)}s ${f(o.cpuMs / 1000, 2)}s ${f(o.rssMiB, 0)}MiB ${f(o.prmMiB)}MiB ${f(o.lipMiB)}MiB ${f(o.truthMiB)}MiB`);
  }
}
