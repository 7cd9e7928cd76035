/**
 * `binku pseudonymize FILE --out FILE` —假名化: replaces the ID-number columns
 * of a PRM/LIP/feed export with HMAC-SHA256(BINKU_SECRET, normalized ID), so
 * two offices holding the same key can match records without exchanging raw
 * ID numbers. Names are masked and contact columns blanked unless asked.
 */
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import type { Command } from 'commander';
import { config } from '../../config.ts';
import { BinkuError } from '../../domain/errors.ts';
import { maskName } from '../../domain/id-number.ts';
import { openTable } from '../../formats/rows.ts';
import { planColumns, pseudonymizeRow } from '../../auth/pseudonymize.ts';

export async function pseudonymizeFile(input: string, output: string, key: string, opts: { keepNames?: boolean } = {}): Promise<{ rows: number; idColumns: string[] }> {
  const table = await openTable(createReadStream(input));
  const plan = planColumns(table.headerNames);
  if (plan.id.length === 0) {
    throw new BinkuError('BK_AUTH_NO_ID_COLUMN', '文件中找不到身份证号/证件号码列', { en: 'no ID-number column found' });
  }
  const header = table.headerNames.map((h, i) => (plan.id.includes(i) ? `${h}(HMAC)` : h));
  const rows: string[][] = [];
  for await (const r of table.rows) rows.push(pseudonymizeRow(r.cells, plan, key, { keepNames: opts.keepNames, maskName }));
  if (/\.xlsx$/i.test(output)) {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('假名化');
    ws.addRow(header);
    for (const r of rows) ws.addRow(r);
    await writeFile(output, Buffer.from(await wb.xlsx.writeBuffer()));
  } else {
    await writeFile(output, `\uFEFF${stringify([header, ...rows])}`);
  }
  return { rows: rows.length, idColumns: plan.id.map((i) => table.headerNames[i]) };
}

export function registerPseudonymize(program: Command): void {
  program
    .command('pseudonymize <file>')
    .description('假名化：把导出文件的身份证号列替换为密钥 HMAC（密钥取自 BINKU_SECRET），供两个部门比对而不交换原始号码')
    .requiredOption('--out <file>', '输出文件（.csv 或 .xlsx）')
    .option('--keep-names', '保留完整姓名（默认脱敏为 张**）')
    .action(async (file: string, o: { out: string; keepNames?: boolean }) => {
      const key = config().secret;
      if (!key || key.length < 16) {
        throw new BinkuError('BK_AUTH_NO_SECRET', '请先设置环境变量 BINKU_SECRET（至少 16 个字符，双方使用同一密钥）', { en: 'set BINKU_SECRET (≥ 16 characters, shared by both offices)' });
      }
      const r = await pseudonymizeFile(file, o.out, key, { keepNames: o.keepNames });
      process.stdout.write(`已假名化 ${r.rows} 行（列: ${r.idColumns.join('、')}）→ ${o.out}\n`);
    });
}
