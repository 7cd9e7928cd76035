/** `binku report coverage [--json]` — category counts and mutual coverage after the last merge. */
import type { Command } from 'commander';
import { coverageReport } from '../../link/coverage.ts';
import { REASON_LABELS } from '../../link/reasons.ts';
import { printJson, withDb } from '../context.ts';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('报表')
    .command('coverage')
    .description('各类别户数、人数与相互覆盖率')
    .option('--json', '输出 JSON')
    .option('--region <prefix>', '行政区划代码前缀（县/乡镇/村）')
    .action(async (o: { json?: boolean; region?: string }) => {
      const r = await withDb((h) => coverageReport(h.db, { regionPrefix: o.region }));
      if (o.json) return printJson(r);
      const lines = [
        `统一家庭 ${r.households.total}：II 仅防返贫 ${r.households.II}，III 仅低收入 ${r.households.III}，IV 两者 ${r.households.IV}`,
        `统一人员 ${r.persons.total}：II ${r.persons.II}，III ${r.persons.III}，IV ${r.persons.IV}`,
        `防返贫户 ${r.prm_households}，其中在低收入平台 ${pct(r.prm_in_lip_share)}；低收入家庭 ${r.lip_households}，其中在防返贫系统 ${pct(r.lip_in_prm_share)}`,
        `监测户 ${r.monitored_prm_households}，其中在低收入平台 ${pct(r.monitored_prm_in_lip_share)}`,
      ];
      for (const t of r.by_township) lines.push(`  ${t.name ?? t.code}: 防返贫户 ${t.prm_households}（覆盖 ${pct(t.prm_in_lip_share)}），低收入家庭 ${t.lip_households}（覆盖 ${pct(t.lip_in_prm_share)}）`);
      for (const cat of ['II', 'III'] as const) {
        const e = Object.entries(r.reasons[cat]);
        if (e.length) lines.push(`${cat} 类非重合原因: ${e.map(([k, v]) => `${REASON_LABELS[k] ?? k} ${v}`).join('；')}`);
      }
      if (!r.last_merge_at) lines.push('尚未进行并库比对（binku merge）');
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
