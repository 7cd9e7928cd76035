/**
 * Demo county generator (模拟县): a seeded synthetic 陇南市武都区 whose PRM,
 * LIP and department exports look like real ones, plus truth.json for scoring
 * import and linkage. Same seed + same household count → byte-identical files.
 */
import { emitDemo, type DemoOptions } from './emit.ts';
import type { DemoTruth } from './truth.ts';

export type { DemoOptions } from './emit.ts';
export type { DemoTruth, TruthPerson, Pairing, UnifiedHousehold, CoverageCounts, Trap } from './truth.ts';
export { deriveLinkage } from './truth.ts';
export { PRM_COLUMNS, LIP_COLUMNS, FEED_COLUMNS, REQUIRED } from './columns.ts';

export interface DemoFile {
  /** Relative path: 'prm.csv', 'lip.csv', 'feeds/医保.csv', …, 'truth.json'. */
  path: string;
  bytes: Buffer;
}

/**
 * truth.json in pieces: exactly the bytes of `JSON.stringify(truth) + '\n'`, but
 * big arrays are serialized a batch of elements at a time, so a 100k-household
 * county never needs the whole (≈170 MB) string in memory at once.
 */
export function* truthJsonChunks(truth: DemoTruth): Generator<Buffer> {
  const entries = Object.entries(truth);
  let head = '{';
  for (let i = 0; i < entries.length; i++) {
    const [k, v] = entries[i];
    if (v === undefined) continue;
    head += `${head === '{' ? '' : ','}${JSON.stringify(k)}:`;
    if (Array.isArray(v) && v.length > 1000) {
      yield Buffer.from(`${head}[`, 'utf8');
      head = '';
      for (let j = 0; j < v.length; j += 1000) {
        const part = v.slice(j, j + 1000).map((x) => JSON.stringify(x)).join(',');
        yield Buffer.from(j === 0 ? part : `,${part}`, 'utf8');
      }
      head = ']';
    } else head += JSON.stringify(v);
  }
  yield Buffer.from(`${head}}\n`, 'utf8');
}

/** truth.json as one buffer (see `truthJsonChunks`). */
export function truthJson(truth: DemoTruth): Buffer {
  return Buffer.concat([...truthJsonChunks(truth)]);
}

/**
 * Generates a county in memory (for tests of other modules). `files` holds the
 * exports in a fixed order and truth.json last.
 */
export function generateDemo(opts: DemoOptions): { files: DemoFile[]; truth: DemoTruth } {
  const chunks = new Map<string, Buffer[]>();
  const truth = emitDemo(opts, (path, chunk) => {
    let list = chunks.get(path);
    if (!list) chunks.set(path, (list = []));
    list.push(chunk);
  });
  const files: DemoFile[] = [...chunks.entries()].map(([path, list]) => ({ path, bytes: Buffer.concat(list) }));
  files.push({ path: 'truth.json', bytes: truthJson(truth) });
  return { files, truth };
}
