/**
 * Kysely table types. Each migration that adds a table adds its interface
 * here. Every big table carries `county_code` in its primary key so the schema
 * can be distributed by county (Citus) at province/national scale.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { IdStatus, LipFamilyAttrs, LipMemberAttrs, PrmHouseholdAttrs, PrmMemberAttrs, RowProblem, System } from '../domain/records.ts';

export type { IdStatus, LipFamilyAttrs, LipMemberAttrs, PrmHouseholdAttrs, PrmMemberAttrs, RowProblem, System } from '../domain/records.ts';

type Json<T> = ColumnType<T, string | T, string | T>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** `date` columns come back as Date from pg and PGlite; we write ISO strings. */
type DateCol = ColumnType<Date | string, string, string>;
type Numeric = ColumnType<string | number, number | string, number | string>;

export interface ImportFileTable {
  county_code: string;
  file_id: string;
  system: System;
  file_name: string;
  content_hash: string;
  period: string | null;
  source: string | null;
  status: Generated<'current' | 'superseded'>;
  superseded_by: string | null;
  row_count: Generated<number>;
  record_count: Generated<number>;
  problem_count: Generated<number>;
  problems: Json<RowProblem[]>;
  imported_by: string | null;
  /** JSON array of the header names as found (migration 0005; null for older imports). */
  raw_header: string | null;
  imported_at: Timestamp;
}

export interface RawRowTable {
  county_code: string;
  file_id: string;
  row_no: number;
  /** {header: text} of imports before migration 0005; null since (see cell_list). */
  cells: Json<Record<string, string>> | null;
  /** JSON array of the row's cells aligned with import_file.raw_header (0005); read both with rawRowCells(). */
  cell_list: string | null;
}


export interface PrmHouseholdTable {
  county_code: string;
  file_id: string;
  household_no: string;
  region_code: string;
  township: string | null;
  village: string | null;
  household_type: string | null;
  monitoring_category: string | null;
  recorded_size: number | null;
  member_count: Generated<number>;
  income_year: number | null;
  attrs: Json<PrmHouseholdAttrs>;
  conflicts: Json<RowProblem[]>;
}

export interface PrmMemberTable {
  county_code: string;
  file_id: string;
  row_no: number;
  household_no: string;
  region_code: string;
  name: string | null;
  id_raw: string | null;
  id_number: string | null;
  id_status: IdStatus;
  relation: string | null;
  sex: 'M' | 'F' | null;
  birth_date: DateCol | null;
  attrs: Json<PrmMemberAttrs>;
}

export interface LipFamilyTable {
  county_code: string;
  file_id: string;
  family_no: string;
  region_code: string;
  township: string | null;
  village: string | null;
  person_category: string | null;
  assistance_status: string | null;
  recorded_size: number | null;
  member_count: Generated<number>;
  income_year: number | null;
  attrs: Json<LipFamilyAttrs>;
  conflicts: Json<RowProblem[]>;
}

export interface LipMemberTable {
  county_code: string;
  file_id: string;
  row_no: number;
  family_no: string;
  region_code: string;
  name: string | null;
  id_raw: string | null;
  id_number: string | null;
  id_status: IdStatus;
  relation: string | null;
  sex: 'M' | 'F' | null;
  birth_date: DateCol | null;
  attrs: Json<LipMemberAttrs>;
}

export interface SignalTable {
  county_code: string;
  file_id: string;
  row_no: number;
  source: string;
  name: string | null;
  id_raw: string | null;
  id_number: string | null;
  id_status: IdStatus;
  event_type: string;
  event_date: DateCol | null;
  amount: Numeric | null;
  note: string | null;
}

// ---- linkage (migration 0002) ----
export type LinkMethod = 'id_exact' | 'probabilistic' | 'review' | 'singleton';
export type Category = 'II' | 'III' | 'IV';
/** Per-field agreement level of a compared pair (null = not comparable). */
export type Agreements = Record<string, string | number | null>;

export interface MergeRunTable {
  county_code: string;
  run_id: string;
  started_at: Timestamp;
  finished_at: Timestamp | null;
  status: 'done' | 'skipped_unchanged' | 'failed';
  input_hash: string;
  prm_records: Generated<number>;
  lip_records: Generated<number>;
  persons: Generated<number>;
  households: Generated<number>;
  pairings: Generated<number>;
  stats: Json<Record<string, unknown>>;
  started_by: string | null;
}

/** 统一人员 (unified person). */
export interface PersonTable {
  county_code: string;
  person_id: string;
  id_number: string | null;
  name: string | null;
  birth_date: string | null;
  sex: string | null;
  region_code: string;
  in_prm: boolean;
  in_lip: boolean;
  category: Category;
  household_id: string | null;
}

export interface PersonRecordTable {
  county_code: string;
  system: 'prm' | 'lip';
  record_key: string;
  person_id: string;
  group_no: string; // 户编号 / 家庭编号
  region_code: string;
  file_id: string;
  row_no: number;
  method: LinkMethod;
  score: number | null;
  agreements: Json<Agreements>;
  record_hash: string;
}

/** 人工复核 (clerical review) of a possible match. */
export interface LinkReviewTable {
  county_code: string;
  review_id: string;
  prm_record_key: string;
  lip_record_key: string;
  region_code: string;
  score: number;
  agreements: Json<Agreements>;
  status: Generated<'pending' | 'accepted' | 'rejected'>;
  active: Generated<boolean>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface NonOverlapReason {
  code: string;
  message: string;
  inputs?: Record<string, unknown>;
}

/** 统一家庭: connected component of PRM households and LIP families. */
export interface UnifiedHouseholdTable {
  county_code: string;
  household_id: string;
  category: Category;
  region_code: string;
  township: string | null;
  village: string | null;
  prm_households: number;
  lip_families: number;
  persons: number;
  persons_prm_only: number;
  persons_lip_only: number;
  persons_both: number;
  head_name: string | null;
  reasons: Json<NonOverlapReason[]>;
  run_id: string;
}

export interface HouseholdPairingTable {
  county_code: string;
  pairing_key: string;
  household_id: string;
  prm_household_no: string | null;
  lip_family_no: string | null;
  prm_file_id: string | null;
  lip_file_id: string | null;
  region_code: string;
  members: number;
  shared_persons: number;
}

/** 用户 (migration 0004). */
export interface AppUserTable {
  county_code: Generated<string>;
  user_id: string;
  username: string;
  password_hash: string;
  role: string;
  region_prefix: Generated<string>;
  department: string | null;
  display_name: string | null;
  must_change_password: Generated<boolean>;
  disabled: Generated<boolean>;
  created_at: Timestamp;
  password_changed_at: Timestamp;
}

export interface UserSessionTable {
  county_code: Generated<string>;
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  last_seen_at: Timestamp;
  ip: string | null;
  revoked_at: Timestamp | null;
}

export interface LoginThrottleTable {
  county_code: Generated<string>;
  throttle_key: string;
  failures: Generated<number>;
  locked_until: Timestamp | null;
  last_failure_at: Timestamp | null;
}

/** 审计日志 (append-only, hash chain; src/audit/). */
export interface AuditLogTable {
  county_code: Generated<string>;
  seq: number;
  at: Timestamp;
  user_id: string | null;
  username: string | null;
  role: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  reason: string | null;
  ip: string | null;
  outcome: Generated<string>;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface Database {
  import_file: ImportFileTable;
  raw_row: RawRowTable;
  prm_household: PrmHouseholdTable;
  prm_member: PrmMemberTable;
  lip_family: LipFamilyTable;
  lip_member: LipMemberTable;
  signal: SignalTable;
  app_user: AppUserTable;
  user_session: UserSessionTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  merge_run: MergeRunTable;
  person: PersonTable;
  person_record: PersonRecordTable;
  link_review: LinkReviewTable;
  unified_household: UnifiedHouseholdTable;
  household_pairing: HouseholdPairingTable;
  standard: StandardTable;
}

/** 标准 (migration 0003): versioned per region prefix; see src/rules/standards.ts. */
export interface StandardTable {
  county_code: Generated<string>;
  kind: string;
  region_prefix: string;
  valid_from: DateCol;
  version: Generated<number>;
  valid_to: DateCol | null;
  amount: Numeric;
  source: string;
  created_by: string | null;
  created_at: Timestamp;
}

export type ImportFile = Selectable<ImportFileTable>;
export type NewPrmMember = Insertable<PrmMemberTable>;
export type NewLipMember = Insertable<LipMemberTable>;
