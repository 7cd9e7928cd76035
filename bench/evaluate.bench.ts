/**
 * Evaluation benchmark: the full four-group analysis (VEP, mlogit, three
 * radius matchings, ATT/SE, balance) at several N, each size in its own
 * process so peak RSS is per size. Data from the calibrated generator.
 *   npx tsx bench/evaluate.bench.ts [--sizes 5891,20000,100000] [--bootstrap 200]
 */
import { fileURLToPath } from 'node:url';
import { evaluateCsvText } from '../src/evaluate/evaluate.ts';
import { evaluationCsv, generateEvaluationSample } from '../src/evaluate/synth.ts';
import { arg, loadAverage, numberList, peakRssMiB, reportChild, runChild, timed } from './lib.ts';


if (arg('one')) {
  const n = Number(arg('one'));
  const reps = Number(arg('bootstrap') ?? 0);
  const csv = evaluationCsv(generateEvaluationSample({ n, seed: 1 }));
  const { value, ms, cpuMs } = timed(() => evaluateCsvText(csv, { bootstrap: reps, seed: 1 }));
  const { report } = value;
  reportChild({ n, bootstrap: reps, ms, cpuMs, rssMiB: peakRssMiB(), iterations: report.mlogit.iterations, converged: report.mlogit.converged });
} else {
  const sizes = numberList('sizes', '5891,20000,100000');
  const bootstraps = numberList('bootstrap', '0,200');
  const self = fileURLToPath(import.meta.url);
  console.log(`load average at start: ${loadAverage()} (wall time grows with other processes; CPU time does not)`);
  console.log('N        bootstrap  wall (parse+analysis)  CPU time   peak RSS   mlogit iterations');
  for (const n of sizes) {
    for (const b of bootstraps) {
      const x = runChild<{ n: number; bootstrap: number; ms: number; cpuMs: number; rssMiB: number; iterations: number; converged: boolean }>(self, ['--one', String(n), '--bootstrap', String(b)]);
      if (!x) process.exit(1);
      console.log(`${String(x.n).padEnd(9)}${String(x.bootstrap).padEnd(11)}${(x.ms / 1000).toFixed(2).padStart(8)} s              ${(x.cpuMs / 1000).toFixed(2).padStart(6)} s  ${x.rssMiB.toFixed(0).padStart(5)} MiB   ${x.iterations}${x.converged ? '' : ' (not converged)'}`);
    }
  }
}
