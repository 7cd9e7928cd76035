/** Shared shapes of the linkage module (pure). */
import type { IdStatus } from '../db/schema.ts';

export type LinkSystem = 'prm' | 'lip';

/** One member record of the current exports, as the linker sees it. */
export interface LinkRecord {
  system: LinkSystem;
  /** Stable key within (county, system): `${groupNo}#${id}` or `${groupNo}#n:${name}[#k]`. */
  key: string;
  /** 户编号 (PRM) or 家庭编号 (LIP). */
  groupNo: string;
  regionCode: string;
  fileId: string;
  rowNo: number;
  name: string | null;
  idNumber: string | null;
  idStatus: IdStatus;
  sex: string | null;
  birthDate: string | null;
  relation: string | null;
  /** Hash of the fields that matter for linkage (incremental merges). */
  hash: string;
}

/** A clerical decision kept across merges. */
export interface ReviewDecision {
  prmKey: string;
  lipKey: string;
  status: 'pending' | 'accepted' | 'rejected';
}
