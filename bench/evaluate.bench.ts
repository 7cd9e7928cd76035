/**
 * Evaluation benchmark: the full four-group analysis (VEP, mlogit, three
 * radius matchings, ATT/SE, balance) at several N, each size in its own
 * process so peak RSS is per size. Data from the calibrated generator.
 *   npx tsx bench/evaluate.bench.ts [--sizes 5891,20000,100000] [--bootstrap 200]
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { evaluateCsvText } from '../src/evaluate/evaluate.ts';
import { evaluationCsv, generateEvaluationSample } from '../src/evaluate/synth.ts';

const args = process.argv.slice(2);
const arg = (name: string): string | undefined => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};

if (arg('one')) {
  const n = Number(arg('one'));
  const reps = Number(arg('bootstrap') ?? 0);
  const csv = evaluationCsv(generateEvaluationSample({ n, seed: 1 }));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const { report } = evaluateCsvText(csv, { bootstrap: reps, seed: 1 });
  const ms = performance.now() - t0;
  const cu = process.cpuUsage(c0);
  const cpuMs = (cu.user + cu.system) / 1000;
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ n, bootstrap: reps, ms, cpuMs, rssMiB, iterations: report.mlogit.iterations, converged: report.mlogit.converged })}\n`);
} else {
  const sizes = (arg('sizes') ?? '5891,20000,100000').split(',').map(Number);
  const bootstraps = (arg('bootstrap') ?? '0,200').split(',').map(Number);
  const self = fileURLToPath(import.meta.url);
  const load = (await import('node:os')).loadavg()[0]!.toFixed(1);
  console.log(`load average at start: ${load} (wall time grows with other processes; CPU time does not)`);
  console.log('N        bootstrap  wall (parse+analysis)  CPU time   peak RSS   mlogit iterations');
  for (const n of sizes) {
    for (const b of bootstraps) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--one', String(n), '--bootstrap', String(b)], { encoding: 'utf8' });
      if (r.status !== 0) {
        console.error(r.stderr);
        process.exit(1);
      }
      const x = JSON.parse(r.stdout.trim().split('\n').pop()!) as { n: number; bootstrap: number; ms: number; cpuMs: number; rssMiB: number; iterations: number; converged: boolean };
      console.log(`${String(x.n).padEnd(9)}${String(x.bootstrap).padEnd(11)}${(x.ms / 1000).toFixed(2).padStart(8)} s              ${(x.cpuMs / 1000).toFixed(2).padStart(6)} s  ${x.rssMiB.toFixed(0).padStart(5)} MiB   ${x.iterations}${x.converged ? '' : ' (not converged)'}`);
    }
  }
}
