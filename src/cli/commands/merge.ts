/** `binku merge` — 并库比对 of every county with current imports. */
import type { Command } from 'commander';
import { mergeAll } from '../../link/merge.ts';
import { printJson, progress, withDb } from '../context.ts';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('并库比对：关联两系统的人员与家庭，划分 II/III/IV 类')
    .option('--json', '输出 JSON')
    .option('--county <code>', '只比对一个县（6位代码）')
    .option('--force', '输入未变化也重新比对')
    .action(async (o: { json?: boolean; county?: string; force?: boolean }) => {
      const tick = progress('比对县');
      const s = await withDb((h) => mergeAll(h.db, { countyCode: o.county, force: o.force, startedBy: 'cli', onProgress: (_c, d, t) => tick(d, t) }));
      if (o.json) return printJson(s);
      const lines = [`并库比对完成（${s.counties.length} 个县，${(s.ms / 1000).toFixed(1)} 秒，批次 ${s.run_id}）`];
      for (const c of s.counties) {
        const st = c.status === 'skipped_unchanged' ? '（数据未变化，沿用上次结果）' : '';
        lines.push(
          `县 ${c.county_code}${st}: 防返贫记录 ${c.prm_records}，低收入记录 ${c.lip_records}，统一人员 ${c.persons}；` +
            `统一家庭 ${c.households.total}（II 仅防返贫 ${c.households.II}，III 仅低收入 ${c.households.III}，IV 两者 ${c.households.IV}），配对 ${c.pairings}，待复核 ${c.review_pending}`,
        );
        lines.push(`  关联方式: ${Object.entries(c.methods).map(([k, v]) => `${k} ${v}`).join('，')}`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
