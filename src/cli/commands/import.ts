import type { Command } from 'commander';
import { notImplemented } from '../../domain/errors.ts';

export function registerImport(program: Command): void {
  program
    .command('import <system> <file>')
    .description('导入一个导出文件：prm（防返贫监测）、lip（低收入人口）或 feed（部门数据）')
    .option('--json', '输出 JSON')
    .action(() => {
      throw notImplemented('import');
    });
}
