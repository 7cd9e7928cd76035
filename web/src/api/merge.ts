/** POST /api/merge and a one-line Chinese summary of its result. */
import { api } from './client.ts';

interface MergeCounty {
  county_code: string;
  status: string;
  persons?: number;
  households?: { II: number; III: number; IV: number; total: number };
  review_pending?: number;
}
export interface MergeResult {
  run_id: string;
  ms: number;
  counties: MergeCounty[];
}

export async function runMerge(): Promise<string> {
  const r = await api.post<MergeResult>('/api/merge', {});
  if (!r.counties?.length) return '没有可比对的数据：请先导入两个系统的导出文件';
  const hh = r.counties.reduce((s, c) => s + (c.households?.total ?? 0), 0);
  const pending = r.counties.reduce((s, c) => s + (c.review_pending ?? 0), 0);
  const skipped = r.counties.filter((c) => c.status.startsWith('skipped')).length;
  return `并库比对完成：${r.counties.length} 个县，统一家庭 ${hh} 户，待人工复核 ${pending} 对${skipped ? `（${skipped} 个县数据未变，沿用上次结果）` : ''}，用时 ${(r.ms / 1000).toFixed(1)} 秒`;
}
