/** `binku whatif --standards FILE [--json]` — 统一标准测算 on the merged households. */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { DEFAULT_RULES_CONFIG } from '../../rules/config.ts';
import { LIP_CATEGORY_LABELS } from '../../rules/identify.ts';
import { standardsFromJson, standardsFromXlsx } from '../../rules/standards-xlsx.ts';
import { listStandards, loadSnapshots } from '../../rules/store.ts';
import { whatIf } from '../../evaluate/whatif.ts';
import { printJson, progress, withDb } from '../context.ts';

const pct = (x: number | null): string => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const yuan = (x: number): string => `${Math.round(x).toLocaleString('zh-CN')} 元`;

export function registerWhatif(program: Command): void {
  program
    .command('whatif')
    .description('统一标准测算：换一套标准后类别变化（户/人、分乡镇）、低保/特困/低边年度资金、覆盖率')
    .requiredOption('--standards <file>', '测算标准 (.xlsx 同 standards export 格式，或 .json: 标准数组 / {overrides: {标准代码: 数值}})')
    .option('--county <code>', '只测算一个县（6位代码）')
    .option('--as-of <date>', '认定日期 (YYYY-MM-DD)')
    .option('--assume-assets', '缺少资产信息时按符合规定处理（防返贫户通常无资产数据）')
    .option('--json', '输出 JSON')
    .action(async (o: { standards: string; county?: string; asOf?: string; assumeAssets?: boolean; json?: boolean }) => {
      const bytes = readFileSync(o.standards);
      const scenario = /\.json$/i.test(o.standards) ? standardsFromJson(JSON.parse(bytes.toString('utf8'))) : await standardsFromXlsx(bytes);
      const w = await withDb(async (h) => {
        const std = await listStandards(h.db);
        const snaps = await loadSnapshots(h.db, { countyCode: o.county, asOf: o.asOf }, std);
        const tick = progress('测算');
        return whatIf(snaps, std, scenario, { cfg: o.assumeAssets ? { ...DEFAULT_RULES_CONFIG, missingAssets: 'within_limits' } : DEFAULT_RULES_CONFIG, onProgress: tick });
      });
      if (o.json) return printJson(w);
      const lines = [
        `测算 ${w.households} 户 ${w.persons} 人；标准变化: ${w.changedStandards.map((c) => `${c.kind} ${c.before} → ${c.after}`).join('，') || '无'}`,
        `类别变化 ${w.changedHouseholds} 户 ${w.changedPersons} 人`,
        '类别 (户，现行 → 测算):',
        ...w.categoryCounts.filter((c) => c.before || c.after).map((c) => `  ${c.label}: ${c.before} → ${c.after}`),
        `  防返贫监测对象: ${w.prmMonitoring.before} → ${w.prmMonitoring.after}`,
        '变化明细 (原类别 → 新类别: 户/人):',
        ...w.matrix.filter((c) => c.from !== c.to).map((c) => `  ${LIP_CATEGORY_LABELS[c.from]} → ${LIP_CATEGORY_LABELS[c.to]}: ${c.households} 户 / ${c.persons} 人`),
        `年度资金: 现行 ${yuan(w.budget.before.total)} → 测算 ${yuan(w.budget.after.total)} (变化 ${yuan(w.budget.delta)})`,
        `  低保 ${yuan(w.budget.before.dibao)} → ${yuan(w.budget.after.dibao)}；单人保 ${yuan(w.budget.before.dibao_single)} → ${yuan(w.budget.after.dibao_single)}；特困 ${yuan(w.budget.before.tekun)} → ${yuan(w.budget.after.tekun)}；低边 ${yuan(w.budget.before.dibao_edge)} → ${yuan(w.budget.after.dibao_edge)}`,
        `  (民政导出现有保障金额合计 ${yuan(w.currentPaymentsRecorded)}/年；资金模型: ${w.budget.model})`,
        `防返贫监测对象被民政低收入人口覆盖: 现状 ${pct(w.coverage.current.share)} (${w.coverage.current.covered}/${w.coverage.current.monitored})，统一口径现行标准 ${pct(w.coverage.before.share)} → 测算 ${pct(w.coverage.after.share)} (${w.coverage.after.covered}/${w.coverage.after.monitored})`,
        '分乡镇:',
        ...w.byTownship.map((t) => `  ${t.township}: ${t.households} 户，变化 ${t.changedHouseholds} 户 ${t.changedPersons} 人，资金 ${yuan(t.budgetBefore)} → ${yuan(t.budgetAfter)}，覆盖率 ${pct(t.coverageBefore.share)} → ${pct(t.coverageAfter.share)}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
