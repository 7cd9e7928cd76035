import type { Command } from 'commander';
import { BinkuError } from '../../domain/errors.ts';
import { writeDemo } from '../../demo/write.ts';
import { printJson } from '../context.ts';

function positiveInt(raw: string, what: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new BinkuError('BK_DEMO_BAD_OPTION', `${what} 必须是正整数: ${raw}`, { en: `${what} must be a positive integer` });
  return n;
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('生成一个模拟县的导出文件 (prm.csv, lip.csv, feeds/*.csv) 和比对真值 truth.json')
    .requiredOption('--out <dir>', '输出目录')
    .option('--households <n>', '户数 (真实户, 含两系统都不在的户)', '2000')
    .option('--seed <s>', '随机种子', '1')
    .option('--json', '以 JSON 输出结果摘要')
    .action((opts: { out: string; households: string; seed: string; json?: boolean }) => {
      const households = positiveInt(opts.households, '--households');
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed)) throw new BinkuError('BK_DEMO_BAD_OPTION', `--seed 必须是整数: ${opts.seed}`, { en: '--seed must be an integer' });
      const t0 = performance.now();
      const { truth, files } = writeDemo(opts.out, { households, seed });
      const ms = Math.round(performance.now() - t0);
      const summary = { out: opts.out, seed, households, ms, files, counts: truth.counts, persons: truth.persons.length, traps: Object.fromEntries(truth.traps.map((t) => [t.kind, t.count])) };
      if (opts.json) printJson(summary);
      else {
        process.stdout.write(`已生成模拟县 ${truth.county.city}${truth.county.name} (种子 ${seed}, ${households} 户, 用时 ${ms} ms) → ${opts.out}\n`);
        for (const f of files) process.stdout.write(`  ${f.path}  ${f.bytes.toLocaleString('zh-CN')} 字节\n`);
        const c = truth.counts;
        process.stdout.write(`  PRM 户 ${c.prm_households}, LIP 家庭 ${c.lip_households}; 合并户 II=${c.households.II} III=${c.households.III} IV=${c.households.IV}\n`);
      }
    });
}
