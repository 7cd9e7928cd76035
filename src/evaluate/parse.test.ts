import { describe, expect, it } from 'vitest';
import { BinkuError } from '../domain/errors.ts';
import { parseEvaluationCsv, REQUIRED_COLUMNS } from './parse.ts';

const header = REQUIRED_COLUMNS.join(',');
const good = (id: string, over: Partial<Record<string, string>> = {}): string => {
  const base: Record<string, string> = {
    hh_id: id, prm: '0', lip: '1', head_age: '50', head_edu_years: '9', head_healthy: '1', head_party: '0',
    hh_size: '4', working_age_share: '0.5', income_pc: '12000', expense_pc: '9000', medical_share: '0.1',
    fin_assets_pc: '0', unsafe_water: '0', region: 'west', wage_business_share: '0.7', work_willing: '1',
  };
  return REQUIRED_COLUMNS.map((c) => over[c] ?? base[c]).join(',');
};

function errorOf(fn: () => unknown): BinkuError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BinkuError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('parseEvaluationCsv', () => {
  it('reads rows in any column order, with a BOM and extra columns', () => {
    const cols = [...REQUIRED_COLUMNS].reverse();
    const line = good('a').split(',');
    const map = Object.fromEntries(REQUIRED_COLUMNS.map((c, i) => [c, line[i]]));
    const text = `\ufeff${cols.join(',')},extra\n${cols.map((c) => map[c]).join(',')},zz\n`;
    const { rows, excluded } = parseEvaluationCsv(text);
    expect(excluded).toEqual([]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ hh_id: 'a', lip: 1, prm: 0, income_pc: 12000, region: 'west' });
  });

  it('accepts Chinese region names', () => {
    const { rows } = parseEvaluationCsv(`${header}\n${good('a', { region: '中部' })}\n`);
    expect(rows[0]!.region).toBe('central');
  });

  it.each([
    ['head_edu_years', 'abc', /不是数字/],
    ['head_edu_years', '', /值为空/],
    ['prm', '2', /0 或 1/],
    ['income_pc', '0', /大于 0/],
    ['expense_pc', '-5', /大于 0/],
    ['fin_assets_pc', '-1', /大于 -1/],
    ['region', 'north', /未知地区/],
  ])('a bad %s (%j) names the 1-based data row and the column', (column, value, reason) => {
    const text = `${header}\n${good('a')}\n${good('b')}\n${good('c', { [column]: value })}\n`;
    const e = errorOf(() => parseEvaluationCsv(text));
    expect(e.code).toBe('BK_EVALUATE_BAD_ROW');
    expect(e.message).toContain('第 3 行');
    expect(e.message).toContain(column);
    expect(e.details).toMatchObject({ row: 3, column });
    expect(e.message).toMatch(reason);
  });

  it('--drop-incomplete leaves bad rows out and lists them', () => {
    const text = `${header}\n${good('a')}\n${good('b', { head_age: 'x' })}\n${good('c')}\n${good('d', { work_willing: '' })}\n`;
    const { rows, excluded, rowsRead } = parseEvaluationCsv(text, { dropIncomplete: true });
    expect(rows.map((r) => r.hh_id)).toEqual(['a', 'c']);
    expect(rowsRead).toBe(4);
    expect(excluded.map((x) => [x.row, x.column])).toEqual([
      [2, 'head_age'],
      [4, 'work_willing'],
    ]);
    expect(excluded[0]!.reason).toMatch(/不是数字/);
  });

  it('a missing column is an error even with --drop-incomplete', () => {
    const cols = REQUIRED_COLUMNS.filter((c) => c !== 'medical_share');
    const e = errorOf(() => parseEvaluationCsv(`${cols.join(',')}\n`, { dropIncomplete: true }));
    expect(e.code).toBe('BK_EVALUATE_MISSING_COLUMN');
    expect(e.message).toContain('medical_share');
  });
});
