/**
 * Demo county generator benchmark: writeDemo (all exports + truth.json) at
 * several sizes, each in its own process so peak RSS is per size.
 *   npx tsx bench/demo.bench.ts [--sizes 1000,10000,100000]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeDemo } from '../src/demo/write.ts';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

if (arg('one')) {
  const n = Number(arg('one'));
  const dir = mkdtempSync(join(tmpdir(), 'binku-demo-bench-'));
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const { truth, files } = writeDemo(dir, { households: n, seed: 1 });
    const ms = performance.now() - t0;
    const cu = process.cpuUsage(c0);
    const mib = (p: string) => (files.find((f) => f.path === p)?.bytes ?? 0) / 1048576;
    process.stdout.write(
      `${JSON.stringify({ n, ms, cpuMs: (cu.user + cu.system) / 1000, rssMiB: process.resourceUsage().maxRSS / 1024, persons: truth.persons.length, prmRows: truth.files[0].data_rows, lipRows: truth.files[1].data_rows, prmMiB: mib('prm.csv'), lipMiB: mib('lip.csv'), truthMiB: mib('truth.json') })}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  const sizes = (arg('sizes') ?? '1000,10000,100000').split(',').map(Number);
  const self = fileURLToPath(import.meta.url);
  console.log(`load average at start: ${(await import('node:os')).loadavg()[0].toFixed(1)} (wall time grows with other processes; CPU time does not)`);
  console.log('households  persons   PRM rows  LIP rows  wall      CPU time  peak RSS  prm.csv   lip.csv   truth.json');
  for (const n of sizes) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--one', String(n)], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.error(r.stderr);
      process.exit(1);
    }
    const o = JSON.parse(r.stdout.trim().split('\n').pop()!);
    const f = (x: number, d = 1) => x.toFixed(d).padEnd(9);
    console.log(`${String(n).padEnd(11)} ${String(o.persons).padEnd(9)} ${String(o.prmRows).padEnd(9)} ${String(o.lipRows).padEnd(9)} ${f(o.ms / 1000, 2)}s ${f(o.cpuMs / 1000, 2)}s ${f(o.rssMiB, 0)}MiB ${f(o.prmMiB)}MiB ${f(o.lipMiB)}MiB ${f(o.truthMiB)}MiB`);
  }
}
