/** Readable Chinese tables for the terminal (non-JSON mode of `binku evaluate`). */
import type { EvaluationReport } from './evaluate.ts';
import { DESCRIPTIVE_VARIABLES } from './evaluate.ts';
import { label } from './labels.ts';
import { GROUPS, OUTCOMES, TREATED_GROUPS } from './types.ts';

function table(rows: string[][]): string {
  const width = (s: string): number => [...s].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
  const cols = Math.max(...rows.map((r) => r.length));
  const ws = Array.from({ length: cols }, (_, c) => Math.max(...rows.map((r) => width(r[c] ?? ''))));
  return rows.map((r) => r.map((cell, c) => (c === 0 ? cell + ' '.repeat(ws[c]! - width(cell)) : ' '.repeat(ws[c]! - width(cell)) + cell)).join('  ')).join('\n');
}

const f = (x: number, d = 3): string => x.toFixed(d);

export function formatEvaluationText(rep: EvaluationReport): string {
  const out: string[] = [];
  out.push(`四组比较评估：样本 ${rep.n} 户，贫困线 ${rep.poverty_line} 元，卡尺 ${rep.caliper}${rep.excluded_rows.length ? `，剔除 ${rep.excluded_rows.length} 行` : ''}`);
  for (const w of rep.warnings) out.push(`注意: ${w}`);
  out.push('', '描述统计（表 2/表 3）');
  out.push(table([
    ['变量', ...GROUPS.map((g) => `${g} 类`)],
    ['样本量', ...GROUPS.map((g) => String(rep.groups[g].n))],
    ...DESCRIPTIVE_VARIABLES.map((v) => [label(v), ...GROUPS.map((g) => f(rep.groups[g].means[v] ?? 0, 2))]),
    [label('vep'), ...GROUPS.map((g) => f(rep.groups[g].vep_mean))],
    [label('wage_business_share'), ...GROUPS.map((g) => f(rep.groups[g].wage_business_share_mean))],
    [label('work_willing'), ...GROUPS.map((g) => f(rep.groups[g].work_willing_mean))],
  ]));
  const ml = rep.mlogit;
  out.push('', `多项 Logit：${ml.converged ? '已收敛' : '未收敛'}，迭代 ${ml.iterations} 次，对数似然 ${f(ml.log_likelihood, 2)}，伪 R² ${f(ml.pseudo_r2, 4)}`);
  out.push('', '平均处理效应 ATT（表 5；括号内为标准误）');
  out.push(table([
    ['', ...OUTCOMES.map(label), '共同支撑外'],
    ...TREATED_GROUPS.flatMap((g) => [
      [`${g} 类`, ...OUTCOMES.map((o) => `${f(rep.att[g][o].att)}${rep.att[g][o].stars}`), String(rep.off_support[g])],
      ['', ...OUTCOMES.map((o) => `(${f(rep.att[g][o].se)})${rep.att[g][o].se_bootstrap !== undefined ? ` [${f(rep.att[g][o].se_bootstrap!)}]` : ''}`), ''],
    ]),
  ]));
  if (rep.bootstrap) out.push(`方括号内为 bootstrap 标准误（${rep.bootstrap.replicates} 次，种子 ${rep.bootstrap.seed}）`);
  out.push('注：*p < 0.1, **p < 0.05, ***p < 0.01');
  out.push('', '匹配后平衡性检验（表 4）');
  out.push(table([
    ['变量', ...TREATED_GROUPS.flatMap((g) => [`${g} 处理组`, '控制组', '偏差%', 'p'])],
    ...rep.balance.II.map((row, i) => [label(row.variable), ...TREATED_GROUPS.flatMap((g) => {
      const x = rep.balance[g][i]!;
      const d = Math.abs(x.treated) >= 100 ? 0 : 2;
      return [f(x.treated, d), f(x.control, d), f(x.std_bias, 1), f(x.p, 3)];
    })]),
  ]));
  return out.join('\n');
}
