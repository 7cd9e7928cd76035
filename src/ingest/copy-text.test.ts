import { describe, expect, it } from 'vitest';
import { cellListJson, copyTextOf, rawCopyText, rawRowCells } from './store.ts';
import { copyValue } from '../db/copy.ts';
import { copyJson } from '../db/copy-text.ts';
import { memberCopyLine } from './convert.ts';
import { parseIdNumber } from '../domain/id-number.ts';
import { NASTY_IDS } from './fixtures.ts';

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

  it('JSON text as a COPY value: the same as the general escape', () => {
    for (const v of [['a\\b', 'c\td\ne\rf', '"q"'], [], ['plain'], { k: '\\\\', n: null }]) {
      const json = JSON.stringify(v);
      expect(copyJson(json)).toBe(copyValue(json));
    }
  });

  it('writes rows in the table column order, one line each', () => {
    const text = copyTextOf('signal', [{ note: 'n', county_code: '430121', file_id: 'f', row_no: 4, source: '医保', event_type: '住院', amount: 3 }]);
    expect(text).toBe('430121\tf\t4\t医保\t\\N\t\\N\t\\N\t\\N\t住院\t\\N\t3\tn\n');
    expect(copyTextOf('signal', [])).toBe('');
  });

  it('a member line built directly equals the table-ordered COPY text of the same row', () => {
    const id = parseIdNumber(NASTY_IDS.wifeX.toLowerCase());
    const attrs = { health: '健康', measures: ['产业帮扶'], workMonths: 3, medicalInsured: true, phone: null };
    const line = memberCopyLine('430121\tf\t', 7, '430121001001', '李\t梅', NASTY_IDS.wifeX.toLowerCase(), id, '配偶', attrs, 'H001');
    const row = { county_code: '430121', file_id: 'f', row_no: 7, region_code: '430121001001', name: '李\t梅', id_raw: NASTY_IDS.wifeX.toLowerCase(), id_number: id.idNumber, id_status: id.status, relation: '配偶', sex: id.sex, birth_date: id.birthDate, attrs, household_no: 'H001', family_no: 'H001' };
    expect(line).toBe(copyTextOf('prm_member', [row]));
    expect(line).toBe(copyTextOf('lip_member', [row]));
    expect(memberCopyLine('c\tf\t', 8, null, null, null, null, null, {}, 'H2')).toBe(copyTextOf('prm_member', [{ county_code: 'c', file_id: 'f', row_no: 8, id_status: 'missing', attrs: {}, household_no: 'H2' }]));
  });

  it('raw rows: cells as a JSON array, trailing empties dropped, escaped for COPY', () => {
    const text = rawCopyText('430121', 'f', [
      { rowNo: 4, cells: ['H001', '张"三', '', 'x\ty', '', ''] },
      { rowNo: 5, cells: ['', ''] },
    ]);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    const [county, file, row, json] = lines[0].split('\t');
    expect([county, file, row]).toEqual(['430121', 'f', '4']);
    // COPY unescapes \\ → \ before the text is stored.
    expect(JSON.parse(json.replace(/\\\\/g, '\\'))).toEqual(['H001', '张"三', '', 'x\ty']);
    expect(lines[1]).toBe('430121\tf\t5\t[]');
  });

  it('reads raw rows back as {header: text} from both stored forms', () => {
    expect(rawRowCells({ cells: null, cell_list: cellListJson(['H001', '', '张三', 'extra']) }, JSON.stringify(['户编号', '县', '姓名']))).toEqual({ 户编号: 'H001', 姓名: '张三', 列4: 'extra' });
    expect(rawRowCells({ cells: { 户编号: 'H002' }, cell_list: null }, null)).toEqual({ 户编号: 'H002' });
    expect(rawRowCells({ cells: '{"户编号":"H003"}', cell_list: null }, null)).toEqual({ 户编号: 'H003' });
  });
});
