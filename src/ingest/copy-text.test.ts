import { describe, expect, it } from 'vitest';
import { copyTextOf, copyValue, rawCopyText } from './store.ts';

describe('COPY text', () => {
  it('escapes backslash, tab, newline and CR; NULL is \\N; JSON for objects', () => {
    expect(copyValue('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue(undefined)).toBe('\\N');
    expect(copyValue(12.5)).toBe('12.5');
    expect(copyValue(Number.NaN)).toBe('\\N');
    expect(copyValue(true)).toBe('t');
    expect(copyValue({ a: ['x\ty'] })).toBe('{"a":["x\\\\ty"]}');
  });

  it('writes rows in the table column order, one line each', () => {
    const text = copyTextOf('signal', [{ note: 'n', county_code: '430121', file_id: 'f', row_no: 4, source: '医保', event_type: '住院', amount: 3 }]);
    expect(text).toBe('430121\tf\t4\t医保\t\\N\t\\N\t\\N\t\\N\t住院\t\\N\t3\tn\n');
    expect(copyTextOf('signal', [])).toBe('');
  });

  it('raw rows: {header: text} JSON without empty cells; extra cells named 列N', () => {
    const text = rawCopyText('430121', 'f', ['户编号', '姓名'], [
      { rowNo: 4, cells: ['H001', '张"三', '', 'x\ty'] },
      { rowNo: 5, cells: ['', ''] },
    ]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    const [county, file, row, json] = lines[0].split('\t');
    expect([county, file, row]).toEqual(['430121', 'f', '4']);
    // COPY unescapes \\ → \ before jsonb parses the text.
    expect(JSON.parse(json.replace(/\\\\/g, '\\'))).toEqual({ 户编号: 'H001', 姓名: '张"三', 列4: 'x\ty' });
    expect(lines[1]).toBe('430121\tf\t5\t{}');
  });
});
