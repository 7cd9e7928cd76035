/**
 * Runs convertExport (decode, tokenize, normalize, households, COPY text) in
 * a worker thread, so the thread that feeds the database — and PGlite's WASM,
 * which runs on it — works beside it: two cores instead of one. Batches come
 * back as COPY text in UTF-8 bytes (transferred, not copied); the worker waits for each batch's
 * acknowledgement, so memory holds the same two flushes as in-process.
 * Errors cross as data and are rebuilt: BinkuError (code, status, details)
 * and HouseholdOutOfOrder keep their meaning for the caller.
 */
import { createReadStream } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { errorFromWire, errorToWire, startTsWorker, type WireError } from '../threads/ts-worker.ts';
import { bufferChunks, convertExport, type ConvertParams, type ConvertResult, type ConvertSink, type CopyBatch } from './convert.ts';
import { HouseholdOutOfOrder } from './households.ts';

export interface ConvertInput {
  /** A file on disk (streamed) … */
  path?: string;
  /** … or bytes in memory (HTTP upload). */
  bytes?: Uint8Array;
}

/** convertExport of a file or bytes on this thread; the file stream is closed whatever happens. */
export async function convertInput(input: ConvertInput, params: ConvertParams, sink: ConvertSink): Promise<ConvertResult> {
  const source: AsyncIterable<Uint8Array> = input.bytes ? bufferChunks(input.bytes, CHUNK) : createReadStream(input.path!, { highWaterMark: CHUNK });
  try {
    return await convertExport(source, params, sink);
  } finally {
    if ('destroy' in source) (source as { destroy(): void }).destroy();
  }
}

/** A thread error, or the out-of-order signal that makes the caller re-read the file in map mode. */
type ImportWireError = WireError | { kind: 'out-of-order'; message: string; no: string; rowNo: number };

type ToMain =
  | { type: 'county'; county: string }
  | ({ type: 'batch' } & CopyBatch)
  | { type: 'done'; result: ConvertResult }
  | { type: 'error'; error: ImportWireError };

const CHUNK = 1 << 20;

function toWire(e: unknown): ImportWireError {
  if (e instanceof HouseholdOutOfOrder) return { kind: 'out-of-order', message: e.message, no: e.no, rowNo: e.rowNo };
  return errorToWire(e);
}

function fromWire(w: ImportWireError): Error {
  return w.kind === 'out-of-order' ? new HouseholdOutOfOrder(w.no, w.rowNo) : errorFromWire(w, 'import worker');
}

/** convertExport of a file on disk or bytes in memory, in a worker thread. */
export function convertInWorker(input: ConvertInput, params: ConvertParams, sink: ConvertSink): Promise<ConvertResult> {
  return new Promise((resolve, reject) => {
    // A larger young generation: the conversion makes short-lived strings and arrays per cell
    // (100k PRM rows in one thread: 3.9 -> 3.45 CPU-s with 64 MiB semi-spaces instead of 16).
    const w = startTsWorker(import.meta.url, { input, params } satisfies WorkerData, { youngGenerationMb: 192 });
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

interface WorkerData {
  input: ConvertInput;
  params: ConvertParams;
}

/** The thread's body (started by startTsWorker). */
export async function workerMain({ input, params }: WorkerData): Promise<void> {
  const port = parentPort!;
  let acked: (() => void) | null = null;
  port.on('message', () => acked?.());
  const post = (m: ToMain): void => port.postMessage(m);
  try {
    const result = await convertInput(input, params, {
      county: (county) => post({ type: 'county', county }),
      // Bytes already (each in a buffer of its own), transferred: the main thread neither copies nor encodes them.
      batch: (b) =>
        new Promise<void>((r) => {
          acked = r;
          port.postMessage({ type: 'batch', writes: b.writes, rowsRead: b.rowsRead } satisfies ToMain, b.writes.map((w) => w.text.buffer as ArrayBuffer));
        }),
    });
    post({ type: 'done', result });
  } catch (e) {
    post({ type: 'error', error: toWire(e) });
  } finally {
    port.removeAllListeners('message');
  }
}
