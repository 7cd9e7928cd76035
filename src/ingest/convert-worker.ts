/**
 * Runs convertExport (decode, tokenize, normalize, households, COPY text) in
 * a worker thread, so the thread that feeds the database — and PGlite's WASM,
 * which runs on it — works beside it: two cores instead of one. Batches come
 * back as COPY text (strings clone cheaply); the worker waits for each batch's
 * acknowledgement, so memory holds the same two flushes as in-process.
 * Errors cross as data and are rebuilt: BinkuError (code, status, details)
 * and HouseholdOutOfOrder keep their meaning for the caller.
 */
import { createReadStream } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { BinkuError, isBinkuError } from '../domain/errors.ts';
import { bufferChunks, convertExport, type ConvertParams, type ConvertResult, type ConvertSink, type CopyBatch } from './convert.ts';
import { HouseholdOutOfOrder } from './households.ts';

interface Input {
  path?: string;
  bytes?: Uint8Array;
}

type ToMain =
  | { type: 'county'; county: string }
  | ({ type: 'batch' } & CopyBatch)
  | { type: 'done'; result: ConvertResult }
  | { type: 'error'; error: WireError };

interface WireError {
  kind: 'binku' | 'out-of-order' | 'other';
  message: string;
  code?: string;
  status?: number;
  details?: unknown;
  en?: string;
  no?: string;
  rowNo?: number;
  stack?: string;
}

const CHUNK = 1 << 20;
const encoder = new TextEncoder();

function toWire(e: unknown): WireError {
  if (isBinkuError(e)) return { kind: 'binku', message: e.message, code: e.code, status: e.status, details: e.details, en: e.messageEn };
  if (e instanceof HouseholdOutOfOrder) return { kind: 'out-of-order', message: e.message, no: e.no, rowNo: e.rowNo };
  const err = e instanceof Error ? e : new Error(String(e));
  return { kind: 'other', message: err.message, stack: err.stack };
}

function fromWire(w: WireError): Error {
  if (w.kind === 'binku') return new BinkuError(w.code!, w.message, { status: w.status, details: w.details, en: w.en });
  if (w.kind === 'out-of-order') return new HouseholdOutOfOrder(w.no!, w.rowNo!);
  const e = new Error(w.message);
  e.stack = `${w.message}\n    (in the import worker)\n${w.stack ?? ''}`;
  return e;
}

// The worker starts from a .mjs file that registers tsx (the app runs TypeScript without a build step).
const BOOT = new URL('./convert-worker-boot.mjs', import.meta.url);

/** convertExport of a file on disk or bytes in memory, in a worker thread. */
export function convertInWorker(input: Input, params: ConvertParams, sink: ConvertSink): Promise<ConvertResult> {
  return new Promise((resolve, reject) => {
    // A larger young generation: the conversion makes short-lived strings and arrays per cell
    // (100k PRM rows in one thread: 3.9 -> 3.45 CPU-s with 64 MiB semi-spaces instead of 16).
    const w = new Worker(BOOT, { workerData: { input, params }, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 192 } });
    let settled = false;
    let chain: Promise<void> = Promise.resolve();
    const fail = (e: unknown): void => {
      if (settled) return;
      settled = true;
      void w.terminate();
      reject(e);
    };
    w.on('message', (m: ToMain) => {
      if (settled) return;
      if (m.type === 'county') {
        try {
          sink.county(m.county);
        } catch (e) {
          fail(e);
        }
      } else if (m.type === 'batch') {
        chain = chain.then(async () => {
          if (settled) return;
          await sink.batch(m);
          w.postMessage('ack');
        });
        chain.catch(fail);
      } else if (m.type === 'done') {
        chain.then(() => {
          if (settled) return;
          settled = true;
          void w.terminate();
          resolve(m.result);
        }, fail);
      } else fail(fromWire(m.error));
    });
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`import worker exited (${code}) before finishing`)));
  });
}

async function workerMain(): Promise<void> {
  const port = parentPort!;
  const { input, params } = workerData as { input: Input; params: ConvertParams };
  const source: AsyncIterable<Uint8Array> = input.bytes ? bufferChunks(input.bytes, CHUNK) : createReadStream(input.path!, { highWaterMark: CHUNK });
  let acked: (() => void) | null = null;
  port.on('message', () => acked?.());
  const post = (m: ToMain): void => port.postMessage(m);
  try {
    const result = await convertExport(source, params, {
      county: (county) => post({ type: 'county', county }),
      // Encoded here and transferred: the main thread neither copies the strings nor encodes them for COPY.
      batch: (b) =>
        new Promise<void>((r) => {
          acked = r;
          const writes = b.writes.map((w) => ({ table: w.table, text: typeof w.text === 'string' ? encoder.encode(w.text) : w.text }));
          port.postMessage({ type: 'batch', writes, rowsRead: b.rowsRead } satisfies ToMain, writes.map((w) => w.text.buffer as ArrayBuffer));
        }),
    });
    post({ type: 'done', result });
  } catch (e) {
    post({ type: 'error', error: toWire(e) });
  } finally {
    if ('destroy' in source) (source as { destroy(): void }).destroy();
    port.removeAllListeners('message');
  }
}

if (!isMainThread && (workerData as { input?: Input } | null)?.input) await workerMain();
