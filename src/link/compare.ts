/**
 * Field comparisons for person linkage (并库比对): name (characters and
 * pinyin), birth date, sex, village code and the ID number itself. Each
 * comparison returns an agreement level (higher = closer) or -1 when the
 * field is missing on either side ("not comparable", contributes nothing).
 * Pure.
 */
import { pinyin } from 'pinyin-pro';

// Scratch match flags reused across calls (called millions of times per county).
let MA = new Uint8Array(64);
let MB = new Uint8Array(64);

/** Jaro–Winkler similarity (0..1), prefix scale 0.1 up to 4 characters. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const range = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  if (MA.length < la) MA = new Uint8Array(la * 2);
  if (MB.length < lb) MB = new Uint8Array(lb * 2);
  const ma = MA;
  const mb = MB;
  ma.fill(0, 0, la);
  mb.fill(0, 0, lb);
  let matches = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - range);
    const hi = Math.min(lb - 1, i + range);
    for (let j = lo; j <= hi; j++) {
      if (!mb[j] && a.charCodeAt(i) === b.charCodeAt(j)) {
        ma[i] = 1;
        mb[j] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  let t = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (!ma[i]) continue;
    while (!mb[k]) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) t++;
    k++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - t / 2) / m) / 3;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/**
 * `jaroWinkler(a, b) >= min`, faster: match flags in bit masks (strings up to
 * 31 characters) and an early exit once too many characters of `a` found no
 * match for the score to reach `min` even with no transpositions (the pair
 * loop calls it millions of times, and most pairs fail).
 */
export function jaroWinklerAtLeast(a: string, b: string, min: number): boolean {
  const la = a.length;
  const lb = b.length;
  if (la > 31 || lb > 31 || la === 0 || lb === 0 || a === b) return jaroWinkler(a, b) >= min;
  let prefix = 0;
  while (prefix < 4 && prefix < la && prefix < lb && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  // jw = jaro + 0.1·prefix·(1 − jaro) ≥ min  ⇔  jaro ≥ jMin; jaro ≤ (m/la + m/lb + 1)/3.
  const jMin = (min - 0.1 * prefix) / (1 - 0.1 * prefix);
  const mReq = (3 * jMin - 1) / (1 / la + 1 / lb);
  // Unmatched characters of `a` allowed (the 1e-6 keeps the bound on the safe side of rounding).
  const maxMissed = Math.floor(la - mReq + 1e-6);
  const range = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  let ma = 0;
  let mb = 0;
  let matches = 0;
  let missed = 0;
  for (let i = 0; i < la; i++) {
    const lo = i - range > 0 ? i - range : 0;
    const hi = i + range < lb - 1 ? i + range : lb - 1;
    const c = a.charCodeAt(i);
    let found = false;
    for (let j = lo; j <= hi; j++) {
      if ((mb & (1 << j)) === 0 && c === b.charCodeAt(j)) {
        ma |= 1 << i;
        mb |= 1 << j;
        matches++;
        found = true;
        break;
      }
    }
    if (!found && ++missed > maxMissed) return false;
  }
  if (matches === 0) return 0 >= min;
  let t = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if ((ma & (1 << i)) === 0) continue;
    while ((mb & (1 << k)) === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) t++;
    k++;
  }
  const m = matches;
  const jaro = (m / la + m / lb + (m - t / 2) / m) / 3;
  return jaro + prefix * 0.1 * (1 - jaro) >= min;
}

const pinyinCache = new Map<string, string[]>();

/** Toneless pinyin syllables of a Chinese name (cached: names repeat a lot). */
export function namePinyin(name: string): string[] {
  let p = pinyinCache.get(name);
  if (!p) {
    p = pinyin(name, { toneType: 'none', type: 'array', v: true }).map((s) => s.toLowerCase());
    if (pinyinCache.size > 200_000) pinyinCache.clear();
    pinyinCache.set(name, p);
  }
  return p;
}

/** Name levels: 3 same characters, 2 same pinyin (同音字, e.g. 张丽/张莉), 1 similar pinyin (JW ≥ 0.88), 0 different. */
export function compareName(a: string | null, b: string | null): number {
  if (!a || !b) return -1;
  if (a === b) return 3;
  const pa = namePinyin(a);
  const pb = namePinyin(b);
  const ja = pa.join(' ');
  const jb = pb.join(' ');
  if (ja === jb) return 2;
  return jaroWinkler(ja, jb) >= 0.88 ? 1 : 0;
}

/** Birth date levels (ISO dates): 2 equal, 1 exactly one of year/month/day differs (typo), 0 different. */
export function compareBirth(a: string | null, b: string | null): number {
  if (!a || !b) return -1;
  if (a === b) return 2;
  let diff = 0;
  if (a.slice(0, 4) !== b.slice(0, 4)) diff++;
  if (a.slice(5, 7) !== b.slice(5, 7)) diff++;
  if (a.slice(8, 10) !== b.slice(8, 10)) diff++;
  return diff === 1 ? 1 : 0;
}

export function compareSex(a: string | null, b: string | null): number {
  if (!a || !b) return -1;
  return a === b ? 1 : 0;
}

export function compareVillage(a: string, b: string): number {
  return a === b ? 1 : 0;
}

/** ID levels: 2 same first 17 digits (only the check digit differs or equal), 1 at most 2 positions differ, 0 different. */
export function compareId(a: string | null, b: string | null): number {
  if (!a || !b) return -1;
  if (a.length !== 18 || b.length !== 18) return a === b ? 2 : 0;
  let d = 0;
  for (let i = 0; i < 17; i++) if (a.charCodeAt(i) !== b.charCodeAt(i) && ++d > 2) return 0;
  return d === 0 ? 2 : 1;
}

/** The compared fields, in the order of a comparison vector. */
export const FIELDS = ['name', 'birth', 'sex', 'village', 'id'] as const;
export type Field = (typeof FIELDS)[number];
/** Number of agreement levels per field (excluding "missing"). */
export const LEVELS: Record<Field, number> = { name: 4, birth: 3, sex: 2, village: 2, id: 3 };

/** Human-readable labels of the levels, for review screens and `agreements` jsonb. */
export const LEVEL_LABELS: Record<Field, string[]> = {
  name: ['different', 'similar_pinyin', 'same_pinyin', 'exact'],
  birth: ['different', 'one_part_differs', 'exact'],
  sex: ['different', 'exact'],
  village: ['different', 'exact'],
  id: ['different', 'close', 'same_17'],
};

export function agreementsOf(vec: ArrayLike<number>): Record<Field, string | null> {
  const out = {} as Record<Field, string | null>;
  FIELDS.forEach((f, i) => {
    out[f] = vec[i] < 0 ? null : LEVEL_LABELS[f][vec[i]];
  });
  return out;
}
