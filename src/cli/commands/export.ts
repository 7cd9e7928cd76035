/** `binku export households --out FILE.csv` — one row per pairing plus unpaired households (outputs.md). */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { exportHouseholdsCsv } from '../../link/export.ts';
import { withDb } from '../context.ts';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('导出')
    .command('households')
    .description('每个并库家庭配对一行 (CSV)')
    .requiredOption('--out <file>', '输出文件')
    .option('--region <prefix>', '行政区划代码前缀')
    .action(async (o: { out: string; region?: string }) => {
      const csv = await withDb((h) => exportHouseholdsCsv(h.db, { regionPrefix: o.region }));
      await writeFile(o.out, csv);
      process.stderr.write(`已导出 ${csv.split('\n').length - 2} 行到 ${o.out}\n`);
    });
}
