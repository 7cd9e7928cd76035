/**
 * `binku evaluate FILE.csv` — the paper's four-group analysis
 * (../shared/formats/evaluation.md). `--make-sample OUT.csv` writes a
 * CFPS-shaped synthetic file instead (calibrated to the paper's Tables 2–3).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { BinkuError } from '../../domain/errors.ts';
import { evaluateCsvText } from '../../evaluate/evaluate.ts';
import { formatEvaluationText } from '../../evaluate/report-text.ts';
import { evaluationCsv, generateEvaluationSample } from '../../evaluate/synth.ts';
import { printJson } from '../context.ts';

interface EvaluateCliOptions {
  json?: boolean;
  povertyLine: string;
  caliper: string;
  dropIncomplete?: boolean;
  bootstrap: string;
  seed: string;
  vepWithGroups?: boolean;
  xlsx?: string;
  householdsOut?: string;
  makeSample?: string;
  sampleN: string;
}

function number(name: string, v: string, integer = false): number {
  const x = Number(v);
  if (v.trim() === '' || !Number.isFinite(x) || (integer && !Number.isInteger(x))) {
    throw new BinkuError('BK_EVALUATE_BAD_OPTION', `选项 --${name} 的值无效: ${v}`, { en: `invalid --${name}: ${v}` });
  }
  return x;
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate [file]')
    .description('四组比较评估 (VEP + 多项 Logit 倾向得分半径匹配)，输入格式见 evaluation.md')
    .option('--json', '输出 JSON')
    .option('--poverty-line <yuan>', '贫困线（元/人·年）', '4000')
    .option('--caliper <c>', '半径匹配卡尺（含边界）', '0.05')
    .option('--drop-incomplete', '跳过缺失或无效的行（在 excluded_rows 中列出）')
    .option('--bootstrap <n>', 'bootstrap 重复次数（增加 se_bootstrap）', '0')
    .option('--seed <s>', 'bootstrap / 样本生成的随机种子', '1')
    .option('--vep-with-groups', 'VEP 收入方程和方差方程中加入组别虚拟变量')
    .option('--xlsx <out>', '另存 XLSX 报告（描述统计、多项Logit、ATT、平衡性检验）')
    .option('--households-out <out>', '另存每户 VEP 与倾向得分（CSV）')
    .option('--make-sample <out>', '不做评估，改为生成 CFPS 形态的模拟数据 CSV')
    .option('--sample-n <n>', '--make-sample 的户数', '5891')
    .action(async (file: string | undefined, o: EvaluateCliOptions) => {
      if (o.makeSample) {
        const rows = generateEvaluationSample({ n: number('sample-n', o.sampleN, true), seed: number('seed', o.seed, true) });
        writeFileSync(o.makeSample, evaluationCsv(rows));
        if (o.json) printJson({ written: o.makeSample, n: rows.length });
        else process.stdout.write(`已生成模拟数据 ${rows.length} 户: ${o.makeSample}\n`);
        return;
      }
      if (!file) throw new BinkuError('BK_EVALUATE_BAD_OPTION', '请指定评估数据文件 FILE.csv（或用 --make-sample 生成）', { en: 'missing FILE.csv' });
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        throw new BinkuError('BK_EVALUATE_FILE', `无法读取文件: ${file}`, { en: `cannot read ${file}` });
      }
      const { report, households } = evaluateCsvText(text, {
        povertyLine: number('poverty-line', o.povertyLine),
        caliper: number('caliper', o.caliper),
        dropIncomplete: o.dropIncomplete ?? false,
        bootstrap: number('bootstrap', o.bootstrap, true),
        seed: number('seed', o.seed, true),
        vepWithGroups: o.vepWithGroups ?? false,
      });
      if (o.xlsx) {
        // exceljs is heavy to load; only when asked.
        const { evaluationWorkbook } = await import('../../evaluate/report-xlsx.ts');
        writeFileSync(o.xlsx, await evaluationWorkbook(report));
      }
      if (o.householdsOut) {
        writeFileSync(
          o.householdsOut,
          stringify(
            households.map((h) => [h.hh_id, h.group, h.vep, ...h.probs]),
            { header: true, columns: ['hh_id', 'group', 'vep', 'p_I', 'p_II', 'p_III', 'p_IV'] },
          ),
        );
      }
      if (o.json) printJson(report);
      else process.stdout.write(`${formatEvaluationText(report)}\n`);
    });
}
