import { describe, expect, it } from 'vitest';
import type { LipIncomeInput, PrmIncomeInput } from '../rules/snapshot.ts';
import { harmonizeIncome, prmExcludedTransfers } from './income.ts';

const params = { basicPensionMonthly: 143, conflictShare: 0.2 };

const prm = (o: Partial<PrmIncomeInput> = {}): PrmIncomeInput => ({
  fileId: 'p',
  year: 2023,
  wage: 10000,
  businessGross: 5000,
  businessCost: 2000,
  property: 500,
  transfer: 6000,
  transferDibao: 2400,
  transferTekun: 0,
  transferPension: 3000,
  recordedTotal: 19500,
  recordedPerCapita: 6500,
  size: 3,
  elderly: 1,
  ...o,
});

const lip = (o: Partial<LipIncomeInput> = {}): LipIncomeInput => ({
  fileId: 'l',
  year: 2023,
  wage: 8000,
  businessNet: 3000,
  propertyNet: 384,
  transferNet: 4000,
  recordedTotal: 15384,
  recordedMonthlyPerCapita: null,
  benefitMonthly: 200,
  size: 3,
  elderly: 1,
  ...o,
});

describe('harmonizeIncome', () => {
  it('PRM 纯收入 = 工资 + (经营收入 − 经营支出) + 财产 + 转移', () => {
    const h = harmonizeIncome([prm()], null, params);
    // 10000 + (5000 − 2000) + 500 + 6000 = 19500; / 3 = 6500
    expect(h.prmBasis).toMatchObject({ total: 19500, perCapita: 6500, source: 'prm', year: 2023 });
    expect(h.flags).toEqual([]);
  });

  it('PRM → LIP basis removes 低保金, 特困金 and the basic-pension share', () => {
    // basic pension share = min(3000, 143 × 12 × 1) = 1716; excluded = 2400 + 0 + 1716 = 4116
    expect(prmExcludedTransfers(prm(), params)).toEqual({ dibao: 2400, tekun: 0, basicPension: 1716, total: 4116 });
    const h = harmonizeIncome([prm()], null, params);
    // (19500 − 4116) / 3 = 5128
    expect(h.lipBasis).toMatchObject({ total: 15384, perCapita: 5128, source: 'prm_converted' });
  });

  it('calendar year = ¾ PRM(N) + ¼ PRM(N+1) when both years exist', () => {
    const y24 = prm({ year: 2024, wage: 14000, recordedTotal: 23500, recordedPerCapita: null });
    const h = harmonizeIncome([prm(), y24], lip({ year: 2023, recordedTotal: null, wage: null, businessNet: null, propertyNet: null, transferNet: null, recordedMonthlyPerCapita: 400 }), params);
    // converted 2023 = 15384, 2024 = 23500 − 4116 = 19384; ¾·15384 + ¼·19384 = 16384
    const conv = 0.75 * 15384 + 0.25 * 19384;
    expect(conv).toBe(16384);
    // own LIP figure wins on its own basis: 400 × 12 × 3 = 14400
    expect(h.lipBasis).toMatchObject({ total: 14400, perCapita: 4800, source: 'lip' });
    expect(h.flags.map((f) => f.code)).not.toContain('period_mismatch');
    // 16384/3 = 5461.33 vs 4800: 12% apart, under the 20% tolerance
    expect(h.flags.map((f) => f.code)).not.toContain('conflicting_figures');
    // PRM basis uses the latest PRM year
    expect(h.prmBasis).toMatchObject({ total: 23500, year: 2024 });
    // with zero tolerance the comparison shows the converted calendar-year figure: 16384 / 3
    const strict = harmonizeIncome([prm(), y24], lip({ year: 2023, recordedTotal: null, wage: null, businessNet: null, propertyNet: null, transferNet: null, recordedMonthlyPerCapita: 400 }), { basicPensionMonthly: 143, conflictShare: 0 });
    expect(strict.flags.find((f) => f.code === 'conflicting_figures')?.details).toMatchObject({ lipPerCapita: 4800, prmConvertedPerCapita: 5461.33 });
  });

  it('only one PRM year next to an LIP year: period_mismatch', () => {
    const h = harmonizeIncome([prm()], lip(), params);
    expect(h.flags.map((f) => f.code)).toEqual(['period_mismatch']);
    expect(h.lipBasis).toMatchObject({ perCapita: 5128, source: 'lip' });
    expect(h.prmOriginal?.recordedTotal).toBe(19500);
    expect(h.lipOriginal?.recordedTotal).toBe(15384);
  });

  it('LIP → PRM basis adds assistance and the basic pension back', () => {
    const h = harmonizeIncome([], lip(), params);
    // 15384 + 200 × 12 + 143 × 12 × 1 = 15384 + 2400 + 1716 = 19500; / 3 = 6500
    expect(h.prmBasis).toMatchObject({ total: 19500, perCapita: 6500, source: 'lip_converted' });
    expect(h.lipBasis).toMatchObject({ perCapita: 5128, source: 'lip' });
  });

  it('flags recorded totals that disagree with their parts', () => {
    const h = harmonizeIncome([prm({ recordedTotal: 20000 })], lip({ recordedTotal: 15000 }), params);
    const codes = h.flags.filter((f) => f.code === 'conflicting_figures').map((f) => (f.details as { system?: string }).system);
    expect(codes).toEqual(['prm', 'lip']);
  });

  it('flags PRM and LIP differing by more than the tolerated share', () => {
    // LIP 3 × 3000 = 9000 vs PRM converted 5128 per capita: (5128 − 3000) / 5128 = 41% > 20%
    const h = harmonizeIncome([prm()], lip({ wage: 1616, businessNet: 3000, propertyNet: 384, transferNet: 4000, recordedTotal: 9000 }), params);
    const f = h.flags.find((x) => x.code === 'conflicting_figures' && 'lipPerCapita' in (x.details ?? {}));
    expect(f?.details).toMatchObject({ lipPerCapita: 3000, prmConvertedPerCapita: 5128 });
  });

  it('no income anywhere: missing_income, both bases null', () => {
    const none = prm({ wage: null, businessGross: null, businessCost: null, property: null, transfer: null, recordedTotal: null, recordedPerCapita: null });
    const h = harmonizeIncome([none], null, params);
    expect(h.prmBasis).toBeNull();
    expect(h.lipBasis).toBeNull();
    expect(h.flags.map((f) => f.code)).toEqual(['missing_income']);
  });
});
