/**
 * Runs countyResults (linkage, households, reasons, COPY text) in a worker
 * thread, so county k+1 is linked on one core while county k's rows are
 * written by this thread and the database on the other (the pair loop would
 * otherwise block the event loop and stall the COPY). One worker serves all
 * counties of a merge; results come back as COPY text in transferred UTF-8 bytes.
 */
import { parentPort } from 'node:worker_threads';
import { errorFromWire, errorToWire, startTsWorker, type WireError } from '../threads/ts-worker.ts';
import { asCopyText, countyResults, type CountyInput, type CountyResults } from './county-results.ts';
import type { LinkRecord } from './types.ts';

/**
 * Records as one array per field: 200k objects of 13 fields took ≈ 0.3 s to
 * serialize here and ≈ 0.8 s to rebuild in the worker; arrays of strings are
 * cheaper on both sides.
 */
interface PackedRecords {
  prm: Uint8Array;
  rowNo: Float64Array;
  idStatus: LinkRecord['idStatus'][];
  text: Record<(typeof TEXT_FIELDS)[number], (string | null)[]>;
}
const TEXT_FIELDS = ['key', 'groupNo', 'regionCode', 'fileId', 'name', 'idNumber', 'sex', 'birthDate', 'relation', 'hash'] as const;

function packRecords(records: readonly LinkRecord[]): PackedRecords {
  const text = Object.fromEntries(TEXT_FIELDS.map((f) => [f, records.map((r) => r[f])])) as PackedRecords['text'];
  return {
    prm: Uint8Array.from(records, (r) => (r.system === 'prm' ? 1 : 0)),
    rowNo: Float64Array.from(records, (r) => r.rowNo),
    idStatus: records.map((r) => r.idStatus),
    text,
  };
}

function unpackRecords(p: PackedRecords): LinkRecord[] {
  const t = p.text;
  return Array.from(p.prm, (prm, i) => ({
    system: prm ? 'prm' : 'lip',
    key: t.key[i] as string,
    groupNo: t.groupNo[i] as string,
    regionCode: t.regionCode[i] as string,
    fileId: t.fileId[i] as string,
    rowNo: p.rowNo[i],
    name: t.name[i],
    idNumber: t.idNumber[i],
    idStatus: p.idStatus[i],
    sex: t.sex[i],
    birthDate: t.birthDate[i],
    relation: t.relation[i],
    hash: t.hash[i] as string,
  }));
}

type Request = Omit<CountyInput, 'records'> & { packed: PackedRecords };

type Reply = { ok: true; result: CountyResults } | { ok: false; error: WireError };

export interface LinkWorker {
  run(input: CountyInput): Promise<CountyResults>;
  close(): Promise<void>;
}

/** Starts a linkage worker; counties are processed one at a time, in call order. */
export function startLinkWorker(): LinkWorker {
  // A larger young generation: the pair loop and the row building allocate many short-lived objects.
  const w = startTsWorker(import.meta.url, null, { youngGenerationMb: 96 });
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
    else p.reject(errorFromWire(m.error, 'linkage worker'));
  });
  w.on('error', (e) => failAll(e));
  w.on('exit', (code) => failAll(new Error(`linkage worker exited (${code})`)));
  return {
    run: (input) =>
      new Promise((resolve, reject) => {
        if (dead) return reject(dead);
        waiting.push({ resolve, reject });
        const { records, ...rest } = input;
        const packed = packRecords(records);
        w.postMessage({ ...rest, packed } satisfies Request, [packed.prm.buffer as ArrayBuffer, packed.rowNo.buffer as ArrayBuffer]);
      }),
    close: async () => {
      dead ??= new Error('linkage worker closed');
      await w.terminate();
    },
  };
}

/** The thread's body (started by startTsWorker). */
export function workerMain(): void {
  const port = parentPort!;
  port.on('message', ({ packed, ...rest }: Request) => {
    const input: CountyInput = { ...rest, records: unpackRecords(packed) };
    let reply: Reply;
    const transfer: ArrayBuffer[] = [];
    try {
      const result = asCopyText(countyResults(input));
      for (const t of result.tables) if ('chunks' in t) for (const c of t.chunks) transfer.push(c.buffer as ArrayBuffer);
      reply = { ok: true, result };
    } catch (e) {
      reply = { ok: false, error: errorToWire(e) };
    }
    port.postMessage(reply, transfer);
  });
}
