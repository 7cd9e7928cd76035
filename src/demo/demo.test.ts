import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseIdNumber } from '../domain/id-number.ts';
import { FEED_COLUMNS, LIP_COLUMNS, PRM_COLUMNS, REQUIRED, deriveLinkage, generateDemo, type DemoTruth } from './index.ts';

const N = 600;
const SEED = 20240301;
const demo = generateDemo({ households: N, seed: SEED });
const truth: DemoTruth = demo.truth;
const fileBytes = (path: string): Buffer => {
  const f = demo.files.find((x) => x.path === path);
  if (!f) throw new Error(`missing ${path}`);
  return f.bytes;
};

function decode(path: string): string {
  const meta = truth.files.find((f) => f.path === path)!;
  const b = fileBytes(path);
  if (meta.encoding === 'gb18030') return iconv.decode(b, 'gb18030');
  const s = b.toString('utf8');
  if (meta.encoding === 'utf-8-bom') {
    expect(s.charCodeAt(0)).toBe(0xfeff);
    return s.slice(1);
  }
  expect(s.charCodeAt(0)).not.toBe(0xfeff);
  return s;
}

/** Rows of a file as string arrays; index 0 = physical line 1 (no field holds a newline). */
function rowsOf(path: string): string[][] {
  const text = decode(path);
  const rows = parse(text, { relax_column_count: true }) as string[][];
  expect(rows.length).toBe(text.split('\r\n').length - 1); // one CSV record per physical line
  return rows;
}

const prmRows = rowsOf('prm.csv');
const lipRows = rowsOf('lip.csv');
const prmMeta = truth.files.find((f) => f.path === 'prm.csv')!;
const lipMeta = truth.files.find((f) => f.path === 'lip.csv')!;
const cell = (rows: string[][], cols: readonly string[], row: number, col: string): string => rows[row - 1][cols.indexOf(col)];

describe('determinism', () => {
  it('same seed and size give byte-identical files', () => {
    const again = generateDemo({ households: N, seed: SEED });
    expect(again.files.map((f) => f.path)).toEqual(demo.files.map((f) => f.path));
    for (const f of again.files) expect(f.bytes.equals(fileBytes(f.path)), f.path).toBe(true);
  });
  it('a different seed gives different files', () => {
    const other = generateDemo({ households: N, seed: SEED + 1 });
    expect(other.files.find((f) => f.path === 'prm.csv')!.bytes.equals(fileBytes('prm.csv'))).toBe(false);
    expect(other.files.find((f) => f.path === 'lip.csv')!.bytes.equals(fileBytes('lip.csv'))).toBe(false);
  });
  it('rejects a non-positive household count', () => {
    expect(() => generateDemo({ households: 0, seed: 1 })).toThrow();
  });
});

describe('file layout and headers', () => {
  it('PRM: UTF-8 with BOM, title rows, exact header, 合计 row at the end', () => {
    expect(prmMeta.encoding).toBe('utf-8-bom');
    expect(prmRows[prmMeta.header_row - 1]).toEqual([...PRM_COLUMNS]);
    for (const c of REQUIRED.prm) expect(PRM_COLUMNS).toContain(c);
    expect(prmRows[0][0]).toContain('防止返贫监测对象明细表');
    expect(prmMeta.title_rows).toEqual([1, 2]);
    const last = prmRows[prmRows.length - 1];
    expect(last[0]).toBe('合计');
    expect(prmMeta.trailer_rows).toEqual([{ row: prmRows.length, kind: '合计' }]);
    expect(prmMeta.last_data_row - prmMeta.first_data_row + 1).toBe(prmMeta.data_rows);
    expect(prmRows.length).toBe(prmMeta.last_data_row + 1);
  });
  it('LIP: GB18030 that decodes losslessly, exact header', () => {
    expect(lipMeta.encoding).toBe('gb18030');
    const b = fileBytes('lip.csv');
    expect(b.includes(Buffer.from('家庭编号', 'utf8'))).toBe(false); // not UTF-8
    const text = iconv.decode(b, 'gb18030');
    expect(text).not.toContain('\ufffd');
    expect(iconv.encode(text, 'gb18030').equals(b)).toBe(true);
    expect(lipRows[lipMeta.header_row - 1]).toEqual([...LIP_COLUMNS]);
    for (const c of REQUIRED.lip) expect(LIP_COLUMNS).toContain(c);
    expect(lipRows.length).toBe(lipMeta.last_data_row);
  });
  it('feeds: one file per department with the exact header and the required columns', () => {
    const feeds = truth.files.filter((f) => f.system === 'feed');
    expect(feeds.map((f) => f.source)).toEqual(expect.arrayContaining(['医保', '残联', '公安', '人社', '应急', '不动产', '教育', '住建']));
    for (const f of feeds) {
      const rows = rowsOf(f.path);
      expect(rows[f.header_row - 1]).toEqual([...FEED_COLUMNS]);
      expect(rows.length).toBe(f.last_data_row);
      for (let r = f.first_data_row; r <= f.last_data_row; r++) expect(rows[r - 1][0]).toBe(f.source);
    }
    for (const c of REQUIRED.feed) expect(FEED_COLUMNS).toContain(c);
  });
});

describe('persons and IDs', () => {
  const idTrapRows = new Map<string, string>(); // file:row → kind
  for (const t of truth.traps) if (t.kind.startsWith('id_')) for (const r of t.rows) idTrapRows.set(`${r.file}:${r.row}`, t.kind);
  const expectedStatus: Record<string, string> = { id_old15: 'upgraded15', id_bad_check: 'bad_check', id_missing: 'missing', id_disability20: 'disability20' };

  it('every true ID is a valid 18-digit ID whose birth date and sex match the person', () => {
    const seen = new Set<string>();
    for (const p of truth.persons) {
      const parsed = parseIdNumber(p.id_number);
      expect(parsed.status, p.key).toBe('valid');
      expect(parsed.birthDate).toBe(p.birth_date);
      expect(parsed.sex).toBe(p.sex);
      expect(seen.has(p.id_number)).toBe(false);
      seen.add(p.id_number);
      expect(p.village_code.slice(0, 6)).toBe('621202');
      expect(p.birth_date <= truth.generated_at_ref).toBe(true);
    }
  });

  it('every ID cell is the true ID or a recorded, deliberate break', () => {
    let refs = 0;
    for (const p of truth.persons) {
      for (const ref of [...p.prm, ...p.lip]) {
        refs++;
        const isPrm = ref.file === 'prm.csv';
        const rows = isPrm ? prmRows : lipRows;
        const cols = isPrm ? PRM_COLUMNS : LIP_COLUMNS;
        const raw = cell(rows, cols, ref.row, isPrm ? '证件号码' : '成员身份证号');
        expect(raw).toBe(ref.id_cell);
        const parsed = parseIdNumber(raw);
        expect(parsed.status).toBe(ref.id_status);
        const kind = idTrapRows.get(`${ref.file}:${ref.row}`);
        if (!kind) expect(raw, `${ref.file}:${ref.row}`).toBe(p.id_number);
        else expect(parsed.status, kind).toBe(expectedStatus[kind] ?? 'valid');
        if (ref.link_by === 'id') expect(parsed.idNumber).toBe(p.id_number);
        if (ref.id_status === 'bad_check') {
          expect(ref.link_by).toBe('fields');
          expect(parsed.birthDate).toBe(p.birth_date);
          expect(parsed.sex).toBe(p.sex);
        }
        if (ref.id_status === 'missing') expect(ref.link_by).toBe('review');
        const nameCol = isPrm ? '姓名' : '成员姓名';
        expect(cell(rows, cols, ref.row, nameCol)).toBe(ref.name_cell);
      }
    }
    expect(refs).toBe(prmMeta.data_rows + lipMeta.data_rows); // every data row belongs to exactly one person
  });

  it('every trap kind is planted, and each recorded trap row shows the recorded raw value', () => {
    const kinds = new Map(truth.traps.map((t) => [t.kind, t]));
    for (const k of ['name_homophone', 'id_old15', 'id_fullwidth', 'id_lowercase_x', 'id_apostrophe', 'id_spaces', 'id_bad_check', 'id_missing', 'id_disability20', 'date_format', 'amount_format', 'title_rows', 'total_row', 'household_field_conflict', 'household_size_mismatch', 'gbk_encoding', 'married_out_daughter']) {
      expect(kinds.get(k)?.count ?? 0, k).toBeGreaterThan(0);
    }
    const cache = new Map<string, string[][]>();
    for (const t of truth.traps) {
      expect(t.count).toBe(t.rows.length);
      for (const r of t.rows) {
        if (r.row === 0 || r.column === '') continue;
        if (!cache.has(r.file)) cache.set(r.file, rowsOf(r.file));
        const rows = cache.get(r.file)!;
        const cols = r.file === 'prm.csv' ? PRM_COLUMNS : r.file === 'lip.csv' ? LIP_COLUMNS : FEED_COLUMNS;
        expect(rows[r.row - 1][cols.indexOf(r.column as never)], `${t.kind} ${r.file}:${r.row}`).toBe(r.raw);
      }
    }
    // A person carries at most one ID/name trap, so each stays linkable by the other fields.
    const perPerson = new Map<string, number>();
    for (const t of truth.traps) if (t.kind.startsWith('id_') && t.kind !== 'id_disability20' || t.kind === 'name_homophone') for (const r of t.rows) if (r.file === 'prm.csv' || r.file === 'lip.csv') perPerson.set(r.person!, (perPerson.get(r.person!) ?? 0) + 1);
    for (const [p, n] of perPerson) expect(n, p).toBe(1);
  });

  it('name homophones differ by one character of the given name only', () => {
    const t = truth.traps.find((x) => x.kind === 'name_homophone')!;
    for (const r of t.rows) {
      const a = [...r.raw];
      const b = [...r.expected!];
      expect(a.length).toBe(b.length);
      expect(a[0]).toBe(b[0]);
      expect(a.filter((c, i) => c !== b[i]).length).toBe(1);
    }
  });

  it('20-digit 残疾证 numbers in the 残联 feed reduce to the person’s ID', () => {
    const byKey = new Map(truth.persons.map((p) => [p.key, p]));
    const t = truth.traps.find((x) => x.kind === 'id_disability20')!;
    for (const r of t.rows) {
      expect(r.raw).toMatch(/^\d{17}[\dX]\d{2}$/);
      const parsed = parseIdNumber(r.raw);
      expect(parsed.status).toBe('disability20');
      expect(parsed.idNumber).toBe(byKey.get(r.person!)!.id_number);
    }
  });
});

describe('relations, sex and ages are plausible', () => {
  const byRow = new Map<number, { sex: 'M' | 'F'; birth: string }>();
  for (const p of truth.persons) for (const r of p.prm) byRow.set(r.row, { sex: p.sex, birth: p.birth_date });
  const years = (a: string, b: string) => (Date.parse(a) - Date.parse(b)) / (365.25 * 86400000);

  it('PRM households: one 户主, sex fits the relation, generations fit the ages', () => {
    const male = new Set(['之子', '之父', '之孙子', '女婿']);
    const female = new Set(['之女', '之母', '之孙女', '儿媳']);
    for (const h of truth.prm_households) {
      const members = h.rows.map((row) => ({ rel: cell(prmRows, PRM_COLUMNS, row, '与户主关系'), ...byRow.get(row)! }));
      const heads = members.filter((m) => m.rel === '户主');
      expect(heads.length, h.household_no).toBe(1);
      expect(h.rows[0]).toBe(Math.min(...h.rows));
      expect(members[0].rel).toBe('户主');
      const head = heads[0];
      for (const m of members) {
        if (male.has(m.rel)) expect(m.sex).toBe('M');
        if (female.has(m.rel)) expect(m.sex).toBe('F');
        if (m.rel === '配偶') {
          expect(m.sex).not.toBe(head.sex);
          expect(Math.abs(years(m.birth, head.birth))).toBeLessThan(15);
        }
        if (m.rel === '之子' || m.rel === '之女') expect(years(m.birth, head.birth)).toBeGreaterThan(15);
        if (m.rel === '之父' || m.rel === '之母') expect(years(head.birth, m.birth)).toBeGreaterThan(15);
        if (m.rel === '之孙子' || m.rel === '之孙女') expect(years(m.birth, head.birth)).toBeGreaterThan(30);
      }
    }
  });

  it('LIP relations to the applicant: exactly one 本人, the applicant, first', () => {
    const appCol = LIP_COLUMNS.indexOf('申请人身份证号');
    for (const f of truth.lip_families) {
      const rels = f.rows.map((row) => cell(lipRows, LIP_COLUMNS, row, '与申请人关系'));
      expect(rels[0]).toBe('本人');
      expect(rels.filter((r) => r === '本人').length).toBe(1);
      const applicant = truth.persons.find((p) => p.key === f.persons[0])!;
      expect(lipRows[f.rows[0] - 1][appCol]).toBe(applicant.id_number);
    }
  });

  it('LIP labour capacity and school status agree with age', () => {
    const byLipRow = new Map<number, string>();
    for (const p of truth.persons) for (const r of p.lip) byLipRow.set(r.row, p.birth_date);
    for (let row = lipMeta.first_data_row; row <= lipMeta.last_data_row; row++) {
      const age = years('2024-10-01', byLipRow.get(row)!);
      const labour = cell(lipRows, LIP_COLUMNS, row, '劳动能力');
      if (age < 16) expect(labour).toBe('无劳动能力(未成年或老年)');
      if (labour === '有劳动能力') expect(age).toBeGreaterThanOrEqual(16);
      if (cell(lipRows, LIP_COLUMNS, row, '就业状况') === '退休') expect(age).toBeGreaterThanOrEqual(60);
    }
  });
});

describe('truth is consistent with the files', () => {
  it('re-deriving pairings, unified households and counts from the CSVs gives the truth', () => {
    const keyAt = new Map<string, string>();
    for (const p of truth.persons) for (const r of [...p.prm, ...p.lip]) keyAt.set(`${r.file}:${r.row}`, p.key);
    const group = (rows: string[][], cols: readonly string[], file: string, first: number, last: number, noCol: string) => {
      const m = new Map<string, string[]>();
      for (let row = first; row <= last; row++) {
        const no = cell(rows, cols, row, noCol);
        const key = keyAt.get(`${file}:${row}`);
        expect(key, `${file}:${row}`).toBeDefined();
        m.set(no, [...(m.get(no) ?? []), key!]);
      }
      return [...m.entries()].map(([no, persons]) => ({ no, persons }));
    };
    const prm = group(prmRows, PRM_COLUMNS, 'prm.csv', prmMeta.first_data_row, prmMeta.last_data_row, '户编号');
    const lip = group(lipRows, LIP_COLUMNS, 'lip.csv', lipMeta.first_data_row, lipMeta.last_data_row, '家庭编号');
    const d = deriveLinkage(prm, lip);
    expect(d.pairings).toEqual(truth.pairings);
    expect(d.unified).toEqual(truth.unified_households);
    expect(d.counts).toEqual(truth.counts);
    expect(truth.counts.prm_households).toBe(truth.prm_households.length);
    expect(truth.counts.lip_households).toBe(truth.lip_families.length);
  });

  it('household numbers are unique in the county and the village code prefixes them', () => {
    const prmNos = truth.prm_households.map((h) => h.household_no);
    expect(new Set(prmNos).size).toBe(prmNos.length);
    for (const h of truth.prm_households) expect(h.household_no.startsWith(h.village_code)).toBe(true);
    const lipNos = truth.lip_families.map((f) => f.family_no);
    expect(new Set(lipNos).size).toBe(lipNos.length);
    // A person sits in at most one PRM household and at most one LIP family.
    for (const units of [truth.prm_households, truth.lip_families]) {
      const keys = units.flatMap((u) => u.persons);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('categories II, III and IV are all well populated, with the scope differences real data has', () => {
    const c = truth.counts.households;
    expect(c.II + c.III + c.IV).toBe(c.total);
    for (const k of ['II', 'III', 'IV'] as const) expect(c[k]).toBeGreaterThan(truth.counts.households.total * 0.15);
    const lipPerPrm = new Map<string, number>();
    for (const p of truth.pairings) lipPerPrm.set(p.prm_household_no, (lipPerPrm.get(p.prm_household_no) ?? 0) + 1);
    expect([...lipPerPrm.values()].some((n) => n >= 2)).toBe(true); // several LIP families pair with one PRM household
    const prmByNo = new Map(truth.prm_households.map((h) => [h.household_no, h]));
    const lipByNo = new Map(truth.lip_families.map((f) => [f.family_no, f]));
    expect(truth.pairings.some((p) => lipByNo.get(p.lip_family_no)!.persons.length < prmByNo.get(p.prm_household_no)!.persons.length)).toBe(true);
    expect(truth.lip_families.some((f) => f.urban)).toBe(true);
    // A married-out daughter alone pairs her parents' PRM household with her husband's LIP family.
    const daughters = new Set(truth.traps.find((t) => t.kind === 'married_out_daughter')!.rows.map((r) => r.person!));
    expect(daughters.size).toBeGreaterThan(0);
    for (const key of daughters) {
      const p = truth.persons.find((x) => x.key === key)!;
      expect(p.prm.length).toBe(1);
      expect(p.lip.length).toBe(1);
      const pairing = truth.pairings.find((x) => x.prm_household_no === p.prm[0].household_no && x.lip_family_no === p.lip[0].family_no)!;
      expect(pairing.persons).toEqual([key]);
      expect(p.lip[0].relation).toBe('配偶');
    }
  });

  it('recorded household sizes: mismatches are exactly the recorded trap households', () => {
    const mismatched = truth.traps.find((t) => t.kind === 'household_size_mismatch')!.rows.map((r) => `${r.file}:${r.row}`);
    const actual = [
      ...truth.prm_households.filter((h) => h.recorded_size !== h.persons.length).map((h) => `prm.csv:${h.rows[0]}`),
      ...truth.lip_families.filter((f) => f.recorded_size !== f.persons.length).map((f) => `lip.csv:${f.rows[0]}`),
    ];
    expect(actual.sort()).toEqual(mismatched.sort());
    for (const h of truth.prm_households) for (const row of h.rows) {
      const raw = cell(prmRows, PRM_COLUMNS, row, '家庭人口数');
      expect(Number(raw)).toBe(h.recorded_size);
    }
  });

  it('feed events point at the right person and date', () => {
    const byKey = new Map(truth.persons.map((p) => [p.key, p]));
    expect(truth.feed_events.length).toBeGreaterThan(50);
    const cache = new Map<string, string[][]>();
    for (const e of truth.feed_events) {
      if (!cache.has(e.file)) cache.set(e.file, rowsOf(e.file));
      const row = cache.get(e.file)![e.row - 1];
      expect(row[2]).toBe(byKey.get(e.person)!.name);
      expect(row[3]).toBe(e.event_type);
      expect(e.date.startsWith('2024-')).toBe(true);
      expect(parseIdNumber(row[1]).idNumber).toBe(byKey.get(e.person)!.id_number);
    }
  });
});

describe('incomes', () => {
  const num = (s: string) => Number(s);
  const plainRows = new Set<number>();
  for (const t of truth.traps) if (t.kind === 'amount_format' || t.kind === 'household_field_conflict') for (const r of t.rows) if (r.file === 'prm.csv') plainRows.add(r.row);

  it('PRM 家庭年纯收入 = 工资 + 经营收入 − 经营支出 + 财产 + 转移, and 转移 includes its 其中 items', () => {
    for (let row = prmMeta.first_data_row; row <= prmMeta.last_data_row; row++) {
      if (plainRows.has(row)) continue;
      const g = (c: string) => num(cell(prmRows, PRM_COLUMNS, row, c));
      expect(g('家庭年纯收入')).toBeCloseTo(g('工资性收入') + g('生产经营性收入') - g('生产经营性支出') + g('财产性收入') + g('转移性收入'), 1);
      expect(g('转移性收入')).toBeGreaterThanOrEqual(g('其中:低保金') + g('其中:特困供养金') + g('其中:养老金或离退休金') + g('其中:赡养费') - 0.01);
    }
  });

  it('per-capita incomes give a mix below 低保, between 低保 and 1.5×, and above', () => {
    const bands = [0, 0, 0];
    for (const f of truth.lip_families) {
      const v = num(cell(lipRows, LIP_COLUMNS, f.rows[0], '家庭月人均收入')) * 12;
      bands[v < 7920 ? 0 : v < 11880 ? 1 : 2]++;
    }
    for (const b of bands) expect(b).toBeGreaterThan(truth.lip_families.length * 0.05);
    const prmBands = [0, 0, 0];
    for (const h of truth.prm_households) {
      const v = num(cell(prmRows, PRM_COLUMNS, h.rows[0], '家庭年人均纯收入'));
      prmBands[v < 6900 ? 0 : v < 11880 ? 1 : 2]++;
    }
    for (const b of prmBands) expect(b).toBeGreaterThan(truth.prm_households.length * 0.05);
    const years = new Set(truth.lip_families.map((f) => cell(lipRows, LIP_COLUMNS, f.rows[0], '收入统计年度')));
    expect([...years].sort()).toEqual(['2023', '2024']);
  });
});

describe('truth.json', () => {
  it('is written in pieces with exactly the bytes of JSON.stringify, and parses back to the truth', () => {
    const bytes = fileBytes('truth.json');
    expect(bytes.toString('utf8')).toBe(`${JSON.stringify(truth)}\n`);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual(truth);
  });
});
