import { describe, expect, it } from 'vitest';
import type { RowProblem } from '../db/schema.ts';
import { isIdProblem, maskProblem, maskProblems } from './mask-problems.ts';

const p = (column: string, value: string | null, code = 'BK_IMPORT_X', message = '问题'): RowProblem => ({ file: 'a.csv', row: 5, column, value, code, message, severity: 'warning' });

describe('maskProblems', () => {
  it('masks the value of an ID column (every system, aliases too)', () => {
    expect(maskProblem(p('证件号码', '430121199001011235', 'BK_IMPORT_ID_BAD_CHECK')).value).toBe('430121********1235');
    expect(maskProblem(p('成员身份证号', '43012119900101123X')).value).toBe('430121********123X');
    expect(maskProblem(p('身份证号码', '430121900101123')).value).toBe('430121*****1123');
    // 20-digit 残疾证 number
    expect(maskProblem(p('证件号码', '43012119900101123521')).value).toBe('430121**********3521');
  });

  it('masks a non-ID-shaped value of an ID column whole, and IDs quoted in the message', () => {
    expect(maskProblem(p('证件号码', '4.30121E+17', 'BK_IMPORT_ID_INVALID')).value).toBe('4.3012*E+17');
    const c = maskProblem(p('申请人身份证号', '430121199001011235', 'BK_IMPORT_HOUSEHOLD_CONFLICT', '不一致: 430121199001011235（1行）；430121199202021236（2行）'));
    expect(c.value).toBe('430121********1235');
    expect(c.message).toBe('不一致: 430121********1235（1行）；430121********1236（2行）');
    expect(c.message).not.toMatch(/\d{15}/);
  });

  it('leaves other columns alone and does not change its input', () => {
    const region = p('行政区划代码', '43012100100', 'BK_IMPORT_BAD_REGION');
    expect(isIdProblem(region)).toBe(false);
    expect(maskProblem(region)).toBe(region);
    const list = [p('证件号码', '430121199001011235'), region];
    const out = maskProblems(list);
    expect(out[0].value).toBe('430121********1235');
    expect(list[0].value).toBe('430121199001011235');
    expect(maskProblem(p('证件号码', null, 'BK_IMPORT_ID_MISSING')).value).toBeNull();
  });
});
