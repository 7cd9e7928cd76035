// The demo county's exports (src/demo) import with the counts and findings its truth.json predicts.
import { expect, it } from 'vitest';
import { describeDb } from '../test/db.ts';
import { isBinkuError } from '../domain/errors.ts';
import { generateDemo } from '../demo/index.ts';
import type { System } from '../db/schema.ts';
import { importFile, type ImportSummary } from './import.ts';
import { tableCounts } from './store.ts';

const { files, truth } = generateDemo({ households: 300, seed: 5 });
const bytesOf = (path: string): Buffer => files.find((f) => f.path === path)!.bytes;
const trapRows = (kind: string, file: string): number[] => (truth.traps.find((t) => t.kind === kind)?.rows ?? []).filter((r) => r.file === file).map((r) => r.row).sort((a, b) => a - b);
const problemRows = (s: ImportSummary, code: string): number[] => s.problems.filter((p) => p.code === code).map((p) => p.row).sort((a, b) => a - b);

describeDb('demo county import', (ctx) => {
  it('a feed cannot be placed before any register exists when its IDs are unusable', async () => {
    const before = await tableCounts(ctx.db);
    let code = '';
    try {
      await importFile(ctx.db, { system: 'feed', fileName: 'f.csv', bytes: Buffer.from('数据来源,证件号码,事件类型,事件日期\n医保,不详,住院自付费用,2024-01-01\n') });
    } catch (e) {
      code = isBinkuError(e) ? e.code : String(e);
    }
    expect(code).toBe('BK_IMPORT_NO_COUNTY');
    expect(await tableCounts(ctx.db)).toEqual(before);
  });

  for (const [path, system, units] of [
    ['prm.csv', 'prm', truth.prm_households],
    ['lip.csv', 'lip', truth.lip_families],
  ] as const) {
    it(`imports ${path} with the expected counts and findings`, async () => {
      const tf = truth.files.find((f) => f.path === path)!;
      const s = await importFile(ctx.db, { system: system as System, fileName: path, bytes: bytesOf(path) });
      expect(s).toMatchObject({ status: 'imported', countyCode: truth.county.code, headerRow: tf.header_row, rows: tf.data_rows, records: tf.data_rows, skippedRows: 0, households: units.length });
      expect(s.encoding).toBe(tf.encoding === 'gb18030' ? 'gb18030' : 'utf8');
      expect(problemRows(s, 'BK_IMPORT_ID_MISSING')).toEqual(trapRows('id_missing', path));
      expect(problemRows(s, 'BK_IMPORT_ID_BAD_CHECK')).toEqual(trapRows('id_bad_check', path));
      const mismatched = units.filter((u) => u.recorded_size !== u.rows.length).length;
      expect(s.sizeMismatches).toBe(mismatched);
      expect(s.sizeMismatches).toBe(trapRows('household_size_mismatch', path).length);
      // each planted household-field conflict is reported in its household and column
      const conflicts = truth.traps.find((t) => t.kind === 'household_field_conflict')!.rows.filter((r) => r.file === path);
      expect(s.conflicts).toBe(conflicts.length);
      for (const c of conflicts) {
        const unit = units.find((u) => u.rows.includes(c.row))!;
        expect(s.problems.some((p) => p.code === 'BK_IMPORT_HOUSEHOLD_CONFLICT' && p.column === c.column && unit.rows.includes(p.row))).toBe(true);
      }
      const other = s.problems.filter((p) => !['BK_IMPORT_ID_MISSING', 'BK_IMPORT_ID_BAD_CHECK', 'BK_IMPORT_SIZE_MISMATCH', 'BK_IMPORT_HOUSEHOLD_CONFLICT'].includes(p.code));
      expect(other).toEqual([]);
      // ID traps normalize to the expected number
      const table = system === 'prm' ? 'prm_member' : 'lip_member';
      const members = await ctx.db.selectFrom(table).select(['row_no', 'id_number', 'id_status']).where('file_id', '=', s.fileId).execute();
      const byRow = new Map(members.map((m) => [m.row_no, m]));
      for (const kind of ['id_lowercase_x', 'id_apostrophe', 'id_spaces', 'id_fullwidth', 'id_old15']) {
        for (const r of (truth.traps.find((t) => t.kind === kind)?.rows ?? []).filter((x) => x.file === path)) {
          expect(byRow.get(r.row)?.id_number, `${kind} row ${r.row}`).toBe(r.expected);
        }
      }
      for (const r of trapRows('id_old15', path)) expect(byRow.get(r)?.id_status).toBe('upgraded15');
      // household member counts = rows per unit in the truth
      const hhTable = system === 'prm' ? 'prm_household' : 'lip_family';
      const hh = await ctx.db.selectFrom(hhTable).selectAll().where('file_id', '=', s.fileId).execute();
      const counts = new Map(hh.map((h) => [(h as { household_no?: string; family_no?: string }).household_no ?? (h as { family_no: string }).family_no, h.member_count]));
      for (const u of units) expect(counts.get((u as { household_no?: string }).household_no ?? (u as { family_no: string }).family_no)).toBe(u.rows.length);
    });
  }

  it('imports every department feed into the demo county with all its events', async () => {
    let events = 0;
    for (const tf of truth.files.filter((f) => f.system === 'feed')) {
      const s = await importFile(ctx.db, { system: 'feed', fileName: tf.path, bytes: bytesOf(tf.path) });
      expect(s).toMatchObject({ countyCode: truth.county.code, rows: tf.data_rows, records: tf.data_rows, source: tf.source, problemCount: 0 });
      events += s.records;
    }
    expect(events).toBe(truth.feed_events.length);
    const disab = trapRows('id_disability20', 'feeds/残联.csv');
    const sig = await ctx.db.selectFrom('signal').select(['row_no', 'id_status']).where('source', '=', '残联').execute();
    for (const r of disab) expect(sig.find((x) => x.row_no === r)?.id_status).toBe('disability20');
  });
});
