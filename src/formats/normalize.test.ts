import { describe, expect, it } from 'vitest';
import {
  excelSerialToIso,
  normalizeAmount,
  normalizeCode,
  normalizeDate,
  normalizeEnum,
  normalizeInt,
  normalizeList,
  normalizeRegionCode,
  normalizeYesNo,
} from './normalize.ts';
import { PRM_RELATION, LIP_RELATION } from './columns.ts';

describe('normalizeDate', () => {
  it.each([
    ['2024-03-05', '2024-03-05'],
    ['2024/3/5', '2024-03-05'],
    ['20240305', '2024-03-05'],
    ['2024.3.5', '2024-03-05'],
    ['2024年3月5日', '2024-03-05'],
    ['２０２４年３月５日', '2024-03-05'],
    ['2024-03', '2024-03-01'],
    ['2024年3月', '2024-03-01'],
    ['2024-03-05 00:00:00', '2024-03-05'],
    ['45356', '2024-03-05'],
    ['45356.5', '2024-03-05'],
    [' 2024-3-5 ', '2024-03-05'],
  ])('%s → %s', (raw, iso) => {
    expect(normalizeDate(raw)).toEqual({ value: iso });
  });
  it('empty is unknown, not a problem', () => {
    expect(normalizeDate('')).toEqual({ value: null });
    expect(normalizeDate(null)).toEqual({ value: null });
    expect(normalizeDate('/')).toEqual({ value: null });
  });
  it.each(['2024-13-01', '2023-02-29', '去年', '12345', '2024-03-05-01'])('reports %s', (raw) => {
    const r = normalizeDate(raw);
    expect(r.value).toBeNull();
    expect(r.problem?.code).toBe('BK_IMPORT_BAD_DATE');
    expect(r.problem?.message).toContain(raw);
  });
  it('Excel serials count from 1899-12-30', () => {
    expect(excelSerialToIso(1)).toBe('1899-12-31');
    expect(excelSerialToIso(61)).toBe('1900-03-01');
    expect(excelSerialToIso(0)).toBeNull();
  });
});

describe('normalizeAmount', () => {
  it.each([
    ['12,345.6', 12345.6],
    ['12345元', 12345],
    ['１２３４５．６', 12345.6],
    ['￥1,200', 1200],
    ['1.2万', 12000],
    ['-300', -300],
    ['0', 0],
    ['600元/月', 600],
    [' 1 200 ', 1200],
  ])('%s → %s', (raw, v) => {
    expect(normalizeAmount(raw)).toEqual({ value: v });
  });
  it('empty = unknown (null), not 0', () => {
    expect(normalizeAmount('')).toEqual({ value: null });
    expect(normalizeAmount(undefined)).toEqual({ value: null });
    expect(normalizeAmount('-')).toEqual({ value: null });
  });
  it.each(['约5000', '5000-6000', 'abc', '1.2.3'])('reports %s', (raw) => {
    expect(normalizeAmount(raw).problem?.code).toBe('BK_IMPORT_BAD_AMOUNT');
  });
});

describe('normalizeInt / yes-no / codes', () => {
  it('ints with units and full-width digits', () => {
    expect(normalizeInt('3')).toEqual({ value: 3 });
    expect(normalizeInt('3人')).toEqual({ value: 3 });
    expect(normalizeInt('３')).toEqual({ value: 3 });
    expect(normalizeInt('2.0')).toEqual({ value: 2 });
    expect(normalizeInt('')).toEqual({ value: null });
    expect(normalizeInt('2.5').problem?.code).toBe('BK_IMPORT_BAD_INT');
    expect(normalizeInt('三').problem?.code).toBe('BK_IMPORT_BAD_INT');
  });
  it('yes/no forms', () => {
    for (const y of ['是', 'Y', 'y', '1', '√', '有']) expect(normalizeYesNo(y)).toEqual({ value: true });
    for (const n of ['否', 'N', '0', '×', '无']) expect(normalizeYesNo(n)).toEqual({ value: false });
    expect(normalizeYesNo('')).toEqual({ value: null });
    expect(normalizeYesNo('也许').problem?.code).toBe('BK_IMPORT_BAD_YESNO');
  });
  it('region codes: 12 digits, apostrophe, full width, Excel ".0"', () => {
    expect(normalizeRegionCode("'430121001001")).toEqual({ value: '430121001001' });
    expect(normalizeRegionCode('４３０１２１００１００１')).toEqual({ value: '430121001001' });
    expect(normalizeRegionCode('430121001001.0')).toEqual({ value: '430121001001' });
    expect(normalizeRegionCode('430121')).toEqual({ value: '430121000000' });
    expect(normalizeRegionCode('43012100100').problem?.code).toBe('BK_IMPORT_BAD_REGION');
    expect(normalizeRegionCode('').problem?.code).toBe('BK_IMPORT_MISSING_REGION');
  });
  it('household numbers keep their text', () => {
    expect(normalizeCode(" 'H001 ")).toBe('H001');
    expect(normalizeCode('1234.0')).toBe('1234');
    expect(normalizeCode('')).toBeNull();
  });
});

describe('normalizeEnum / normalizeList', () => {
  it('maps synonyms and full-width/space variants', () => {
    expect(normalizeEnum('妻子', PRM_RELATION)).toEqual({ value: '配偶' });
    expect(normalizeEnum(' 户 主 ', PRM_RELATION)).toEqual({ value: '户主' });
    expect(normalizeEnum('儿子', LIP_RELATION)).toEqual({ value: '子女' });
    expect(normalizeEnum('申请人', LIP_RELATION)).toEqual({ value: '本人' });
    expect(normalizeEnum('停保（退出）', { values: ['在保', '暂停', '停保'] })).toEqual({ value: '停保' });
  });
  it('reports unknown values and lists the allowed ones', () => {
    const r = normalizeEnum('表哥', PRM_RELATION);
    expect(r.value).toBeNull();
    expect(r.problem?.code).toBe('BK_IMPORT_BAD_ENUM');
    expect(r.problem?.message).toContain('表哥');
    expect(r.problem?.message).toContain('户主');
  });
  it('splits lists on 、 ; ，', () => {
    const spec = { values: ['产业帮扶', '就业帮扶', '其他'], synonyms: { 产业: '产业帮扶' } };
    expect(normalizeList('产业帮扶、就业帮扶', spec)).toEqual({ value: ['产业帮扶', '就业帮扶'] });
    expect(normalizeList('产业;就业帮扶；产业帮扶', spec)).toEqual({ value: ['产业帮扶', '就业帮扶'] });
    expect(normalizeList('', spec)).toEqual({ value: [] });
    const r = normalizeList('产业帮扶，发钱', spec);
    expect(r.value).toEqual(['产业帮扶']);
    expect(r.unknown).toEqual(['发钱']);
    expect(r.problem?.code).toBe('BK_IMPORT_BAD_ENUM');
  });
});
