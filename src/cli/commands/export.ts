import type { Command } from 'commander';
import { notImplemented } from '../../domain/errors.ts';

export function registerExport(program: Command): void {
  program
    .command('export')
    .description('导出')
    .command('households')
    .description('每个并库家庭配对一行 (CSV)')
    .requiredOption('--out <file>', '输出文件')
    .action(() => {
      throw notImplemented('export households');
    });
}
