/**
 * Worker threads that run our TypeScript modules (the app has no build step:
 * boot.mjs registers tsx, then calls the module's exported `workerMain(data)`),
 * and errors carried across the thread boundary as data — a BinkuError keeps
 * its code, status and details, so the caller reports it as if thrown here.
 */
import { Worker } from 'node:worker_threads';
import { BinkuError, isBinkuError } from '../domain/errors.ts';

const BOOT = new URL('./boot.mjs', import.meta.url);

/**
 * Starts `module` (a URL, usually `import.meta.url` of the caller) in a worker
 * thread; it must export `workerMain(data)`. `youngGenerationMb`: the worker's
 * semi-space size — a larger one pays where many short-lived objects are made.
 */
export function startTsWorker(module: string, data: unknown, opts: { youngGenerationMb: number }): Worker {
  // execArgv [] so the worker does not inherit the parent's flags (e.g. `--import tsx`, profilers).
  return new Worker(BOOT, { workerData: { module, data }, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: opts.youngGenerationMb } });
}

export interface WireError {
  kind: 'binku' | 'other';
  message: string;
  code?: string;
  status?: number;
  details?: unknown;
  en?: string;
  stack?: string;
}

export function errorToWire(e: unknown): WireError {
  if (isBinkuError(e)) return { kind: 'binku', message: e.message, code: e.code, status: e.status, details: e.details, en: e.messageEn };
  const err = e instanceof Error ? e : new Error(String(e));
  return { kind: 'other', message: err.message, stack: err.stack };
}

/** The error again on this side; `where` names the thread in the stack (e.g. 'import worker'). */
export function errorFromWire(w: WireError, where: string): Error {
  if (w.kind === 'binku') return new BinkuError(w.code!, w.message, { status: w.status, details: w.details, en: w.en });
  const e = new Error(w.message);
  e.stack = `${w.message}\n    (in the ${where})\n${w.stack ?? ''}`;
  return e;
}
