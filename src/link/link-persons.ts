/**
 * Person linkage for one county (pure, in memory):
 * 1. exact match on the normalized ID (id_status valid / upgraded15 / disability20);
 * 2. Fellegi–Sunter on the records still unmatched across systems, blocked inside
 *    the county by (village + surname pinyin), full name, and (village + birth date),
 *    with m/u estimated by EM; bands: match / possible match (review) / non-match;
 * 3. reviewer decisions: accepted pairs are linked, rejected pairs never are.
 * A record with a missing or unusable ID is only ever proposed for review
 * (formats/README.md); a wrong check digit may link on name + birth + village.
 */
import { isLinkable } from '../domain/id-number.ts';
import type { Agreements, LinkMethod } from '../db/schema.ts';
import { agreementsOf, compareBirth, compareId, compareSex, jaroWinkler, jaroWinklerAtLeast, namePinyin } from './compare.ts';
import { DEFAULT_M, estimateEm, levelFrequencies, matchWeight, PATTERNS, patternOf, posteriorVec, vectorOf, type FsParams } from './fellegi-sunter.ts';
import type { LinkRecord, ReviewDecision } from './types.ts';
import { mulberry32 } from '../domain/rng.ts'; // seeded, so sampling (and so the merge) is deterministic

export interface LinkThresholds {
  /** Posterior at or above which a pair links automatically (when the ID rules allow). */
  match: number;
  /** Posterior at or above which a pair goes to clerical review. */
  review: number;
}
export const DEFAULT_THRESHOLDS: LinkThresholds = { match: 0.95, review: 0.3 };

export interface RecordLink {
  /** Key of the smallest record (system:key) in the person's cluster. */
  personKey: string;
  method: LinkMethod;
  score: number | null;
  agreements: Agreements;
}

export interface ReviewCandidate {
  prmKey: string;
  lipKey: string;
  regionCode: string;
  score: number;
  agreements: Agreements;
}

export interface LinkResult {
  /** Parallel to the input records. */
  links: RecordLink[];
  reviews: ReviewCandidate[];
  params: FsParams | null;
  stats: {
    records: number;
    idExactPersons: number;
    candidatePairs: number;
    probabilistic: number;
    reviewAccepted: number;
    reviewCandidates: number;
    rejectedRespected: number;
  };
}

class UnionFind {
  parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Growable Int32 buffer (candidate pairs can be millions). */
class IntBuf {
  a = new Int32Array(1024);
  n = 0;
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

export const recordRef = (r: Pick<LinkRecord, 'system' | 'key'>): string => `${r.system}:${r.key}`;
/** recordRef(a) < recordRef(b) without building the strings ('lip' and 'prm' have the same length). */
export const recordRefLess = (a: Pick<LinkRecord, 'system' | 'key'>, b: Pick<LinkRecord, 'system' | 'key'>): boolean =>
  a.system !== b.system ? a.system < b.system : a.key < b.key;

export function linkPersons(records: LinkRecord[], decisions: ReviewDecision[] = [], th: LinkThresholds = DEFAULT_THRESHOLDS): LinkResult {
  const n = records.length;
  const uf = new UnionFind(n);
  // --- 1. exact ID -----------------------------------------------------------
  const byId = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = records[i];
    if (!r.idNumber || !isLinkable(r.idStatus)) continue;
    const j = byId.get(r.idNumber);
    if (j === undefined) byId.set(r.idNumber, i);
    else uf.union(i, j);
  }
  // Systems present per ID cluster.
  const sysMask = new Uint8Array(n);
  for (let i = 0; i < n; i++) sysMask[uf.find(i)] |= records[i].system === 'prm' ? 1 : 2;
  const idExactPersons = [...byId.values()].filter((i) => sysMask[uf.find(i)] === 3).length;
  const idCluster = Int32Array.from({ length: n }, (_, i) => uf.find(i));
  const clusterSize = new Int32Array(n);
  for (let i = 0; i < n; i++) clusterSize[idCluster[i]]++;

  // Record index by `system:key`, built only when there are decisions to place.
  let keyIndex: Map<string, number> | null = null;
  const indexOfRef = (ref: string): number | undefined => {
    if (!keyIndex) {
      keyIndex = new Map();
      for (let i = 0; i < n; i++) keyIndex.set(recordRef(records[i]), i);
    }
    return keyIndex.get(ref);
  };

  // --- 3a. reviewer decisions (respected before anything probabilistic) -----
  const rejected = new Set<string>();
  const decided = new Map<string, ReviewDecision>();
  const reviewLink = new Map<number, { score: number; agreements: Agreements }>();
  let reviewAccepted = 0;
  const used = new Uint8Array(n); // cluster roots already linked across systems
  for (const d of decisions) {
    const pairKey = `${d.prmKey}\u0000${d.lipKey}`;
    decided.set(pairKey, d);
    if (d.status === 'rejected') rejected.add(pairKey);
    if (d.status !== 'accepted') continue;
    const p = indexOfRef(`prm:${d.prmKey}`);
    const l = indexOfRef(`lip:${d.lipKey}`);
    if (p === undefined || l === undefined) continue;
    const vec = compareVec(records[p], records[l]);
    uf.union(p, l);
    used[idCluster[p]] = 1;
    used[idCluster[l]] = 1;
    reviewLink.set(p, { score: 1, agreements: agreementsOf(vec) });
    reviewLink.set(l, { score: 1, agreements: agreementsOf(vec) });
    reviewAccepted++;
  }

  // --- 2. probabilistic on the residual -------------------------------------
  // Residual: records whose ID cluster has only one system and no accepted link.
  const resid: number[] = [];
  for (let i = 0; i < n; i++) if (sysMask[idCluster[i]] !== 3 && !used[idCluster[i]]) resid.push(i);
  const py = new Array<string | undefined>(n);
  const pyOf = (i: number): string => {
    let s = py[i];
    if (s === undefined) {
      s = records[i].name ? namePinyin(records[i].name as string).join(' ') : '';
      py[i] = s;
    }
    return s;
  };
  const surnamePy = (i: number): string => {
    const p = pyOf(i);
    const sp = p.indexOf(' ');
    return sp < 0 ? p : p.slice(0, sp);
  };
  const F = buildFeatures(records, pyOf);
  // Blocking rules (all inside the county): a pair is compared once, in the
  // first rule whose keys agree for both records.
  //   1 village + surname pinyin   2 full name   3 village + birth date (surname typos)
  // No (birth year + surname pinyin) rule: it gave 80 % of the candidate pairs (3.6M of 4.5M
  // per 100k bench county) but only cross-village pairs with different names, which can never
  // link automatically (that needs the same village) and on the demo truth proposed no true
  // match (BENCHMARKS.md, merge round 4).
  // Key parts interned once per residual record; a rule's key packs two parts into one
  // number (-1: no key), a bijection of the text keys (region|surname pinyin, …) without
  // building and hashing 4 strings per record.
  const spPart = new Int32Array(n);
  const namePart = new Int32Array(n);
  const birthPart = new Int32Array(n);
  const spIds = new Map<string, number>();
  const nameIds = new Map<string, number>();
  const birthIds = new Map<string, number>();
  for (const i of resid) {
    const r = records[i];
    if (r.name !== null) namePart[i] = intern(nameIds, r.name);
    if (r.name) spPart[i] = intern(spIds, surnamePy(i));
    if (r.birthDate) birthPart[i] = intern(birthIds, r.birthDate);
  }
  const nSp = spIds.size;
  const nBirth = birthIds.size;
  const ruleKeys: ((i: number) => number)[] = [
    (i) => (records[i].name ? F.region[i] * nSp + spPart[i] : -1),
    (i) => (records[i].name === null ? -1 : namePart[i]),
    (i) => (records[i].birthDate ? F.region[i] * nBirth + birthPart[i] : -1),
  ];
  type Block = { prm: number[]; lip: number[] };
  // Block ids per residual record (-1 = no key), so the hot loop below compares ints.
  const keyArr = ruleKeys.map(() => new Int32Array(n).fill(-1));
  const blocks = ruleKeys.map(() => [] as Block[]);
  for (let b = 0; b < ruleKeys.length; b++) {
    const ids = new Map<number, number>();
    for (const i of resid) {
      const k = ruleKeys[b](i);
      if (k < 0) continue;
      let id = ids.get(k);
      if (id === undefined) {
        ids.set(k, (id = ids.size));
        blocks[b].push({ prm: [], lip: [] });
      }
      keyArr[b][i] = id;
      (records[i].system === 'prm' ? blocks[b][id].prm : blocks[b][id].lip).push(i);
    }
  }
  const P = new IntBuf();
  const L = new IntBuf();
  const G = new IntBuf();
  for (let b = 0; b < ruleKeys.length; b++) {
    for (const blk of blocks[b]) {
      if (blk.prm.length === 0 || blk.lip.length === 0) continue;
      for (const p of blk.prm) {
        for (const l of blk.lip) {
          let earlier = false;
          for (let e = 0; e < b && !earlier; e++) {
            const kp = keyArr[e][p];
            earlier = kp !== -1 && kp === keyArr[e][l];
          }
          if (earlier) continue;
          P.push(p);
          L.push(l);
          G.push(fastPattern(F, p, l));
        }
      }
    }
  }
  // Pattern counts in a typed array (a Map update per pair was 4.5M updates per county);
  // the Map handed on keeps first-occurrence order, as EM's sums depend on it.
  const countArr = new Int32Array(PATTERNS);
  const firstSeen: number[] = [];
  for (let k = 0; k < G.n; k++) if (countArr[G.a[k]]++ === 0) firstSeen.push(G.a[k]);
  const counts = new Map<number, number>(firstSeen.map((pat) => [pat, countArr[pat]]));
  // As Splink: u from random record pairs (almost all non-matches), fixed during
  // EM; m starts from the pairs the exact-ID step already linked (name, village)
  // and the defaults (birth, sex, ID come from the ID itself there), and EM
  // refines m and λ on the blocked candidate pairs with a weak prior.
  let params: FsParams | null = null;
  if (G.n > 0) {
    const prmIdx: number[] = [];
    const lipIdx: number[] = [];
    for (let i = 0; i < n; i++) (records[i].system === 'prm' ? prmIdx : lipIdx).push(i);
    const rnd = mulberry32(0x5eed);
    const randomVecs: number[][] = [];
    const samples = Math.min(20_000, prmIdx.length * lipIdx.length);
    for (let k = 0; k < samples; k++) {
      const p = prmIdx[Math.floor(rnd() * prmIdx.length)];
      const l = lipIdx[Math.floor(rnd() * lipIdx.length)];
      randomVecs.push(vectorOf(fastPattern(F, p, l)));
    }
    const u0 = levelFrequencies(randomVecs);
    const labelled: number[][] = [];
    const firstOf = new Map<number, [number, number]>();
    for (let i = 0; i < n && labelled.length < 20_000; i++) {
      if (sysMask[idCluster[i]] !== 3) continue;
      const slot = firstOf.get(idCluster[i]) ?? [-1, -1];
      const side = records[i].system === 'prm' ? 0 : 1;
      if (slot[side] < 0) slot[side] = i;
      firstOf.set(idCluster[i], slot);
      if (slot[0] >= 0 && slot[1] >= 0 && slot[0] !== -2) {
        labelled.push(vectorOf(fastPattern(F, slot[0], slot[1])));
        slot[0] = -2; // counted once
        slot[1] = -2;
      }
    }
    const fromIds = labelled.length >= 20 ? levelFrequencies(labelled) : DEFAULT_M;
    const m0 = { ...DEFAULT_M, name: fromIds.name, village: fromIds.village };
    // EM training session on the pairs that agree on the name (Splink: one session per
    // blocking rule; the blocking column's m is not estimated there). Among namesakes
    // birth date, sex, ID and village separate matches from non-matches well.
    const train = new Map<number, number>();
    let nTrain = 0;
    for (const [pat, c] of counts) {
      const v = vectorOf(pat);
      if (v[0] >= 2) {
        v[0] = -1; // the blocking column carries no information inside its own block
        const tp = patternOf(v);
        train.set(tp, (train.get(tp) ?? 0) + c);
        nTrain += c;
      }
    }
    const trained = estimateEm(nTrain > 0 ? train : counts, { m0, u0, fixU: true, fixM: ['name'], priorWeight: 50, lambda0: 0.1 });
    // Prior for all candidate pairs: the expected matches found among namesakes, spread over all pairs.
    const lambda = Math.min(0.5, Math.max(1e-7, (trained.lambda * (nTrain > 0 ? nTrain : G.n)) / G.n));
    params = { ...trained, lambda };
  }
  const post = new Float64Array(PATTERNS);
  if (params) for (const pat of counts.keys()) post[pat] = posteriorVec(params, vectorOf(pat));

  // Candidate pairs above the review band, best first (deterministic tie-break by keys).
  const cand: { p: number; l: number; s: number; pat: number; rp: string; rl: string }[] = [];
  for (let k = 0; k < G.n; k++) {
    const s = post[G.a[k]];
    if (s >= th.review) cand.push({ p: P.a[k], l: L.a[k], s, pat: G.a[k], rp: recordRef(records[P.a[k]]), rl: recordRef(records[L.a[k]]) });
  }
  cand.sort((a, b) => b.s - a.s || (a.rp < b.rp ? -1 : a.rp > b.rp ? 1 : a.rl < b.rl ? -1 : a.rl > b.rl ? 1 : 0));

  const probLink = new Map<number, { score: number; agreements: Agreements }>();
  const reviews: ReviewCandidate[] = [];
  const inReview = new Set<number>();
  const reviewRecs: number[] = []; // the review's prm and lip record indices, two per review
  let probabilistic = 0;
  let rejectedRespected = 0;
  for (const c of cand) {
    const rp = records[c.p];
    const rl = records[c.l];
    const pairKey = `${rp.key}\u0000${rl.key}`;
    if (rejected.has(pairKey)) {
      rejectedRespected++;
      continue;
    }
    const cp = idCluster[c.p];
    const cl = idCluster[c.l];
    if (used[cp] || used[cl]) continue;
    const v = vectorOf(c.pat);
    const [name, birth, , village, id] = v;
    const bothLinkable = rp.idNumber !== null && rl.idNumber !== null && isLinkable(rp.idStatus) && isLinkable(rl.idStatus);
    const anyMissing = rp.idNumber === null || rl.idNumber === null;
    // Two valid, different IDs are two people unless a reviewer says otherwise.
    if (bothLinkable && id < 1) continue;
    const auto = !anyMissing && !bothLinkable && c.s >= th.match && name >= 2 && village === 1 && (birth === 2 || id >= 1);
    const score = round(c.s);
    const agreements: Agreements = { ...agreementsOf(v), weight: round(params ? matchWeight(params, v) : 0) };
    if (auto) {
      uf.union(c.p, c.l);
      used[cp] = 1;
      used[cl] = 1;
      probLink.set(c.p, { score, agreements });
      probLink.set(c.l, { score, agreements });
      probabilistic++;
    } else if (!decided.has(pairKey) || decided.get(pairKey)?.status === 'pending') {
      // One open review per record: the best-scoring candidate.
      if (inReview.has(c.p) || inReview.has(c.l)) continue;
      inReview.add(c.p);
      inReview.add(c.l);
      reviews.push({ prmKey: rp.key, lipKey: rl.key, regionCode: rp.regionCode, score, agreements });
      reviewRecs.push(c.p, c.l);
    }
  }
  // A review proposed before a later automatic link took one of its records is moot.
  const liveReviews = reviews.filter((_, k) => !probLink.has(reviewRecs[2 * k]) && !probLink.has(reviewRecs[2 * k + 1]));
  reviews.length = 0;
  reviews.push(...liveReviews);

  // --- person keys and methods ----------------------------------------------
  // Smallest `system:key` per cluster.
  const minRec = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const root = uf.find(i);
    if (minRec[root] < 0 || recordRefLess(records[i], records[minRec[root]])) minRec[root] = i;
  }
  const personKeyOf = new Array<string | undefined>(n);
  const links: RecordLink[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const root = uf.find(i);
    const personKey = (personKeyOf[root] ??= recordRef(records[minRec[root]]));
    const rv = reviewLink.get(i);
    const pr = probLink.get(i);
    if (rv) links[i] = { personKey, method: 'review', score: rv.score, agreements: rv.agreements };
    else if (pr) links[i] = { personKey, method: 'probabilistic', score: pr.score, agreements: pr.agreements };
    else if (clusterSize[idCluster[i]] > 1) links[i] = { personKey, method: 'id_exact', score: null, agreements: { id: 'exact' } };
    else links[i] = { personKey, method: 'singleton', score: null, agreements: {} };
  }
  return {
    links,
    reviews,
    params,
    stats: {
      records: n,
      idExactPersons,
      candidatePairs: G.n,
      probabilistic,
      reviewAccepted,
      reviewCandidates: reviews.length,
      rejectedRespected,
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

function fillVec(out: Int32Array, a: LinkRecord, b: LinkRecord, ia: number, ib: number, pyOf: (i: number) => string): void {
  let name = -1;
  if (a.name && b.name) {
    if (a.name === b.name) name = 3;
    else {
      const pa = pyOf(ia);
      const pb = pyOf(ib);
      if (pa === pb) name = 2;
      else {
        const sa = pa.indexOf(' ');
        const sb = pb.indexOf(' ');
        name = pa.slice(0, sa) === pb.slice(0, sb) && jaroWinkler(pa, pb) >= 0.88 ? 1 : 0;
      }
    }
  }
  out[0] = name;
  out[1] = compareBirth(a.birthDate, b.birthDate);
  out[2] = compareSex(a.sex, b.sex);
  out[3] = a.regionCode === b.regionCode ? 1 : 0;
  out[4] = compareId(a.idNumber, b.idNumber);
}

/** Reference comparison of two records (string-based); the pair loop uses `fastPattern`, which must agree. */
export function compareVec(a: LinkRecord, b: LinkRecord): number[] {
  const v = new Int32Array(5);
  const pa = a.name ? namePinyin(a.name).join(' ') : '';
  const pb = b.name ? namePinyin(b.name).join(' ') : '';
  fillVec(v, a, b, 0, 1, (i) => (i === 0 ? pa : pb));
  return [...v];
}


/** Per-record comparison features, computed once per county (ints instead of strings in the pair loop). */
export interface Features {
  /** Interned name (-1: missing or empty). */
  name: Int32Array;
  /** Interned full pinyin. */
  py: Int32Array;
  /** Interned surname key for the similar-pinyin test (as `fillVec`: text before the first space, or all but the last letter). */
  sur: Int32Array;
  pyStr: string[];
  /** Birth year, month, day (-1: missing). */
  by: Int32Array;
  bm: Int32Array;
  bd: Int32Array;
  /** Interned sex (-1: missing) and region code. */
  sex: Int32Array;
  region: Int32Array;
  id: (string | null)[];
  birth: (string | null)[];
}

function intern(m: Map<string, number>, k: string): number {
  let v = m.get(k);
  if (v === undefined) m.set(k, (v = m.size));
  return v;
}

export function buildFeatures(records: LinkRecord[], pyOf: (i: number) => string): Features {
  const n = records.length;
  const f: Features = {
    name: new Int32Array(n).fill(-1),
    py: new Int32Array(n).fill(-1),
    sur: new Int32Array(n).fill(-1),
    pyStr: [],
    by: new Int32Array(n).fill(-1),
    bm: new Int32Array(n).fill(-1),
    bd: new Int32Array(n).fill(-1),
    sex: new Int32Array(n).fill(-1),
    region: new Int32Array(n),
    id: new Array<string | null>(n),
    birth: new Array<string | null>(n),
  };
  const names = new Map<string, number>();
  const pys = new Map<string, number>();
  const surs = new Map<string, number>();
  const sexes = new Map<string, number>();
  const regions = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = records[i];
    if (r.name) {
      f.name[i] = intern(names, r.name);
      const pa = pyOf(i);
      const id = intern(pys, pa);
      f.py[i] = id;
      f.pyStr[id] = pa;
      f.sur[i] = intern(surs, pa.slice(0, pa.indexOf(' ')));
    }
    const b = r.birthDate;
    if (b) {
      // ISO YYYY-MM-DD; any other shape keeps the string comparison's meaning via -2 parts.
      const y = /^\d{4}-\d{2}-\d{2}$/.test(b);
      f.by[i] = y ? Number(b.slice(0, 4)) : -2;
      f.bm[i] = y ? Number(b.slice(5, 7)) : -2;
      f.bd[i] = y ? Number(b.slice(8, 10)) : -2;
    }
    if (r.sex) f.sex[i] = intern(sexes, r.sex);
    f.region[i] = intern(regions, r.regionCode);
    f.id[i] = r.idNumber;
    f.birth[i] = r.birthDate;
  }
  return f;
}

/** Same levels as `fillVec`, from the precomputed features; returns the pattern number. */
export function fastPattern(f: Features, a: number, b: number): number {
  let name = -1;
  const na = f.name[a];
  const nb = f.name[b];
  if (na >= 0 && nb >= 0) {
    if (na === nb) name = 3;
    else {
      const pa = f.py[a];
      const pb = f.py[b];
      if (pa === pb) name = 2;
      else if (f.sur[a] !== f.sur[b]) name = 0;
      else {
        name = jaroWinklerAtLeast(f.pyStr[pa], f.pyStr[pb], 0.88) ? 1 : 0;
      }
    }
  }
  let birth = -1;
  if (f.by[a] !== -1 && f.by[b] !== -1) {
    if (f.by[a] === -2 || f.by[b] === -2) birth = compareBirth(f.birth[a], f.birth[b]);
    else {
      const diff = (f.by[a] !== f.by[b] ? 1 : 0) + (f.bm[a] !== f.bm[b] ? 1 : 0) + (f.bd[a] !== f.bd[b] ? 1 : 0);
      birth = diff === 0 ? 2 : diff === 1 ? 1 : 0;
    }
  }
  const sex = f.sex[a] < 0 || f.sex[b] < 0 ? -1 : f.sex[a] === f.sex[b] ? 1 : 0;
  const village = f.region[a] === f.region[b] ? 1 : 0;
  const id = compareId(f.id[a], f.id[b]);
  // patternOf([name, birth, sex, village, id]) without the array.
  PV[0] = name;
  PV[1] = birth;
  PV[2] = sex;
  PV[3] = village;
  PV[4] = id;
  return patternOf(PV);
}
const PV = new Int32Array(5);
