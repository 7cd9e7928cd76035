/**
 * Shapes of the API responses the pages read. Kept tolerant (optional fields)
 * because the backend grows capability by capability; the OpenAPI document at
 * /openapi.json is the contract.
 */
export type Permission =
  | 'read_records'
  | 'unmask'
  | 'import'
  | 'merge'
  | 'review'
  | 'read_aggregates'
  | 'evaluate'
  | 'manage_standards'
  | 'manage_users'
  | 'read_audit';

export interface User {
  id?: string;
  username: string;
  role: string;
  regionPrefix?: string;
  permissions?: Permission[];
  department?: string | null;
  displayName?: string | null;
  roleLabel?: string;
  /** First login with a one-time password: the UI asks for a new one first. */
  mustChangePassword?: boolean;
}

/** 类别: II = 仅防返贫监测, III = 仅低收入人口, IV = 两系统均有. */
export type Category = 'II' | 'III' | 'IV';

export interface CategoryCounts {
  II: number;
  III: number;
  IV: number;
  total: number;
}

export interface TownshipCoverage {
  township?: string;
  township_code?: string;
  township_name?: string;
  name?: string;
  code?: string;
  II?: number;
  III?: number;
  IV?: number;
  total?: number;
  households?: Partial<CategoryCounts>;
  prm_households?: number;
  prm_in_lip?: number;
  lip_households?: number;
  lip_in_prm?: number;
  prm_in_lip_share?: number;
  lip_in_prm_share?: number;
}

export interface CoverageReport {
  households: CategoryCounts;
  persons: CategoryCounts;
  prm_households: number;
  lip_households: number;
  prm_in_lip_share: number;
  lip_in_prm_share: number;
  by_township?: TownshipCoverage[];
  by_village?: TownshipCoverage[];
  /** 监测户 (PRM monitoring objects) and the share of them also in LIP. */
  monitored_prm_households?: number;
  monitored_prm_in_lip_share?: number;
  /** Non-overlap reasons of II and III households, reason code → count. */
  reasons?: { II?: Record<string, number>; III?: Record<string, number> };
  /** Chinese label of each reason code (sent by the server). */
  reason_labels?: Record<string, string>;
  last_merge_at?: string | null;
  [extra: string]: unknown;
}

export interface ImportProblem {
  row: number;
  column?: string | null;
  value?: string | null;
  code: string;
  message: string;
}

export interface ImportSummary {
  fileId?: string;
  file_id?: string;
  id?: string;
  system?: string;
  filename?: string;
  fileName?: string;
  status?: string;
  duplicate?: boolean;
  rows?: number;
  accepted?: number;
  rejected?: number;
  counts?: Record<string, number>;
  problems?: ImportProblem[];
  problemCount?: number;
  importedAt?: string;
  imported_at?: string;
  createdAt?: string;
  [extra: string]: unknown;
}

export interface Page<T> {
  items: T[];
  total: number;
  page?: number;
  pageSize?: number;
}
