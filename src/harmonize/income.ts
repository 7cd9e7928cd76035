/**
 * Income on both bases for one household (收入口径统一), per ../shared/RULES.md:
 *
 * PRM 纯收入 (income year N = Oct N−1 … Sep N)
 *   computed = 工资性 + (生产经营性收入 − 生产经营性支出) + 财产性 + 转移性
 *   It includes 低保金, 特困供养金 and pensions.
 * LIP 可支配收入 (calendar year), 低保 test basis
 *   computed = 工资性 + 经营净 + 财产净 + 转移净; assistance and the basic pension are not in it.
 *
 * PRM → LIP basis: PRM total − 其中:低保金 − 其中:特困供养金 − basic-pension
 *   share, where the basic-pension share = min(其中:养老金, basic_pension_monthly
 *   × 12 × members aged ≥ 60). Per capita over the PRM household.
 * LIP → PRM basis: LIP total + assistance received (保障金额 × 12 when 在保) +
 *   basic pension (basic_pension_monthly × 12 × members aged ≥ 60). An
 *   approximation (转移性支出 already netted in LIP cannot be added back).
 * Period: calendar year C ≈ ¾·PRM(C) + ¼·PRM(C+1) when both PRM years exist;
 *   otherwise the one PRM year available is used and `period_mismatch` is flagged
 *   whenever its year differs from the calendar year it is compared with (a PRM
 *   year always straddles two calendar years, so a lone PRM year next to an LIP
 *   year is flagged).
 * Each system's own figure is preferred on its own basis; the converted figure is
 * used only when that system has no record. Both originals are kept.
 * Flags: `conflicting_figures` when a recorded total differs from the sum of its
 * parts by more than 1 yuan (or the recorded per-capita from total/size by more
 * than 1 yuan), or PRM and LIP differ on the same basis by more than
 * `conflict_share`; `missing_income` when neither side has income.
 * Pure.
 */
import type { HarmonizedIncome, IncomeFigure, IncomeFlag, LipIncomeInput, PrmIncomeInput } from '../rules/snapshot.ts';

export interface IncomeParams {
  basicPensionMonthly: number;
  conflictShare: number;
}

const TOL = 1; // yuan, rounding slack for recorded vs computed
const round2 = (n: number): number => Math.round(n * 100) / 100;

function sumKnown(parts: (number | null)[]): number | null {
  if (parts.every((p) => p === null)) return null;
  return parts.reduce<number>((a, p) => a + (p ?? 0), 0);
}

/** PRM 纯收入 total: computed from parts when any part is present, else the recorded total. */
export function prmNetTotal(p: PrmIncomeInput): number | null {
  const business = p.businessGross === null && p.businessCost === null ? null : (p.businessGross ?? 0) - (p.businessCost ?? 0);
  const computed = sumKnown([p.wage, business, p.property, p.transfer]);
  if (computed !== null) return computed;
  if (p.recordedTotal !== null) return p.recordedTotal;
  if (p.recordedPerCapita !== null && p.size > 0) return p.recordedPerCapita * p.size;
  return null;
}

export function lipDisposableTotal(l: LipIncomeInput): number | null {
  const computed = sumKnown([l.wage, l.businessNet, l.propertyNet, l.transferNet]);
  if (computed !== null) return computed;
  if (l.recordedTotal !== null) return l.recordedTotal;
  if (l.recordedMonthlyPerCapita !== null && l.size > 0) return l.recordedMonthlyPerCapita * 12 * l.size;
  return null;
}

/** The excluded transfers inside a PRM total (低保金, 特困金, basic-pension share). */
export function prmExcludedTransfers(p: PrmIncomeInput, params: IncomeParams): { dibao: number; tekun: number; basicPension: number; total: number } {
  const dibao = p.transferDibao ?? 0;
  const tekun = p.transferTekun ?? 0;
  const basicPension = Math.min(p.transferPension ?? 0, params.basicPensionMonthly * 12 * p.elderly);
  return { dibao, tekun, basicPension, total: dibao + tekun + basicPension };
}

export function harmonizeIncome(prmYears: PrmIncomeInput[], lip: LipIncomeInput | null, params: IncomeParams): HarmonizedIncome {
  const flags: IncomeFlag[] = [];
  const prmSorted = [...prmYears].filter((p) => prmNetTotal(p) !== null).sort((a, b) => (b.year ?? 0) - (a.year ?? 0));
  const prm = prmSorted[0] ?? prmYears[0] ?? null; // latest PRM year = the PRM original

  for (const p of prmYears) {
    const business = p.businessGross === null && p.businessCost === null ? null : (p.businessGross ?? 0) - (p.businessCost ?? 0);
    const computed = sumKnown([p.wage, business, p.property, p.transfer]);
    if (computed !== null && p.recordedTotal !== null && Math.abs(computed - p.recordedTotal) > TOL)
      flags.push({ code: 'conflicting_figures', message: `防返贫系统 ${p.year ?? ''} 年家庭年纯收入记录 ${p.recordedTotal} 元与各项收入合计 ${round2(computed)} 元不一致`, details: { system: 'prm', year: p.year, recorded: p.recordedTotal, computed: round2(computed) } });
    const total = prmNetTotal(p);
    if (total !== null && p.recordedPerCapita !== null && p.size > 0 && Math.abs(total / p.size - p.recordedPerCapita) > TOL)
      flags.push({ code: 'conflicting_figures', message: `防返贫系统人均纯收入记录 ${p.recordedPerCapita} 元与 家庭纯收入/成员数 ${round2(total / p.size)} 元不一致`, details: { system: 'prm', year: p.year, recorded: p.recordedPerCapita, computed: round2(total / p.size), size: p.size } });
  }
  if (lip) {
    const computed = sumKnown([lip.wage, lip.businessNet, lip.propertyNet, lip.transferNet]);
    if (computed !== null && lip.recordedTotal !== null && Math.abs(computed - lip.recordedTotal) > TOL)
      flags.push({ code: 'conflicting_figures', message: `民政平台家庭年可支配收入记录 ${lip.recordedTotal} 元与各项收入合计 ${round2(computed)} 元不一致`, details: { system: 'lip', year: lip.year, recorded: lip.recordedTotal, computed: round2(computed) } });
    const total = lipDisposableTotal(lip);
    if (total !== null && lip.recordedMonthlyPerCapita !== null && lip.size > 0 && Math.abs((total / lip.size) / 12 - lip.recordedMonthlyPerCapita) > TOL)
      flags.push({ code: 'conflicting_figures', message: `民政平台月人均收入记录 ${lip.recordedMonthlyPerCapita} 元与 年收入/12/人数 ${round2(total / lip.size / 12)} 元不一致`, details: { system: 'lip', recorded: lip.recordedMonthlyPerCapita, computed: round2(total / lip.size / 12), size: lip.size } });
  }

  // ---- PRM basis
  let prmBasis: IncomeFigure | null = null;
  const prmTotal = prm ? prmNetTotal(prm) : null;
  if (prm && prmTotal !== null && prm.size > 0) {
    prmBasis = { perCapita: round2(prmTotal / prm.size), total: round2(prmTotal), size: prm.size, source: 'prm', year: prm.year, method: `防返贫系统 ${prm.year ?? ''} 收入年度(上年10月—当年9月)纯收入 ÷ ${prm.size} 人` };
  }
  const lipTotal = lip ? lipDisposableTotal(lip) : null;
  if (!prmBasis && lip && lipTotal !== null && lip.size > 0) {
    const assistance = (lip.benefitMonthly ?? 0) * 12;
    const pension = params.basicPensionMonthly * 12 * lip.elderly;
    const t = lipTotal + assistance + pension;
    prmBasis = {
      perCapita: round2(t / lip.size),
      total: round2(t),
      size: lip.size,
      source: 'lip_converted',
      year: lip.year,
      method: `民政可支配收入 ${round2(lipTotal)} + 救助金 ${assistance} + 基础养老金 ${pension}(${lip.elderly} 名60岁以上) ÷ ${lip.size} 人 (口径换算)`,
    };
  }

  // ---- LIP basis
  let lipBasis: IncomeFigure | null = null;
  if (lip && lipTotal !== null && lip.size > 0) {
    lipBasis = { perCapita: round2(lipTotal / lip.size), total: round2(lipTotal), size: lip.size, source: 'lip', year: lip.year, method: `民政平台 ${lip.year ?? ''} 年度可支配收入 ÷ ${lip.size} 人` };
  }
  // PRM converted to the LIP basis, on the calendar year of the LIP record (or PRM's own year).
  let prmOnLip: IncomeFigure | null = null;
  if (prm && prmTotal !== null && prm.size > 0) {
    const targetYear = lip?.year ?? prm.year;
    const byYear = new Map(prmSorted.map((p) => [p.year, p]));
    const a = targetYear !== null ? byYear.get(targetYear) : undefined;
    const b = targetYear !== null ? byYear.get(targetYear + 1) : undefined;
    const converted = (p: PrmIncomeInput): number => (prmNetTotal(p) ?? 0) - prmExcludedTransfers(p, params).total;
    let t: number;
    let method: string;
    if (a && b && a.size > 0 && b.size > 0) {
      t = 0.75 * converted(a) + 0.25 * converted(b);
      method = `¾ × 防返贫 ${a.year} 年度 + ¼ × ${b.year} 年度 纯收入，扣除低保金、特困供养金、基础养老金`;
    } else {
      const use = a ?? prm;
      t = converted(use);
      method = `防返贫 ${use.year ?? ''} 收入年度纯收入，扣除低保金、特困供养金、基础养老金 ${round2(prmExcludedTransfers(use, params).total)} 元`;
      if (lip && lip.year !== null) {
        flags.push({
          code: 'period_mismatch',
          message: `防返贫收入年度 ${use.year ?? '不详'}(上年10月—当年9月)与民政统计年度 ${lip.year}(自然年)不一致，只有一个防返贫年度可用`,
          details: { prmYear: use.year, lipYear: lip.year },
        });
      }
    }
    const size = (a ?? prm).size;
    prmOnLip = { perCapita: round2(t / size), total: round2(t), size, source: 'prm_converted', year: targetYear, method };
  }
  if (!lipBasis && prmOnLip) lipBasis = prmOnLip;

  // Same basis, both systems: conflict beyond the tolerated share.
  if (lip && lipTotal !== null && lip.size > 0 && prmOnLip) {
    const a = lipTotal / lip.size;
    const b = prmOnLip.perCapita;
    const base = Math.max(Math.abs(a), Math.abs(b));
    if (base > 0 && Math.abs(a - b) / base > params.conflictShare) {
      flags.push({
        code: 'conflicting_figures',
        message: `同一口径下两系统人均收入相差超过 ${params.conflictShare * 100}%：民政 ${round2(a)} 元，防返贫换算 ${round2(b)} 元`,
        details: { lipPerCapita: round2(a), prmConvertedPerCapita: round2(b), share: params.conflictShare },
      });
    }
  }
  if (!prmBasis && !lipBasis) flags.push({ code: 'missing_income', message: '两个系统都没有可用的收入数据' });

  return { prmBasis, lipBasis, prmOriginal: prm, lipOriginal: lip, flags };
}
