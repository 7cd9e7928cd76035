/**
 * Shared pieces of the bench scripts: flag reading, timing with CPU time and
 * peak RSS, and running one size per child process (so peak RSS is per size).
 * Not a benchmark itself (scripts/bench.mjs runs only *.bench.ts).
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';

const argv = process.argv.slice(2);

/** Value after `--name` on the command line, or undefined. */
export function arg(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** Comma-separated numbers from `--name`, or the default list. */
export function numberList(name: string, fallback: string): number[] {
  return (arg(name) ?? fallback).split(',').map(Number);
}

/** Peak resident set size of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

/** Runs `fn` and returns its value with wall time and CPU time (user + system), both in ms. */
export function timed<T>(fn: () => T): { value: T; ms: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const ms = performance.now() - t0;
  const cu = process.cpuUsage(c0);
  return { value, ms, cpuMs: (cu.user + cu.system) / 1000 };
}

/** Milliseconds since `t0` (a `performance.now()` value). */
export function since(t0: number): number {
  return performance.now() - t0;
}

/** One-minute load average, one decimal. */
export function loadAverage(): string {
  return loadavg()[0]!.toFixed(1);
}

/** Writes the result of a child run as the last stdout line (read by `runChild`). */
export function reportChild(result: object): void {
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

/**
 * Runs this bench script again in a child process (`node --import tsx script …args`)
 * and returns the JSON object on its last stdout line; on failure prints the
 * child's stderr and returns undefined.
 */
export function runChild<T>(script: string, args: string[], env?: NodeJS.ProcessEnv): T | undefined {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', ...(env ? { env } : {}) });
  if (r.status !== 0) {
    console.error(r.stderr);
    return undefined;
  }
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as T;
}
