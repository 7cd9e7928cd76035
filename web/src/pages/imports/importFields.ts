/**
 * Tolerant accessors for an import summary / history row: the ingest API is
 * young, so the page reads the fields through these rather than directly.
 */
import type { ImportSummary } from '../../api/types.ts';

export function importId(i: ImportSummary): string {
  return String(i.fileId ?? i.file_id ?? i.id ?? '');
}
export function importTime(i: ImportSummary): string {
  return String(i.importedAt ?? i.imported_at ?? i.createdAt ?? (i as { created_at?: string }).created_at ?? '');
}
export function importSystem(i: ImportSummary): string {
  return String(i.system ?? '');
}
function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : typeof v === 'string' && v !== '' && !Number.isNaN(Number(v)) ? Number(v) : undefined;
}
/** Data rows read from the file. */
export function importRows(i: ImportSummary): number {
  const o = i as Record<string, unknown>;
  return num(i.rows) ?? num(o.row_count) ?? num(o.rowCount) ?? num(o.total_rows) ?? num(i.counts?.rows) ?? num(i.counts?.total) ?? 0;
}
export function importAccepted(i: ImportSummary): number | undefined {
  const o = i as Record<string, unknown>;
  return num(o.records) ?? num(o.recordCount) ?? num(i.accepted) ?? num(o.accepted_rows) ?? num(i.counts?.accepted);
}
export function importProblemCount(i: ImportSummary): number {
  const o = i as Record<string, unknown>;
  return num(i.problemCount) ?? num(o.problem_count) ?? num(i.counts?.problems) ?? i.problems?.length ?? 0;
}
export function importFileName(i: ImportSummary): string {
  const o = i as Record<string, unknown>;
  return String(i.filename ?? i.fileName ?? o.file_name ?? o.name ?? '');
}

/** 'imported' | 'duplicate' for an upload, 'current' | 'superseded' in the history. */
export function importStatus(i: ImportSummary): string {
  return String(i.status ?? '');
}

export const SYSTEM_NAMES: Record<string, string> = {
  prm: '防止返贫监测系统',
  lip: '低收入人口动态监测平台',
  feed: '部门数据',
};
