/**
 * Test fixture: writes PRM/LIP records straight into the import tables
 * (one import file per call), so linkage tests do not depend on the importer.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/dialect.ts';
import { parseIdNumber } from '../domain/id-number.ts';

export interface FixtureMember {
  name: string | null;
  id: string | null; // raw ID cell
  relation?: string;
  attrs?: Record<string, unknown>;
}
export interface FixtureGroup {
  no: string;
  region: string; // 12-digit village code
  township?: string;
  village?: string;
  type?: string; // 户类型 (PRM) / 救助状态 (LIP)
  attrs?: Record<string, unknown>;
  members: FixtureMember[];
}

/** Inserts one current import file with its households/families and members; returns the file id. */
export async function insertFixture(
  db: Db,
  system: 'prm' | 'lip',
  groups: FixtureGroup[],
  opts: { period?: string; fileId?: string; importedAt?: string } = {},
): Promise<string> {
  const county = groups[0]?.region.slice(0, 6) ?? '621202';
  const fileId = opts.fileId ?? randomUUID();
  await db
    .insertInto('import_file')
    .values({
      county_code: county,
      file_id: fileId,
      system,
      file_name: `${system}-${fileId}.csv`,
      content_hash: fileId,
      period: opts.period ?? '2024',
      source: null,
      superseded_by: null,
      problems: '[]',
      imported_by: 'fixture',
      imported_at: opts.importedAt ?? new Date().toISOString(),
    })
    .execute();
  let row = 1;
  for (const g of groups) {
    if (system === 'prm') {
      await db
        .insertInto('prm_household')
        .values({
          county_code: county,
          file_id: fileId,
          household_no: g.no,
          region_code: g.region,
          township: g.township ?? null,
          village: g.village ?? null,
          household_type: g.type ?? '监测户',
          monitoring_category: null,
          recorded_size: g.members.length,
          member_count: g.members.length,
          income_year: 2024,
          attrs: JSON.stringify(g.attrs ?? {}),
          conflicts: '[]',
        })
        .execute();
    } else {
      await db
        .insertInto('lip_family')
        .values({
          county_code: county,
          file_id: fileId,
          family_no: g.no,
          region_code: g.region,
          township: g.township ?? null,
          village: g.village ?? null,
          person_category: '低保对象',
          assistance_status: g.type ?? '在保',
          recorded_size: g.members.length,
          member_count: g.members.length,
          income_year: 2024,
          attrs: JSON.stringify(g.attrs ?? {}),
          conflicts: '[]',
        })
        .execute();
    }
    for (const m of g.members) {
      const p = parseIdNumber(m.id);
      const base = {
        county_code: county,
        file_id: fileId,
        row_no: ++row,
        region_code: g.region,
        name: m.name,
        id_raw: m.id,
        id_number: p.idNumber,
        id_status: p.status,
        relation: m.relation ?? null,
        sex: p.sex,
        birth_date: p.birthDate,
        attrs: JSON.stringify(m.attrs ?? {}),
      };
      if (system === 'prm') await db.insertInto('prm_member').values({ ...base, household_no: g.no }).execute();
      else await db.insertInto('lip_member').values({ ...base, family_no: g.no }).execute();
    }
  }
  return fileId;
}
