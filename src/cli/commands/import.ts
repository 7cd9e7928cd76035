/** `binku import prm|lip|feed FILE` — one export file into the database. */
import { basename } from 'node:path';
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { BinkuError } from '../../domain/errors.ts';
import { importFile, type ImportSummary } from '../../ingest/import.ts';
import { problemsToXlsx } from '../../ingest/problems-xlsx.ts';
import { maskProblems } from '../../ingest/mask-problems.ts';
import { printJson, progress, withDb } from '../context.ts';

const SYSTEMS = ['prm', 'lip', 'feed'] as const;

/** Human-readable summary (Chinese), problems listed up to `limit`. */
export function formatSummary(s: ImportSummary, limit = 50): string {
  const lines: string[] = [];
  if (s.status === 'duplicate') {
    lines.push(`文件已导入过（内容相同），未做任何更改: ${s.fileName} → ${s.fileId}`);
  } else {
    lines.push(`已导入 ${s.fileName} → ${s.fileId}（县 ${s.countyCode}，${s.format?.toUpperCase()}${s.encoding ? `/${s.encoding}` : ''}，期间 ${s.period ?? '未知'}${s.source ? `，来源 ${s.source}` : ''}）`);
  }
  lines.push(`数据行 ${s.rows}，导入记录 ${s.records}，未导入行 ${s.skippedRows}${s.system !== 'feed' ? `，户 ${s.households}` : ''}，空行 ${s.blankRows}，合计行 ${s.totalRows}`);
  lines.push(`问题 ${s.problemCount}（同户字段不一致 ${s.conflicts}，人口数不符 ${s.sizeMismatches}）`);
  if (s.superseded.length > 0) lines.push(`取代了同期旧导入: ${s.superseded.join(', ')}`);
  if (s.extraColumns.length > 0) lines.push(`规范外的列（仅保留原始值）: ${s.extraColumns.join('、')}`);
  for (const p of s.problems.slice(0, limit)) {
    lines.push(`  第${p.row}行 [${p.column}] ${p.value ?? ''} — ${p.message}${p.severity === 'error' ? '（未导入）' : ''}`);
  }
  if (s.problems.length > limit) lines.push(`  … 另有 ${s.problemCount - limit} 条问题（用 --problems-out 导出完整清单）`);
  return lines.join('\n');
}

export function registerImport(program: Command): void {
  program
    .command('import <system> <file>')
    .description('导入一个导出文件：prm（防返贫监测）、lip（低收入人口）或 feed（部门数据）')
    .option('--json', '输出 JSON')
    .option('--county <code>', '6位县代码（部门数据无行政区划列时使用；默认取证件号码前6位的多数）')
    .option('--problems-out <file.xlsx>', '把问题清单写成 XLSX')
    .option('--imported-by <name>', '导入人')
    .option('--unmask', '问题清单中显示完整证件号码（默认打码）')
    .action(async (system: string, file: string, o: { json?: boolean; county?: string; problemsOut?: string; importedBy?: string; unmask?: boolean }) => {
      if (!(SYSTEMS as readonly string[]).includes(system)) {
        throw new BinkuError('BK_IMPORT_BAD_SYSTEM', `系统应为 prm、lip 或 feed，而不是 ${system}`, { status: 400 });
      }
      const bar = progress('已读取行');
      const imported = await withDb((h) =>
        importFile(h.db, { system: system as (typeof SYSTEMS)[number], fileName: basename(file), path: file, county: o.county, importedBy: o.importedBy, onProgress: (n) => bar(n) }),
      );
      if (process.stderr.isTTY) process.stderr.write('\n');
      // ID values in problems are masked unless --unmask is given.
      const summary = o.unmask ? imported : { ...imported, problems: maskProblems(imported.problems) };
      if (o.problemsOut) await writeFile(o.problemsOut, await problemsToXlsx(summary.problems, summary.fileName));
      if (o.json) printJson(summary);
      else process.stdout.write(`${formatSummary(summary)}\n`);
    });
}
