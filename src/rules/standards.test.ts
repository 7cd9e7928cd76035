import { describe, expect, it } from 'vitest';
import { DEFAULT_STANDARDS, STANDARD_KINDS, standardsInForce, validateStandard, type Standard } from './standards.ts';

const base: Standard[] = STANDARD_KINDS.map((kind) => ({ kind, regionPrefix: '', amount: 1, validFrom: '2000-01-01', validTo: null, source: '全国', version: 1 }));
const dibao = (regionPrefix: string, amount: number, validFrom: string, validTo: string | null, version = 1): Standard => ({
  kind: 'dibao_annual',
  regionPrefix,
  amount,
  validFrom,
  validTo,
  source: `${regionPrefix || '全国'} ${validFrom}`,
  version,
});

describe('standardsInForce', () => {
  const all = [...base, dibao('62', 7000, '2024-01-01', null), dibao('621200', 7920, '2024-01-01', '2025-01-01'), dibao('621200', 8280, '2025-01-01', null), dibao('6212', 7500, '2024-01-01', null)];

  it('the most specific prefix wins', () => {
    expect(standardsInForce(all, '621200001001', '2024-06-01').dibao_annual.amount).toBe(7920);
    expect(standardsInForce(all, '621201001001', '2024-06-01').dibao_annual.amount).toBe(7500);
    expect(standardsInForce(all, '620100001001', '2024-06-01').dibao_annual.amount).toBe(7000);
    expect(standardsInForce(all, '360727001001', '2024-06-01').dibao_annual.amount).toBe(1);
  });

  it('valid_from is inclusive, valid_to exclusive', () => {
    expect(standardsInForce(all, '621200001001', '2024-12-31').dibao_annual.amount).toBe(7920);
    expect(standardsInForce(all, '621200001001', '2025-01-01').dibao_annual.amount).toBe(8280);
    // before the county row starts, the province row (in force since 2024-01-01) is not yet valid either
    expect(standardsInForce(all, '621200001001', '2023-12-31').dibao_annual.amount).toBe(1);
    expect(standardsInForce(all, '621200001001', '2024-01-01').dibao_annual.amount).toBe(7920);
  });

  it('same prefix and date: the higher version wins', () => {
    const v = [...base, dibao('621200', 7920, '2024-01-01', null, 1), dibao('621200', 7999, '2024-01-01', null, 2)];
    expect(standardsInForce(v, '621200001001', '2024-06-01').dibao_annual.amount).toBe(7999);
  });

  it('cites the row it used', () => {
    const r = standardsInForce(all, '621200001001', '2024-06-01').dibao_annual;
    expect(r).toEqual({ kind: 'dibao_annual', amount: 7920, source: '621200 2024-01-01', validFrom: '2024-01-01', regionPrefix: '621200' });
  });

  it('a kind with no row in force is an error naming it', () => {
    expect(() => standardsInForce(base.filter((s) => s.kind !== 'rigid_share'), '621200001001', '2024-06-01')).toThrow(/rigid_share/);
  });

  it('defaults: 陇南 2024 values and a national fallback for every kind', () => {
    const ln = standardsInForce(DEFAULT_STANDARDS, '621200001001', '2024-03-31');
    expect(ln.dibao_annual.amount).toBe(7920);
    expect(ln.monitoring_line.amount).toBe(6900);
    expect(ln.edge_multiple.amount).toBe(1.5);
    expect(ln.tekun_multiple.amount).toBe(1.3);
    expect(ln.rigid_share.amount).toBe(0.5);
    expect(ln.deposit_months.amount).toBe(24);
    expect(ln.income_window_months.amount).toBe(12);
    expect(ln.basic_pension_monthly.amount).toBe(143);
    expect(() => standardsInForce(DEFAULT_STANDARDS, '110101001001', '2024-03-31')).not.toThrow();
  });

  it('validates rows', () => {
    expect(validateStandard(dibao('621200', 7920, '2024-01-01', null))).toEqual([]);
    expect(validateStandard({ ...dibao('62x', -1, '2024-13', '2023-01-01') }).length).toBeGreaterThanOrEqual(3);
    expect(validateStandard({ ...dibao('62', 1, '2024-01-01', '2024-01-01') })).toHaveLength(1);
  });
});
