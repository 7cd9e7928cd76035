/**
 * Runs countyResults (linkage, households, reasons, COPY text) in a worker
 * thread, so county k+1 is linked on one core while county k's rows are
 * written by this thread and the database on the other (the pair loop would
 * otherwise block the event loop and stall the COPY). One worker serves all
 * counties of a merge; results come back as COPY text in transferred UTF-8 bytes.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { asCopyText, countyResults, type CountyInput, type CountyResults } from './county-results.ts';

type Reply = { ok: true; result: CountyResults } | { ok: false; message: string; stack?: string };

// The worker starts from a .mjs file that registers tsx (the app runs TypeScript without a build step).
const BOOT = new URL('./link-worker-boot.mjs', import.meta.url);

export interface LinkWorker {
  run(input: CountyInput): Promise<CountyResults>;
  close(): Promise<void>;
}

/** Starts a linkage worker; counties are processed one at a time, in call order. */
export function startLinkWorker(): LinkWorker {
  // A larger young generation: the pair loop and the row building allocate many short-lived objects.
  const w = new Worker(BOOT, { workerData: { linkWorker: true }, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 96 } });
  const waiting: { resolve: (r: CountyResults) => void; reject: (e: unknown) => void }[] = [];
  let dead: Error | null = null;
  const failAll = (e: Error): void => {
    dead ??= e;
    for (const p of waiting.splice(0)) p.reject(e);
  };
  w.on('message', (m: Reply) => {
    const p = waiting.shift();
    if (!p) return;
    if (m.ok) p.resolve(m.result);
    else {
      const e = new Error(m.message);
      e.stack = `${m.message}\n    (in the linkage worker)\n${m.stack ?? ''}`;
      p.reject(e);
    }
  });
  w.on('error', (e) => failAll(e));
  w.on('exit', (code) => failAll(new Error(`linkage worker exited (${code})`)));
  return {
    run: (input) =>
      new Promise((resolve, reject) => {
        if (dead) return reject(dead);
        waiting.push({ resolve, reject });
        w.postMessage(input);
      }),
    close: async () => {
      dead ??= new Error('linkage worker closed');
      await w.terminate();
    },
  };
}

function workerMain(): void {
  const port = parentPort!;
  port.on('message', (input: CountyInput) => {
    let reply: Reply;
    const transfer: ArrayBuffer[] = [];
    try {
      const result = asCopyText(countyResults(input));
      for (const t of result.tables) if ('chunks' in t) for (const c of t.chunks) transfer.push(c.buffer as ArrayBuffer);
      reply = { ok: true, result };
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      reply = { ok: false, message: err.message, stack: err.stack };
    }
    port.postMessage(reply, transfer);
  });
}

if (!isMainThread && (workerData as { linkWorker?: boolean } | null)?.linkWorker) workerMain();
