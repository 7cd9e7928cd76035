/**
 * The file-system edge of the demo generator: streams each export to disk as
 * it is produced (no whole-file strings for big counties), then writes truth.json.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { emitDemo, type DemoOptions } from './emit.ts';
import { truthJsonChunks } from './index.ts';
import type { DemoTruth } from './truth.ts';

export interface WriteDemoResult {
  truth: DemoTruth;
  files: { path: string; bytes: number }[];
}

/** Writes prm.csv, lip.csv, feeds/*.csv and truth.json under `outDir`. */
export function writeDemo(outDir: string, opts: DemoOptions): WriteDemoResult {
  mkdirSync(join(outDir, 'feeds'), { recursive: true });
  const fds = new Map<string, number>();
  const sizes = new Map<string, number>();
  try {
    const truth = emitDemo(opts, (path, chunk) => {
      let fd = fds.get(path);
      if (fd === undefined) {
        mkdirSync(dirname(join(outDir, path)), { recursive: true });
        fd = openSync(join(outDir, path), 'w');
        fds.set(path, fd);
        sizes.set(path, 0);
      }
      let off = 0;
      while (off < chunk.length) off += writeSync(fd, chunk, off);
      sizes.set(path, sizes.get(path)! + chunk.length);
    });
    const fd = openSync(join(outDir, 'truth.json'), 'w');
    fds.set('truth.json', fd);
    let size = 0;
    for (const chunk of truthJsonChunks(truth)) {
      let off = 0;
      while (off < chunk.length) off += writeSync(fd, chunk, off);
      size += chunk.length;
    }
    sizes.set('truth.json', size);
    return { truth, files: [...sizes.entries()].map(([path, bytes]) => ({ path, bytes })) };
  } finally {
    for (const fd of fds.values()) closeSync(fd);
  }
}
