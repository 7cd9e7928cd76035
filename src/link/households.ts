/**
 * Household reconciliation (pure): the graph whose nodes are PRM households
 * and LIP families and whose edges are pairings (they share ≥ 1 linked
 * person); its connected components are the unified households, categorised
 * II (PRM only) / III (LIP only) / IV (both) exactly as formats/outputs.md
 * defines, and the same at person level.
 */
import { hash } from 'node:crypto';
import type { Category } from '../db/schema.ts';
import { recordRefLess, type RecordLink } from './link-persons.ts';
import type { LinkRecord } from './types.ts';

export interface PairingOut {
  pairingKey: string;
  householdId: string;
  prmNo: string | null;
  lipNo: string | null;
  prmFileId: string | null;
  lipFileId: string | null;
  regionCode: string;
  members: number;
  sharedPersons: number;
}

export interface HouseholdOut {
  householdId: string;
  category: Category;
  regionCode: string;
  prmNos: string[];
  lipNos: string[];
  persons: number;
  personsPrmOnly: number;
  personsLipOnly: number;
  personsBoth: number;
}

export interface PersonOut {
  personId: string;
  personKey: string;
  idNumber: string | null;
  name: string | null;
  birthDate: string | null;
  sex: string | null;
  regionCode: string;
  inPrm: boolean;
  inLip: boolean;
  category: Category;
  householdId: string;
}

export interface ReconcileResult {
  households: HouseholdOut[];
  pairings: PairingOut[];
  persons: PersonOut[];
  /** personId per input record (parallel array). */
  personIds: string[];
  /** householdId per input record. */
  householdIds: string[];
}

/** First 16 hex digits of sha1; the one-shot hash() is 2-3x cheaper than createHash() for short strings. */
export const shortHash = (s: string): string => hash('sha1', s, 'hex').slice(0, 16);

/** Stable person id: from the county and the smallest record reference in the cluster. */
export const personIdOf = (county: string, personKey: string): string => `P${county}${shortHash(personKey)}`;
/** Stable household id: from the county and the smallest node key (`prm:…` < `lip:…` never mixes: both sorted as text). */
export const householdIdOf = (county: string, nodeKey: string): string => `H${county}${shortHash(nodeKey)}`;

export const categoryOf = (prm: boolean, lip: boolean): Category => (prm && lip ? 'IV' : prm ? 'II' : 'III');

export function reconcile(county: string, records: LinkRecord[], links: RecordLink[]): ReconcileResult {
  const n = records.length;
  // Nodes.
  const nodeIdx = new Map<string, number>();
  const nodeKeys: string[] = [];
  const nodeOfRec = new Int32Array(n);
  const nodeFile: string[] = [];
  const nodeRegion: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = records[i];
    const k = `${r.system}:${r.groupNo}`;
    let j = nodeIdx.get(k);
    if (j === undefined) {
      j = nodeKeys.length;
      nodeIdx.set(k, j);
      nodeKeys.push(k);
      nodeFile.push(r.fileId);
      nodeRegion.push(r.regionCode);
    }
    nodeOfRec[i] = j;
  }
  // Persons.
  const personIdx = new Map<string, number>();
  const personKeys: string[] = [];
  const personOfRec = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const pk = links[i].personKey;
    let j = personIdx.get(pk);
    if (j === undefined) {
      j = personKeys.length;
      personIdx.set(pk, j);
      personKeys.push(pk);
    }
    personOfRec[i] = j;
  }
  const np = personKeys.length;
  const pMask = new Uint8Array(np);
  for (let i = 0; i < n; i++) pMask[personOfRec[i]] |= records[i].system === 'prm' ? 1 : 2;
  // Node → persons, person → nodes.
  const nodePersons: Set<number>[] = nodeKeys.map(() => new Set<number>());
  const personNodes: number[][] = Array.from({ length: np }, () => []);
  for (let i = 0; i < n; i++) {
    const nd = nodeOfRec[i];
    const p = personOfRec[i];
    nodePersons[nd].add(p);
    if (!personNodes[p].includes(nd)) personNodes[p].push(nd);
  }
  // Pairings (edges) and components.
  const parent = Int32Array.from({ length: nodeKeys.length }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const edges = new Map<string, { a: number; b: number; shared: number }>();
  for (let p = 0; p < np; p++) {
    if (pMask[p] !== 3) continue;
    const nodes = personNodes[p];
    for (const a of nodes) {
      if (!nodeKeys[a].startsWith('prm:')) continue;
      for (const b of nodes) {
        if (!nodeKeys[b].startsWith('lip:')) continue;
        const ek = `${a},${b}`;
        const e = edges.get(ek);
        if (e) e.shared++;
        else edges.set(ek, { a, b, shared: 1 });
        const ra = find(a);
        const rb = find(b);
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
  }
  // Component ids from the smallest node key.
  const compMin = new Map<number, string>();
  for (let j = 0; j < nodeKeys.length; j++) {
    const r = find(j);
    const cur = compMin.get(r);
    if (cur === undefined || nodeKeys[j] < cur) compMin.set(r, nodeKeys[j]);
  }
  const compId = new Map<number, string>();
  for (const [r, k] of compMin) compId.set(r, householdIdOf(county, k));

  // Households.
  const hh = new Map<number, HouseholdOut & { personSet: Set<number>; minNode: string }>();
  for (let j = 0; j < nodeKeys.length; j++) {
    const r = find(j);
    let h = hh.get(r);
    if (!h) {
      const minNode = compMin.get(r) as string;
      h = {
        householdId: compId.get(r) as string,
        category: 'II',
        regionCode: nodeRegion[nodeIdx.get(minNode) as number],
        prmNos: [],
        lipNos: [],
        persons: 0,
        personsPrmOnly: 0,
        personsLipOnly: 0,
        personsBoth: 0,
        personSet: new Set(),
        minNode,
      };
      hh.set(r, h);
    }
    const key = nodeKeys[j];
    if (key.startsWith('prm:')) h.prmNos.push(key.slice(4));
    else h.lipNos.push(key.slice(4));
    for (const p of nodePersons[j]) h.personSet.add(p);
  }
  const households: HouseholdOut[] = [];
  for (const h of hh.values()) {
    h.prmNos.sort();
    h.lipNos.sort();
    h.category = categoryOf(h.prmNos.length > 0, h.lipNos.length > 0);
    for (const p of h.personSet) {
      if (pMask[p] === 3) h.personsBoth++;
      else if (pMask[p] === 1) h.personsPrmOnly++;
      else h.personsLipOnly++;
    }
    h.persons = h.personSet.size;
    const { personSet: _s, minNode: _m, ...out } = h;
    households.push(out);
  }
  households.sort((a, b) => (a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0));

  // Pairings + unpaired nodes.
  const pairings: PairingOut[] = [];
  const paired = new Uint8Array(nodeKeys.length);
  for (const e of edges.values()) {
    paired[e.a] = 1;
    paired[e.b] = 1;
    const union = new Set<number>([...nodePersons[e.a], ...nodePersons[e.b]]);
    const prmNo = nodeKeys[e.a].slice(4);
    const lipNo = nodeKeys[e.b].slice(4);
    pairings.push({
      pairingKey: `${prmNo}|${lipNo}`,
      householdId: compId.get(find(e.a)) as string,
      prmNo,
      lipNo,
      prmFileId: nodeFile[e.a],
      lipFileId: nodeFile[e.b],
      regionCode: nodeRegion[e.a],
      members: union.size,
      sharedPersons: e.shared,
    });
  }
  for (let j = 0; j < nodeKeys.length; j++) {
    if (paired[j]) continue;
    const isPrm = nodeKeys[j].startsWith('prm:');
    const no = nodeKeys[j].slice(4);
    pairings.push({
      pairingKey: isPrm ? `${no}|` : `|${no}`,
      householdId: compId.get(find(j)) as string,
      prmNo: isPrm ? no : null,
      lipNo: isPrm ? null : no,
      prmFileId: isPrm ? nodeFile[j] : null,
      lipFileId: isPrm ? null : nodeFile[j],
      regionCode: nodeRegion[j],
      members: nodePersons[j].size,
      sharedPersons: 0,
    });
  }
  pairings.sort((a, b) => (a.pairingKey < b.pairingKey ? -1 : a.pairingKey > b.pairingKey ? 1 : 0));

  // Persons: representative fields from the first record (PRM preferred, valid ID preferred).
  const rep = new Int32Array(np).fill(-1);
  const score = (i: number): number => (records[i].idNumber && records[i].idStatus !== 'bad_check' ? 2 : 0) + (records[i].system === 'prm' ? 1 : 0);
  for (let i = 0; i < n; i++) {
    const p = personOfRec[i];
    const cur = rep[p];
    if (cur < 0 || score(i) > score(cur) || (score(i) === score(cur) && recordRefLess(records[i], records[cur]))) rep[p] = i;
  }
  const personIds = new Array<string>(n);
  const householdIds = new Array<string>(n);
  const persons: PersonOut[] = [];
  for (let p = 0; p < np; p++) {
    const r = records[rep[p]];
    persons.push({
      personId: personIdOf(county, personKeys[p]),
      personKey: personKeys[p],
      idNumber: r.idNumber,
      name: r.name,
      birthDate: r.birthDate,
      sex: r.sex,
      regionCode: r.regionCode,
      inPrm: (pMask[p] & 1) !== 0,
      inLip: (pMask[p] & 2) !== 0,
      category: categoryOf((pMask[p] & 1) !== 0, (pMask[p] & 2) !== 0),
      householdId: compId.get(find(nodeOfRec[rep[p]])) as string,
    });
  }
  for (let i = 0; i < n; i++) {
    personIds[i] = persons[personOfRec[i]].personId;
    householdIds[i] = compId.get(find(nodeOfRec[i])) as string;
  }
  persons.sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0));
  return { households, pairings, persons, personIds, householdIds };
}

