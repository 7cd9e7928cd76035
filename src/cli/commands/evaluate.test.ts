import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../../bin/binku.js');
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 26, env: { ...process.env, NO_COLOR: '1' } });

describe('binku evaluate (CLI)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'binku-eval-cli-'));
  const csv = join(dir, 'sample.csv');

  it('--make-sample writes a CFPS-shaped CSV; --json prints exactly one document; --xlsx writes the report', async () => {
    const mk = run('evaluate', '--make-sample', csv, '--sample-n', '1500', '--seed', '4');
    expect(mk.status, mk.stderr).toBe(0);
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(1501);
    expect(lines[0]).toContain('hh_id,prm,lip,head_age');

    const xlsx = join(dir, 'r.xlsx');
    const r = run('evaluate', csv, '--json', '--caliper', '0.05', '--bootstrap', '20', '--seed', '3', '--xlsx', xlsx);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ n: 1500, poverty_line: 4000, caliper: 0.05, excluded_rows: [] });
    expect(doc.att.IV.work_willing.se_bootstrap).toBeGreaterThan(0);
    expect(existsSync(xlsx)).toBe(true);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['描述统计', '多项Logit', 'ATT', '平衡性检验']);
  }, 120_000);

  it('a bad cell exits non-zero naming the row and column; --drop-incomplete reports it instead', () => {
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    lines[7] = lines[7]!.replace(/^([^,]*,[^,]*,[^,]*,[^,]*,)[^,]*/, '$1'); // empty head_edu_years in data row 7
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${lines.join('\n')}\n`);
    const r = run('evaluate', bad, '--json');
    expect(r.status).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('第 7 行 head_edu_years');
    const d = run('evaluate', bad, '--json', '--drop-incomplete');
    expect(d.status, d.stderr).toBe(0);
    const doc = JSON.parse(d.stdout);
    expect(doc.n).toBe(1499);
    expect(doc.excluded_rows).toEqual([{ row: 7, column: 'head_edu_years', reason: '值为空' }]);
    const text = run('evaluate', bad, '--drop-incomplete');
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('平均处理效应 ATT');
    expect(text.stdout).toContain('剔除 1 行');
  }, 120_000);
});
