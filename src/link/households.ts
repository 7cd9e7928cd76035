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
  // Node → distinct persons, person → distinct nodes, as offset arrays (a Set per node and an
  // array per person were 250k small objects per 100k county, mostly garbage-collection work).
  const nNodes = nodeKeys.length;
  const isPrmNode = Uint8Array.from(nodeKeys, (k) => (k.startsWith('prm:') ? 1 : 0));
  const nodePersons = distinctByGroup(nodeOfRec, personOfRec, nNodes, np);
  const personNodes = distinctByGroup(personOfRec, nodeOfRec, np, nNodes);
  // Pairings (edges) and components.
  const parent = Int32Array.from({ length: nNodes }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const edgeIdx = new Map<number, number>(); // a * nNodes + b → edge
  const edgeA: number[] = [];
  const edgeB: number[] = [];
  const edgeShared: number[] = [];
  for (let p = 0; p < np; p++) {
    if (pMask[p] !== 3) continue;
    for (let x = personNodes.start[p]; x < personNodes.start[p + 1]; x++) {
      const a = personNodes.items[x];
      if (!isPrmNode[a]) continue;
      for (let y = personNodes.start[p]; y < personNodes.start[p + 1]; y++) {
        const b = personNodes.items[y];
        if (isPrmNode[b]) continue;
        const ek = a * nNodes + b;
        const e = edgeIdx.get(ek);
        if (e !== undefined) edgeShared[e]++;
        else {
          edgeIdx.set(ek, edgeA.length);
          edgeA.push(a);
          edgeB.push(b);
          edgeShared.push(1);
        }
        const ra = find(a);
        const rb = find(b);
        if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      }
    }
  }
  // Component ids from the smallest node key (indexed by root).
  const compMin = new Array<string | undefined>(nNodes);
  for (let j = 0; j < nNodes; j++) {
    const r = find(j);
    const cur = compMin[r];
    if (cur === undefined || nodeKeys[j] < cur) compMin[r] = nodeKeys[j];
  }
  const compId = new Array<string>(nNodes);
  for (let r = 0; r < nNodes; r++) if (compMin[r] !== undefined) compId[r] = householdIdOf(county, compMin[r] as string);

  // Households (one per component root).
  const hhOf = new Int32Array(nNodes).fill(-1);
  const households: HouseholdOut[] = [];
  for (let j = 0; j < nNodes; j++) {
    const r = find(j);
    if (hhOf[r] < 0) {
      hhOf[r] = households.length;
      const minNode = compMin[r] as string;
      households.push({
        householdId: compId[r],
        category: 'II',
        regionCode: nodeRegion[nodeIdx.get(minNode) as number],
        prmNos: [],
        lipNos: [],
        persons: 0,
        personsPrmOnly: 0,
        personsLipOnly: 0,
        personsBoth: 0,
      });
    }
    const h = households[hhOf[r]];
    const key = nodeKeys[j];
    if (isPrmNode[j]) h.prmNos.push(key.slice(4));
    else h.lipNos.push(key.slice(4));
  }
  // Each person counts once in every household one of its nodes belongs to.
  for (let p = 0; p < np; p++) {
    for (let x = personNodes.start[p]; x < personNodes.start[p + 1]; x++) {
      const r = find(personNodes.items[x]);
      let dup = false;
      for (let y = personNodes.start[p]; y < x && !dup; y++) dup = find(personNodes.items[y]) === r;
      if (dup) continue;
      const h = households[hhOf[r]];
      h.persons++;
      if (pMask[p] === 3) h.personsBoth++;
      else if (pMask[p] === 1) h.personsPrmOnly++;
      else h.personsLipOnly++;
    }
  }
  for (const h of households) {
    h.prmNos.sort();
    h.lipNos.sort();
    h.category = categoryOf(h.prmNos.length > 0, h.lipNos.length > 0);
  }
  households.sort((a, b) => (a.householdId < b.householdId ? -1 : a.householdId > b.householdId ? 1 : 0));

  // Pairings + unpaired nodes.
  const pairings: PairingOut[] = [];
  const paired = new Uint8Array(nNodes);
  for (let e = 0; e < edgeA.length; e++) {
    const a = edgeA[e];
    const b = edgeB[e];
    paired[a] = 1;
    paired[b] = 1;
    // |persons(a) ∪ persons(b)|: both lists are short.
    let members = nodePersons.start[a + 1] - nodePersons.start[a];
    for (let y = nodePersons.start[b]; y < nodePersons.start[b + 1]; y++) {
      let inA = false;
      for (let x = nodePersons.start[a]; x < nodePersons.start[a + 1] && !inA; x++) inA = nodePersons.items[x] === nodePersons.items[y];
      if (!inA) members++;
    }
    const prmNo = nodeKeys[a].slice(4);
    const lipNo = nodeKeys[b].slice(4);
    pairings.push({
      pairingKey: `${prmNo}|${lipNo}`,
      householdId: compId[find(a)],
      prmNo,
      lipNo,
      prmFileId: nodeFile[a],
      lipFileId: nodeFile[b],
      regionCode: nodeRegion[a],
      members,
      sharedPersons: edgeShared[e],
    });
  }
  for (let j = 0; j < nNodes; j++) {
    if (paired[j]) continue;
    const isPrm = isPrmNode[j] === 1;
    const no = nodeKeys[j].slice(4);
    pairings.push({
      pairingKey: isPrm ? `${no}|` : `|${no}`,
      householdId: compId[find(j)],
      prmNo: isPrm ? no : null,
      lipNo: isPrm ? null : no,
      prmFileId: isPrm ? nodeFile[j] : null,
      lipFileId: isPrm ? null : nodeFile[j],
      regionCode: nodeRegion[j],
      members: nodePersons.start[j + 1] - nodePersons.start[j],
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
      householdId: compId[find(nodeOfRec[rep[p]])],
    });
  }
  for (let i = 0; i < n; i++) {
    personIds[i] = persons[personOfRec[i]].personId;
    householdIds[i] = compId[find(nodeOfRec[i])];
  }
  persons.sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0));
  return { households, pairings, persons, personIds, householdIds };
}


/** Distinct values per group in first-occurrence order, as one array with group offsets (`start[g]` to `start[g + 1]`). */
function distinctByGroup(group: Int32Array, value: Int32Array, nGroups: number, nValues: number): { start: Int32Array; items: Int32Array } {
  const n = group.length;
  const start = new Int32Array(nGroups + 1);
  for (let i = 0; i < n; i++) start[group[i] + 1]++;
  for (let g = 0; g < nGroups; g++) start[g + 1] += start[g];
  const next = start.slice(0, nGroups);
  const items = new Int32Array(n);
  for (let i = 0; i < n; i++) items[next[group[i]]++] = value[i];
  // Drop repeats inside each group (stable counting sort above keeps first-occurrence order).
  const seen = new Int32Array(nValues).fill(-1);
  let w = 0;
  for (let g = 0; g < nGroups; g++) {
    const from = start[g];
    const to = start[g + 1];
    start[g] = w;
    for (let k = from; k < to; k++) {
      const v = items[k];
      if (seen[v] !== g) {
        seen[v] = g;
        items[w++] = v;
      }
    }
  }
  start[nGroups] = w;
  return { start, items: items.subarray(0, w) };
}
