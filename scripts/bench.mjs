#!/usr/bin/env node
// `npm run bench [-- name …]`: runs bench/*.bench.ts one after another (each
// prints throughput and peak memory at several sizes). Pass names to run a subset,
// e.g. `npm run bench -- import merge`; extra flags after `--args` go to each script.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const argv = process.argv.slice(2);
const split = argv.indexOf('--args');
const names = split >= 0 ? argv.slice(0, split) : argv;
const extra = split >= 0 ? argv.slice(split + 1) : [];
const files = readdirSync(new URL('../bench/', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => names.length === 0 || names.some((n) => f.startsWith(n)))
  .sort();
if (files.length === 0) {
  console.error('没有找到基准测试 (bench/*.bench.ts)');
  process.exit(1);
}
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f} ===`);
  const r = spawnSync('npx', ['tsx', `bench/${f}`, ...extra], { stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=8192`.trim() } });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
