/**
 * `export households` CSV (formats/outputs.md): one row per pairing plus one
 * per unpaired PRM household / LIP family; header fixed.
 */
import { stringify } from 'csv-stringify/sync';
import { sql } from 'kysely';
import type { Db } from '../db/dialect.ts';

export const EXPORT_HEADER = ['household_id', 'category', 'prm_household_no', 'lip_family_no', 'county_code', 'members'] as const;

export interface ExportRow {
  household_id: string;
  category: string;
  prm_household_no: string | null;
  lip_family_no: string | null;
  county_code: string;
  members: number;
}

export async function exportRows(db: Db, opts: { regionPrefix?: string } = {}): Promise<ExportRow[]> {
  const like = `${opts.regionPrefix ?? ''}%`;
  const res = await sql<ExportRow>`
    select p.household_id, u.category, p.prm_household_no, p.lip_family_no, p.county_code, p.members
    from household_pairing p
    join unified_household u on u.county_code = p.county_code and u.household_id = p.household_id
    where p.region_code like ${like}
    order by p.county_code, p.household_id, p.pairing_key`.execute(db);
  return res.rows;
}

/** The CSV text (UTF-8, header first, `\n` line ends). */
export async function exportHouseholdsCsv(db: Db, opts: { regionPrefix?: string } = {}): Promise<string> {
  const rows = await exportRows(db, opts);
  const body = stringify(rows.map((r) => [r.household_id, r.category, r.prm_household_no ?? '', r.lip_family_no ?? '', r.county_code, Number(r.members)]));
  return `${EXPORT_HEADER.join(',')}\n${body}`;
}
