import type { Command } from 'commander';
import { notImplemented } from '../../domain/errors.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('生成一个模拟县的导出文件 (prm.csv, lip.csv, feeds/*.csv)')
    .requiredOption('--out <dir>', '输出目录')
    .option('--households <n>', '户数', '2000')
    .option('--seed <s>', '随机种子', '1')
    .action(() => {
      throw notImplemented('demo');
    });
}
