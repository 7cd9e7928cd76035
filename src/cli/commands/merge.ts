import type { Command } from 'commander';
import { notImplemented } from '../../domain/errors.ts';

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('并库比对：关联两系统的人员与家庭，划分 II/III/IV 类')
    .option('--json', '输出 JSON')
    .action(() => {
      throw notImplemented('merge');
    });
}
