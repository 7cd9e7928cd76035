// STYLE.md rule 1: pure modules never import db/, api/, node:fs or read
// process.env (only src/config.ts does); each module's queries live in its
// store.ts, which is the edge and exempt. This test is the lint rule.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));
const PURE = ['domain', 'formats', 'harmonize', 'rules', 'assess', 'evaluate'];
const EDGE_FOLDERS = ['db', 'api', 'cli', 'ingest', 'link', 'auth', 'audit'];
const FORBIDDEN_PACKAGES = ['fs', 'node:fs', 'node:fs/promises', 'fs/promises', 'pg', '@electric-sql/pglite', 'fastify'];

function sources(dir: string): string[] {
  let out: string[] = [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return out; // a pure module that has no folder yet
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out = out.concat(sources(p));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && e.name !== 'store.ts') out.push(p);
  }
  return out;
}

/** Every problem in one file's text: forbidden imports and env reads. */
export function violations(file: string, text: string): string[] {
  const found: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(/(?:from\s+|import\s*\(\s*)'([^']+)'/g)) {
    const spec = m[1];
    if (FORBIDDEN_PACKAGES.includes(spec)) found.push(`imports ${spec}`);
    if (spec.startsWith('.')) {
      const target = relative(SRC, resolve(dirname(file), spec)).split(/[\\/]/)[0];
      if (EDGE_FOLDERS.includes(target)) found.push(`imports ${spec}`);
    }
  }
  if (/process\.env/.test(code)) found.push('reads process.env');
  return found;
}

describe('pure modules stay pure', () => {
  it('the checker catches a forbidden import and an env read', () => {
    const f = join(SRC, 'rules', 'x.ts');
    expect(violations(f, "import { sql } from 'kysely';\nimport type { Db } from '../db/dialect.ts';\nconst k = process.env.K;")).toEqual([
      'imports ../db/dialect.ts',
      'reads process.env',
    ]);
    expect(violations(f, "import { readFileSync } from 'node:fs';")).toEqual(['imports node:fs']);
    expect(violations(f, "import { x } from '../domain/id-number.ts'; // not ../db/")).toEqual([]);
  });

  for (const mod of PURE) {
    it(`src/${mod}/ imports no db/api/fs and reads no env`, () => {
      const bad: string[] = [];
      for (const f of sources(join(SRC, mod))) {
        for (const v of violations(f, readFileSync(f, 'utf8'))) bad.push(`${relative(SRC, f)}: ${v}`);
      }
      expect(bad).toEqual([]);
    });
  }
});
