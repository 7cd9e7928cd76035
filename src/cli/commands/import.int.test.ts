// `binku import` end to end: a real process on an embedded database folder.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, expect, it } from 'vitest';
import { nastyLipCsv, nastyPrmCsv, withBom } from '../../ingest/fixtures.ts';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'binku-cli-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const binku = (...args: string[]) =>
  spawnSync(process.execPath, [join(root, 'bin/binku.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, BINKU_DATA_DIR: join(dir, 'data'), DATABASE_URL: '', NO_COLOR: '1' },
    timeout: 120_000,
  });

it('imports a PRM file, prints the summary as JSON and writes the problem list', () => {
  const file = join(dir, 'prm.csv');
  writeFileSync(file, withBom(nastyPrmCsv()));
  const out = join(dir, 'problems.xlsx');
  const r = binku('import', 'prm', file, '--json', '--problems-out', out);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const s = JSON.parse(r.stdout);
  expect(s).toMatchObject({ status: 'imported', rows: 12, records: 10, households: 4, problemCount: 12, fileName: 'prm.csv' });
  // ID values in problems are masked by default (row 10: a full ID with a bad check digit), in JSON and in the XLSX.
  const badCheck = (s.problems as { code: string; value: string }[]).find((p) => p.code === 'BK_IMPORT_ID_BAD_CHECK');
  expect(badCheck?.value).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  expect(JSON.stringify(s.problems)).not.toMatch(/\d{15}/);
  expect(readFileSync(out).subarray(0, 2).toString('latin1')).toBe('PK');
  return (async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets[0].rowCount).toBe(13);
    expect(wb.worksheets[0].getRow(1).getCell(5).value).toBe('问题');
    const ids = Array.from({ length: 12 }, (_, i) => wb.worksheets[0].getRow(i + 2)).filter((row) => row.getCell(7).value === 'BK_IMPORT_ID_BAD_CHECK');
    expect(ids).toHaveLength(1);
    expect(String(ids[0].getCell(4).value)).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
  })();
}, 180_000);

it('prints a Chinese summary; the same file again is a duplicate', () => {
  const r = binku('import', 'prm', join(dir, 'prm.csv'));
  expect(r.status).toBe(0);
  expect(r.stdout).toContain('文件已导入过');
  expect(r.stdout).toContain('第14行 [户编号]');
  expect(r.stdout).not.toMatch(/\d{15}/);
  // --unmask shows the full value (the duplicate's problems come from the stored list).
  const u = binku('import', 'prm', join(dir, 'prm.csv'), '--json', '--unmask');
  const bad = (JSON.parse(u.stdout).problems as { code: string; value: string }[]).find((p) => p.code === 'BK_IMPORT_ID_BAD_CHECK');
  expect(bad?.value).toMatch(/^\d{17}[\dX]$/);
}, 180_000);

it('fails with one line on stderr and a non-zero exit for LIP headers given as PRM', () => {
  const file = join(dir, 'lip.csv');
  writeFileSync(file, nastyLipCsv());
  const r = binku('import', 'prm', file);
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^错误 \[BK_IMPORT_WRONG_SYSTEM\]: 表头是低收入人口动态监测信息平台（LIP）的导出/);
}, 180_000);
