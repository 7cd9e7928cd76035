/**
 * XLSX report in the paper's layout with Chinese headers: 描述统计 (Tables
 * 2–3), 多项Logit, ATT (Table 5: coefficient with stars, SE in parentheses
 * below), 平衡性检验 (Table 4). Returns the file bytes; writing is the caller's.
 */
import ExcelJS from 'exceljs';
import type { EvaluationReport } from './evaluate.ts';
import { DESCRIPTIVE_VARIABLES } from './evaluate.ts';
import { GROUP_LABELS, label } from './labels.ts';
import { GROUPS, OUTCOMES, TREATED_GROUPS } from './types.ts';

const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const r2 = (x: number): number => Math.round(x * 100) / 100;

export async function evaluationWorkbook(rep: EvaluationReport): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'binku';
  const bold = { bold: true };

  const d = wb.addWorksheet('描述统计');
  d.addRow([`表 2 四类对象的描述性统计表（N=${rep.n}）`]).font = bold;
  d.addRow(['变量', ...GROUPS.map((g) => `${g} 类`)]).font = bold;
  d.addRow(['样本量', ...GROUPS.map((g) => rep.groups[g].n)]);
  for (const v of DESCRIPTIVE_VARIABLES) d.addRow([label(v), ...GROUPS.map((g) => r2(rep.groups[g].means[v] ?? 0))]);
  d.addRow([]);
  d.addRow(['表 3 四类对象在关键因变量上的比较']).font = bold;
  d.addRow(['变量', ...GROUPS.map((g) => `${g} 类`)]).font = bold;
  d.addRow([label('vep'), ...GROUPS.map((g) => r3(rep.groups[g].vep_mean))]);
  d.addRow([label('wage_business_share'), ...GROUPS.map((g) => r3(rep.groups[g].wage_business_share_mean))]);
  d.addRow([`${label('work_willing')}（%）`, ...GROUPS.map((g) => r2(rep.groups[g].work_willing_mean * 100))]);
  d.addRow([]);
  d.addRow([`贫困线 ${rep.poverty_line} 元/人·年；卡尺 ${rep.caliper}；剔除行数 ${rep.excluded_rows.length}`]);
  for (const w of rep.warnings) d.addRow([`注意: ${w}`]);
  d.getColumn(1).width = 28;

  const m = wb.addWorksheet('多项Logit');
  m.addRow(['多项 Logit 模型（基准组：I 类）']).font = bold;
  m.addRow(['变量', ...TREATED_GROUPS.flatMap((g) => [`${g} 类 系数`, '标准误', 'p 值'])]).font = bold;
  const coefs = rep.mlogit.coefficients;
  coefs.II.forEach((row, a) => {
    m.addRow([label(row.variable), ...TREATED_GROUPS.flatMap((g) => [coefs[g][a]!.coef, coefs[g][a]!.se, coefs[g][a]!.p])]);
  });
  m.addRow([]);
  m.addRow(['样本量', rep.mlogit.n]);
  m.addRow(['对数似然值', rep.mlogit.log_likelihood]);
  m.addRow(['伪 R²（McFadden）', rep.mlogit.pseudo_r2]);
  m.addRow(['迭代次数', rep.mlogit.iterations]);
  m.addRow(['是否收敛', rep.mlogit.converged ? '是' : '否']);
  m.getColumn(1).width = 24;
  for (let c = 2; c <= 10; c++) {
    m.getColumn(c).numFmt = (c - 1) % 3 === 0 ? '0.000' : '0.0000';
    m.getColumn(c).width = 12;
  }

  const a = wb.addWorksheet('ATT');
  a.addRow(['表 5 倾向得分匹配情况（ATT）']).font = bold;
  a.addRow(['', ...OUTCOMES.map(label)]).font = bold;
  for (const g of TREATED_GROUPS) {
    a.addRow([`${g} 类`, ...OUTCOMES.map((o) => `${rep.att[g][o].att.toFixed(3)}${rep.att[g][o].stars}`)]);
    a.addRow(['', ...OUTCOMES.map((o) => `(${rep.att[g][o].se.toFixed(3)})`)]);
    if (rep.att[g].vep.se_bootstrap !== undefined) a.addRow(['bootstrap 标准误', ...OUTCOMES.map((o) => `[${(rep.att[g][o].se_bootstrap ?? 0).toFixed(3)}]`)]);
  }
  a.addRow(['注：*p < 0.1, **p < 0.05, ***p < 0.01；括号内为标准误（psmatch2 近似）。']);
  a.addRow([]);
  a.addRow(['处理组', '因变量', 'ATT', '标准误', 'bootstrap 标准误', '95% 置信区间下限', '95% 置信区间上限', '处理组（共同支撑）', '匹配控制组', '未匹配（共同支撑外）']).font = bold;
  for (const g of TREATED_GROUPS) for (const o of OUTCOMES) {
    const c = rep.att[g][o];
    a.addRow([GROUP_LABELS[g], label(o), c.att, c.se, c.se_bootstrap ?? '', c.ci_low, c.ci_high, c.n_treated, c.n_matched_controls, rep.off_support[g]]);
  }
  a.getColumn(1).width = 24;
  for (let c = 3; c <= 7; c++) a.getColumn(c).numFmt = '0.0000';
  for (let c = 2; c <= 10; c++) a.getColumn(c).width = Math.max(a.getColumn(c).width ?? 0, 16);

  const b = wb.addWorksheet('平衡性检验');
  b.addRow(['表 4 匹配后控制组与处理组情况对比']).font = bold;
  b.addRow(['变量', ...TREATED_GROUPS.flatMap((g) => [`${g} 类 处理组`, '控制组', '标准化偏差（%）', 'p 值'])]).font = bold;
  rep.balance.II.forEach((row, i) => {
    b.addRow([label(row.variable), ...TREATED_GROUPS.flatMap((g) => {
      const x = rep.balance[g][i]!;
      return [x.treated, x.control, r2(x.std_bias), x.p];
    })]);
  });
  b.getColumn(1).width = 24;
  for (let c = 2; c <= 13; c++) {
    b.getColumn(c).numFmt = (c - 1) % 4 === 0 ? '0.000' : '0.00';
    b.getColumn(c).width = 13;
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
