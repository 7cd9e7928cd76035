/**
 * Ground truth of a demo county (truth.json). Not an export: it is what a
 * perfect linker would find, used to score the import and linkage modules.
 *
 * Shape (all row numbers are 1-based physical line numbers in the file, the
 * way the importer counts rows, title and header lines included):
 * {
 *   version: 1, seed, households (requested true households), generated_at_ref: '2024-10-15',
 *   county: { code: '621202', name, city, townships: [{ code (9), name, villages: [{ code (12), name, urban }] }] },
 *   files: [{ path, system: 'prm'|'lip'|'feed', encoding: 'utf-8-bom'|'utf-8'|'gb18030', header_row,
 *             first_data_row, last_data_row, data_rows, title_rows: [row], trailer_rows: [{ row, kind: '合计' }],
 *             date_format?, source? }],
 *   persons: [{ key: 'P0000001', name, sex: 'M'|'F', birth_date, id_number (true 18 digits), village_code,
 *               prm: [{ file, row, household_no, relation, name_cell, id_cell, id_status, link_by }],
 *               lip: [{ file, row, family_no, relation, name_cell, id_cell, id_status, link_by }] }],
 *       id_status: what parseIdNumber(id_cell).status returns; link_by: 'id' (normalized ID equals
 *       id_number), 'fields' (ID unusable or wrong check digit: link by name + birth + sex + village),
 *       'review' (ID missing: only a reviewer links it; the household still pairs through others).
 *   prm_households: [{ household_no, village_code, rows: [row], persons: [key], recorded_size }],
 *   lip_families:   [{ family_no, village_code, rows: [row], persons: [key], recorded_size, urban }],
 *   pairings: [{ prm_household_no, lip_family_no, persons: [key] }]   (share ≥ 1 true person),
 *   unified_households: [{ key: 'U000001', category: 'II'|'III'|'IV', prm_household_nos, lip_family_nos, persons }],
 *   counts: exactly the `binku report coverage --json` shape (formats/outputs.md),
 *   traps: [{ kind, description, count, rows: [{ file, row, column, person?, raw, expected? }] }],
 *   feed_events: [{ file, row, person, source, event_type, date, amount }]
 * }
 */
import type { IdStatus } from '../domain/records.ts';

export type LinkBy = 'id' | 'fields' | 'review';

export interface RowRef {
  file: string;
  row: number;
  relation: string;
  name_cell: string;
  id_cell: string;
  id_status: IdStatus;
  link_by: LinkBy;
}
export interface PrmRef extends RowRef {
  household_no: string;
}
export interface LipRef extends RowRef {
  family_no: string;
}

export interface TruthPerson {
  key: string;
  name: string;
  sex: 'M' | 'F';
  birth_date: string;
  id_number: string;
  village_code: string;
  prm: PrmRef[];
  lip: LipRef[];
}

export interface TruthFile {
  path: string;
  system: 'prm' | 'lip' | 'feed';
  encoding: 'utf-8-bom' | 'utf-8' | 'gb18030';
  header_row: number;
  first_data_row: number;
  last_data_row: number;
  data_rows: number;
  title_rows: number[];
  trailer_rows: { row: number; kind: string }[];
  date_format?: string;
  source?: string;
}

export interface TrapRow {
  file: string;
  row: number;
  column: string;
  person?: string;
  raw: string;
  expected?: string;
}

export interface Trap {
  kind: string;
  description: string;
  count: number;
  rows: TrapRow[];
}

export interface Pairing {
  prm_household_no: string;
  lip_family_no: string;
  persons: string[];
}

export type Category = 'II' | 'III' | 'IV';

export interface UnifiedHousehold {
  key: string;
  category: Category;
  prm_household_nos: string[];
  lip_family_nos: string[];
  persons: string[];
}

export interface CoverageCounts {
  households: { II: number; III: number; IV: number; total: number };
  persons: { II: number; III: number; IV: number; total: number };
  prm_households: number;
  lip_households: number;
  prm_in_lip_share: number;
  lip_in_prm_share: number;
}

export interface DemoTruth {
  version: 1;
  seed: number;
  households: number;
  generated_at_ref: string;
  county: { code: string; name: string; city: string; townships: { code: string; name: string; villages: { code: string; name: string; urban: boolean }[] }[] };
  files: TruthFile[];
  persons: TruthPerson[];
  prm_households: { household_no: string; village_code: string; rows: number[]; persons: string[]; recorded_size: number }[];
  lip_families: { family_no: string; village_code: string; rows: number[]; persons: string[]; recorded_size: number; urban: boolean }[];
  pairings: Pairing[];
  unified_households: UnifiedHousehold[];
  counts: CoverageCounts;
  traps: Trap[];
  feed_events: { file: string; row: number; person: string; source: string; event_type: string; date: string; amount: number | null }[];
}

/** A system unit (PRM household or LIP family) with the true persons in it. */
export interface Unit {
  no: string;
  persons: readonly string[];
}

/**
 * Pairings, unified households (connected components) and coverage counts
 * from the two systems' membership — the definitions of formats/outputs.md.
 * Pure; also used by tests to re-derive the truth from the CSV files.
 */
export function deriveLinkage(prm: readonly Unit[], lip: readonly Unit[]): { pairings: Pairing[]; unified: UnifiedHousehold[]; counts: CoverageCounts } {
  const prmOf = new Map<string, string[]>(); // person → PRM household numbers
  for (const u of prm) for (const p of u.persons) prmOf.set(p, [...(prmOf.get(p) ?? []), u.no]);
  const pairMap = new Map<string, Pairing>();
  for (const f of lip) {
    for (const p of f.persons) {
      for (const h of prmOf.get(p) ?? []) {
        const k = `${h}\u0000${f.no}`;
        let pr = pairMap.get(k);
        if (!pr) pairMap.set(k, (pr = { prm_household_no: h, lip_family_no: f.no, persons: [] }));
        if (!pr.persons.includes(p)) pr.persons.push(p);
      }
    }
  }
  const pairings = [...pairMap.values()].sort((a, b) => cmp(a.prm_household_no, b.prm_household_no) || cmp(a.lip_family_no, b.lip_family_no));
  for (const p of pairings) p.persons.sort();

  // Union–find over nodes "P:<no>" and "L:<no>".
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    let y = x;
    while (parent.get(y) !== r) {
      const n = parent.get(y)!;
      parent.set(y, r);
      y = n;
    }
    return r;
  };
  for (const u of prm) parent.set(`P:${u.no}`, `P:${u.no}`);
  for (const u of lip) parent.set(`L:${u.no}`, `L:${u.no}`);
  for (const p of pairings) {
    const a = find(`P:${p.prm_household_no}`);
    const b = find(`L:${p.lip_family_no}`);
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
  }
  const comps = new Map<string, { prm: string[]; lip: string[]; persons: Set<string> }>();
  const comp = (node: string) => {
    const r = find(node);
    let c = comps.get(r);
    if (!c) comps.set(r, (c = { prm: [], lip: [], persons: new Set() }));
    return c;
  };
  for (const u of prm) {
    const c = comp(`P:${u.no}`);
    c.prm.push(u.no);
    for (const p of u.persons) c.persons.add(p);
  }
  for (const u of lip) {
    const c = comp(`L:${u.no}`);
    c.lip.push(u.no);
    for (const p of u.persons) c.persons.add(p);
  }
  const list = [...comps.values()].map((c) => ({ prm: c.prm.sort(cmp), lip: c.lip.sort(cmp), persons: [...c.persons].sort() }));
  list.sort((a, b) => cmp(a.prm[0] ?? '\uffff', b.prm[0] ?? '\uffff') || cmp(a.lip[0] ?? '', b.lip[0] ?? ''));
  const unified: UnifiedHousehold[] = list.map((c, i) => ({
    key: `U${String(i + 1).padStart(6, '0')}`,
    category: c.prm.length > 0 && c.lip.length > 0 ? 'IV' : c.prm.length > 0 ? 'II' : 'III',
    prm_household_nos: c.prm,
    lip_family_nos: c.lip,
    persons: c.persons,
  }));
  const hh = { II: 0, III: 0, IV: 0, total: unified.length };
  for (const u of unified) hh[u.category]++;
  const inPrm = new Set(prm.flatMap((u) => u.persons));
  const inLip = new Set(lip.flatMap((u) => u.persons));
  const persons = { II: 0, III: 0, IV: 0, total: 0 };
  for (const p of new Set([...inPrm, ...inLip])) {
    persons.total++;
    if (inPrm.has(p) && inLip.has(p)) persons.IV++;
    else if (inPrm.has(p)) persons.II++;
    else persons.III++;
  }
  const pairedPrm = new Set(pairings.map((p) => p.prm_household_no));
  const pairedLip = new Set(pairings.map((p) => p.lip_family_no));
  return {
    pairings,
    unified,
    counts: {
      households: hh,
      persons,
      prm_households: prm.length,
      lip_households: lip.length,
      prm_in_lip_share: prm.length ? pairedPrm.size / prm.length : 0,
      lip_in_prm_share: lip.length ? pairedLip.size / lip.length : 0,
    },
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
