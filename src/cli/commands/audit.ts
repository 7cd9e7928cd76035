/** `binku audit verify|export` — for inspectors, without the web UI. */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { verifyAuditChain, writeAudit } from '../../audit/store.ts';
import { auditCsv, auditXlsx } from '../../audit/export.ts';
import { printJson, withDb } from '../context.ts';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('审计日志');

  audit
    .command('verify')
    .description('校验审计日志哈希链（被改动、删除的行会被发现）；不完整时退出码 1')
    .option('--json', '输出 JSON')
    .action(async (o: { json?: boolean }) => {
      const r = await withDb(({ db }) => verifyAuditChain(db));
      if (o.json) printJson(r);
      else if (r.ok) process.stdout.write(`审计日志完整：${r.count} 条记录，哈希链校验通过\n`);
      else process.stdout.write(`审计日志被改动：第 ${r.brokenAt} 条起哈希链断开（${r.problem}）\n`);
      if (!r.ok) process.exitCode = 1;
    });

  audit
    .command('export')
    .description('导出审计日志（CSV 或 XLSX，含哈希列，可离线复核）')
    .requiredOption('--out <file>', '输出文件（.csv 或 .xlsx）')
    .option('--from <time>', '起始时间 (ISO 8601，含)')
    .option('--to <time>', '截止时间 (ISO 8601，不含)')
    .option('--action <action>', '只导出此类操作')
    .action(async (o: { out: string; from?: string; to?: string; action?: string }) => {
      const q = { from: o.from, to: o.to, action: o.action };
      const rows = await withDb(async ({ db }) => {
        let n: number;
        if (/\.xlsx$/i.test(o.out)) {
          const r = await auditXlsx(db, q);
          await writeFile(o.out, r.buffer);
          n = r.rows;
        } else {
          const r = await auditCsv(db, q);
          await writeFile(o.out, r.csv);
          n = r.rows;
        }
        await writeAudit(db, { action: 'audit_export', username: 'cli', details: { out: o.out, rows: n, ...q } });
        return n;
      });
      process.stdout.write(`已导出 ${rows} 条审计记录 → ${o.out}\n`);
    });
}
