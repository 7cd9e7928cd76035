import { describe, expect, it } from 'vitest';
import { checkDigit, makeIdNumber, maskIdNumber, maskName, parseIdNumber, upgrade15 } from './id-number.ts';

// A published GB 11643 example: 11010519491231002X.
const GOOD = '11010519491231002X';

describe('parseIdNumber', () => {
  it('accepts a valid 18-digit ID and reads birth date and sex', () => {
    const p = parseIdNumber(GOOD);
    expect(p).toMatchObject({ idNumber: GOOD, status: 'valid', birthDate: '1949-12-31', sex: 'F', region: '110105' });
  });
  it('computes the published check digit', () => {
    expect(checkDigit(GOOD.slice(0, 17))).toBe('X');
  });
  it.each([
    ['lowercase x', '11010519491231002x'],
    ['full-width digits', '１１０１０５１９４９１２３１００２Ｘ'],
    ['spaces', ' 110105 19491231 002X '],
    ['Excel apostrophe', "'11010519491231002X"],
  ])('normalizes %s', (_label, raw) => {
    expect(parseIdNumber(raw).idNumber).toBe(GOOD);
    expect(parseIdNumber(raw).status).toBe('valid');
  });
  it('upgrades 15-digit IDs to 18 with a fresh check digit', () => {
    const p = parseIdNumber('110105491231002');
    expect(p.status).toBe('upgraded15');
    expect(p.idNumber).toBe(upgrade15('110105491231002'));
    expect(p.idNumber?.slice(0, 17)).toBe('11010519491231002');
    expect(p.birthDate).toBe('1949-12-31');
  });
  it('reads 20-digit 残疾证 numbers as the ID', () => {
    expect(parseIdNumber(`${GOOD}12`)).toMatchObject({ idNumber: GOOD, status: 'disability20' });
  });
  it('flags a wrong check digit but keeps the number', () => {
    const p = parseIdNumber('110105194912310021');
    expect(p.status).toBe('bad_check');
    expect(p.idNumber).toBe('110105194912310021');
  });
  it.each(['', '不详', '无', '  '])('treats %j as missing', (raw) => {
    expect(parseIdNumber(raw)).toMatchObject({ idNumber: null, status: 'missing' });
  });
  it.each(['12345', '110105194913310021', 'abcdefghijklmnopqr'])('rejects %j as invalid', (raw) => {
    expect(parseIdNumber(raw)).toMatchObject({ idNumber: null, status: 'invalid' });
  });
});

describe('makeIdNumber / masking', () => {
  it('builds valid IDs with the requested sex', () => {
    const m = makeIdNumber('621202', '1980-02-29', 17, true);
    const f = makeIdNumber('621202', '1980-02-29', 17, false);
    expect(parseIdNumber(m)).toMatchObject({ status: 'valid', sex: 'M', birthDate: '1980-02-29' });
    expect(parseIdNumber(f)).toMatchObject({ status: 'valid', sex: 'F' });
  });
  it('masks as 6+****+4 and keeps only the surname', () => {
    expect(maskIdNumber(GOOD)).toBe('110105********002X');
    expect(maskName('张三丰')).toBe('张**');
  });
});
