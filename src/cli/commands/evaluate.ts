import type { Command } from 'commander';
import { notImplemented } from '../../domain/errors.ts';

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate <file>')
    .description('四组比较评估 (VEP + 多项倾向得分匹配)')
    .option('--json', '输出 JSON')
    .action(() => {
      throw notImplemented('evaluate');
    });
}
