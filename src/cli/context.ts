/** Shared plumbing for CLI commands: open the database, print, fail cleanly. */
import { cliSwitches } from '../config.ts';
import { openConfiguredDatabase, type DbHandle } from '../db/index.ts';
import { isBinkuError } from '../domain/errors.ts';

/** Runs `fn` with the configured database open, closing it afterwards. */
export async function withDb<T>(fn: (h: DbHandle) => Promise<T>): Promise<T> {
  const h = await openConfiguredDatabase();
  try {
    return await fn(h);
  } finally {
    await h.close();
  }
}

/** Exactly one JSON document on stdout (`--json`). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** One-line reason on stderr, non-zero exit. */
export function fail(e: unknown): never {
  const msg = isBinkuError(e) ? `错误 [${e.code}]: ${e.message}` : `错误: ${e instanceof Error ? e.message : String(e)}`;
  process.stderr.write(`${msg.replace(/\s*\n\s*/g, ' ')}\n`);
  if (cliSwitches().debug && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exit(1);
}

/** Progress to stderr (never stdout, which `--json` owns); silent when not a TTY unless forced. */
export function progress(label: string): (done: number, total?: number) => void {
  const tty = process.stderr.isTTY || cliSwitches().forceProgress;
  let last = 0;
  return (done, total) => {
    if (!tty) return;
    const now = Date.now();
    if (now - last < 200 && (total === undefined || done < total)) return;
    last = now;
    const pct = total ? ` ${((done / total) * 100).toFixed(0)}%` : '';
    process.stderr.write(`\r${label}: ${done.toLocaleString('zh-CN')}${total ? ` / ${total.toLocaleString('zh-CN')}` : ''}${pct}   `);
    if (total !== undefined && done >= total) process.stderr.write('\n');
  };
}
