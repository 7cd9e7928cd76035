/**
 * `binku rules check [--household ID] [--json]` — unified identification with
 * reasons for one or all households; `binku standards export|import FILE.xlsx`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { BinkuError } from '../../domain/errors.ts';
import { identify, LIP_CATEGORY_LABELS, ruleSummary, type Identification } from '../../rules/identify.ts';
import { RULE_IDS } from '../../rules/rules.ts';
import { standardsInForce } from '../../rules/standards.ts';
import { standardsFromXlsx, standardsToXlsx } from '../../rules/standards-xlsx.ts';
import { listStandards, loadSnapshots, saveStandards } from '../../rules/store.ts';
import { printJson, progress, withDb } from '../context.ts';

interface CheckOpts {
  household?: string;
  county?: string;
  asOf?: string;
  json?: boolean;
}

function currentText(id: Identification): string {
  const prm = id.current.prm ? `${id.current.prm.householdType ?? '—'}${id.current.prm.monitoringCategory ? `/${id.current.prm.monitoringCategory}` : ''}${id.current.prm.riskCleared ? '(已消除)' : ''}` : '—';
  const lip = id.current.lip ? `${id.current.lip.personCategory ?? '—'}(${id.current.lip.assistanceStatus ?? ''})` : '—';
  return `防返贫: ${prm}；民政: ${lip}`;
}

function detailText(id: Identification): string {
  const lines = [
    `统一家庭 ${id.householdId}  ${id.township ?? ''}${id.village ?? ''} (${id.regionCode})  认定日期 ${id.asOf}`,
    `现状  ${currentText(id)}`,
    `统一口径  民政类别: ${LIP_CATEGORY_LABELS[id.unified.lipCategory]}${id.unified.pending.length ? ` (待核实: ${id.unified.pending.join(', ')})` : ''}；防返贫: ${id.unified.prmType ?? (id.unified.prmMonitoring === 'unknown' ? '待核实' : '非监测对象')}`,
    '规则:',
    ...RULE_IDS.map((r) => `  - ${ruleSummary(id.results, r)}`),
  ];
  if (id.differences.length) lines.push('差异:', ...id.differences.map((d) => `  * [${d.severity}] ${d.message}`));
  return lines.join('\n');
}

export function registerRules(program: Command): void {
  const rules = program.command('rules').description('统一认定规则');
  rules
    .command('check')
    .description('按统一标准认定：各规则结论与理由、两系统现状与差异')
    .option('--household <id>', '只看一个统一家庭')
    .option('--county <code>', '只看一个县（6位代码）')
    .option('--as-of <date>', '认定日期 (YYYY-MM-DD)，默认数据中最近的部门事件或收入年度末')
    .option('--json', '输出 JSON')
    .action(async (o: CheckOpts) => {
      await withDb(async (h) => {
        const std = await listStandards(h.db);
        const snaps = await loadSnapshots(h.db, { householdId: o.household, countyCode: o.county, asOf: o.asOf }, std);
        if (o.household && snaps.length === 0) throw new BinkuError('BK_LINK_HOUSEHOLD_NOT_FOUND', `统一家庭不存在: ${o.household}（可能需要先运行 binku merge）`, { status: 404 });
        const tick = progress('认定');
        const ids = snaps.map((s, i) => {
          tick(i + 1, snaps.length);
          return identify(s, standardsInForce(std, s.regionCode, s.asOf));
        });
        if (o.json) {
          if (o.household) return printJson(ids[0]);
          return printJson({ households: ids.length, identifications: ids.map(({ standards: _s, ...rest }) => rest) });
        }
        if (o.household) {
          process.stdout.write(`${detailText(ids[0])}\n`);
          return;
        }
        const count = (f: (i: Identification) => string): string => {
          const m = new Map<string, number>();
          for (const i of ids) m.set(f(i), (m.get(f(i)) ?? 0) + 1);
          return [...m.entries()].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join('，');
        };
        const lines = [
          `统一家庭 ${ids.length} 户`,
          `民政类别(统一口径): ${count((i) => LIP_CATEGORY_LABELS[i.unified.lipCategory])}`,
          `防返贫(统一口径): ${count((i) => i.unified.prmType ?? (i.unified.prmMonitoring === 'unknown' ? '待核实' : '非监测对象'))}`,
          `差异: ${count((i) => (i.differences.filter((d) => d.code !== 'INCOME_FLAG').length ? i.differences.filter((d) => d.code !== 'INCOME_FLAG').map((d) => d.code).join('+') : '无'))}`,
          '',
          '有差异的家庭:',
        ];
        for (const i of ids) {
          const diffs = i.differences.filter((d) => d.code !== 'INCOME_FLAG');
          if (diffs.length) lines.push(`${i.householdId}  ${i.township ?? ''}  ${diffs.map((d) => d.message).join(' | ')}`);
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });

  const standards = program.command('standards').description('标准（低保标准、监测标准等，按地区与日期版本化）');
  standards
    .command('export <file>')
    .description('导出全部标准为 XLSX（中文表头）')
    .action(async (file: string) => {
      await withDb(async (h) => {
        const rows = await listStandards(h.db);
        writeFileSync(file, await standardsToXlsx(rows));
        process.stdout.write(`已导出 ${rows.length} 条标准到 ${file}\n`);
      });
    });
  standards
    .command('import <file>')
    .description('从 XLSX 导入标准（改动的行保存为新版本，原有版本保留）')
    .option('--json', '输出 JSON')
    .option('--by <user>', '记录导入人', 'cli')
    .action(async (file: string, o: { json?: boolean; by: string }) => {
      const rows = await standardsFromXlsx(readFileSync(file));
      const r = await withDb((h) => saveStandards(h.db, rows, o.by));
      if (o.json) return printJson(r);
      process.stdout.write(`导入完成: 新增 ${r.inserted} 条，未变化 ${r.unchanged} 条\n`);
    });
}
