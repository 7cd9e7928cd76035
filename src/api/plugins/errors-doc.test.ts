// docs/errors.md lists every error code used in src/ and nothing else
// (like Fastify's test/internals/errors.test.js keeps Errors.md in sync).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

const CODE = /\bBK_[A-Z0-9]+_[A-Z0-9_]*[A-Z0-9]\b/g;

function codesInSource(): Map<string, string> {
  const codes = new Map<string, string>();
  for (const f of sourceFiles(join(root, 'src'))) {
    for (const m of readFileSync(f, 'utf8').match(CODE) ?? []) if (!codes.has(m)) codes.set(m, f.slice(root.length));
  }
  return codes;
}

function codesInDoc(): Set<string> {
  const doc = readFileSync(join(root, 'docs/errors.md'), 'utf8');
  return new Set([...doc.matchAll(/^\|\s*`(BK_[A-Z0-9_]+)`/gm)].map((m) => m[1]));
}

it('every code used in src/ is listed in docs/errors.md', () => {
  const doc = codesInDoc();
  const missing = [...codesInSource()].filter(([c]) => !doc.has(c)).map(([c, f]) => `${c} (${f})`);
  expect(missing, 'add these rows to docs/errors.md').toEqual([]);
});

it('every code listed in docs/errors.md is still used in src/', () => {
  const src = codesInSource();
  const stale = [...codesInDoc()].filter((c) => !src.has(c));
  expect(stale, 'remove these rows from docs/errors.md').toEqual([]);
});

it('the doc lists each code once', () => {
  const doc = readFileSync(join(root, 'docs/errors.md'), 'utf8');
  const rows = [...doc.matchAll(/^\|\s*`(BK_[A-Z0-9_]+)`/gm)].map((m) => m[1]);
  expect(rows.length).toBe(new Set(rows).size);
});
