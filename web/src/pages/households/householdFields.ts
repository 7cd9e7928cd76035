/** Tolerant readers for GET /api/households/:id and …/identification. */
export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
export const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v.filter(isObj) as Obj[]) : []);
export function pick(o: Obj | undefined, ...keys: string[]): unknown {
  if (!o) return undefined;
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

export interface MemberRow extends Obj {
  _system: 'prm' | 'lip';
  _group: string;
  _key: string;
}

/**
 * Member records of one system. Accepts either a flat list of member records
 * or a list of households/families each holding `members`.
 */
export function membersOf(d: Obj, system: 'prm' | 'lip'): { groups: Obj[]; members: MemberRow[] } {
  const raw = pick(d, system, `${system}Records`, `${system}_records`, system === 'prm' ? 'prmHouseholds' : 'lipFamilies', system === 'prm' ? 'prm_households' : 'lip_families', `${system}Members`, `${system}_members`);
  const list = isObj(raw) ? [raw] : arr(raw);
  const groups: Obj[] = [];
  const members: MemberRow[] = [];
  for (const g of list) {
    const inner = pick(g, 'members', 'persons');
    if (Array.isArray(inner)) {
      groups.push(g);
      const no = String(pick(g, 'household_no', 'householdNo', 'family_no', 'familyNo', 'group_no', 'groupNo') ?? '');
      arr(inner).forEach((m, i) => members.push({ ...m, _system: system, _group: no, _key: `${system}-${no}-${i}` }));
    } else {
      const no = String(pick(g, 'household_no', 'householdNo', 'family_no', 'familyNo', 'group_no', 'groupNo') ?? '');
      members.push({ ...g, _system: system, _group: no, _key: `${system}-${no}-${members.length}` });
    }
  }
  return { groups, members };
}

export function ruleResults(ident: Obj | undefined): Obj[] {
  if (!ident) return [];
  return arr(pick(ident, 'results', 'rules', 'ruleResults', 'identifications', 'decisions'));
}

export function reasonText(r: unknown): string {
  if (typeof r === 'string') return r;
  if (isObj(r)) {
    const t = pick(r, 'text', 'message', 'reason', 'description', 'label');
    if (typeof t === 'string') return t;
    return JSON.stringify(r);
  }
  return String(r);
}

export interface IncomeRow {
  key: string;
  basis: string;
  source: string;
  perCapita: number;
  year: unknown;
}

const BASIS_NAMES: Record<string, string> = { prm: '防返贫口径（人均纯收入）', lip: '民政口径（人均可支配收入）' };
const SOURCE_NAMES: Record<string, string> = { prm: '防返贫系统原值', lip: '低收入平台原值', prm_converted: '由防返贫数据换算', lip_converted: '由低收入平台数据换算' };

/** Per-capita incomes on each basis, as the rules used them (from the reasons' inputs). */
export function incomesFromIdentification(ident: Obj | undefined): IncomeRow[] {
  const out = new Map<string, IncomeRow>();
  for (const r of ruleResults(ident)) {
    for (const reason of arr(r.reasons)) {
      const inp = isObj(reason.inputs) ? reason.inputs : undefined;
      if (!inp || typeof inp.perCapita !== 'number') continue;
      const basis = String(inp.basis ?? '');
      const source = String(inp.source ?? '');
      const key = `${basis}|${source}`;
      if (!out.has(key)) out.set(key, { key, basis: BASIS_NAMES[basis] ?? basis, source: SOURCE_NAMES[source] ?? source, perCapita: inp.perCapita, year: inp.year });
    }
  }
  return [...out.values()];
}
