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

/** Serializes the truth the way truth.json is written (stable key order, 1 line per person). */
export function truthJson(truth: DemoTruth): Buffer {
  return Buffer.from(`${JSON.stringify(truth)}\n`, 'utf8');
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
