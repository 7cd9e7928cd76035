import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemo } from './index.ts';
import { writeDemo } from './write.ts';

describe('writeDemo (the CLI path)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'binku-demo-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams to disk exactly the bytes generateDemo builds in memory', () => {
    const opts = { households: 250, seed: 42 };
    const written = writeDemo(dir, opts);
    const mem = generateDemo(opts);
    expect(written.files.map((f) => f.path).sort()).toEqual(mem.files.map((f) => f.path).sort());
    for (const f of mem.files) {
      const disk = readFileSync(join(dir, f.path));
      expect(disk.equals(f.bytes), f.path).toBe(true);
      expect(written.files.find((x) => x.path === f.path)!.bytes).toBe(f.bytes.length);
    }
    expect(readdirSync(join(dir, 'feeds')).length).toBeGreaterThanOrEqual(8);
    expect(written.truth.counts).toEqual(mem.truth.counts);
  });
});
