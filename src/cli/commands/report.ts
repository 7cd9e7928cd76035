import type { Command } from 'commander';
import { notImplemented } from '../../domain/errors.ts';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('报表')
    .command('coverage')
    .description('各类别户数、人数与相互覆盖率')
    .option('--json', '输出 JSON')
    .action(() => {
      throw notImplemented('report coverage');
    });
}
