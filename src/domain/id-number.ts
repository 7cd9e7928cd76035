/**
 * 居民身份证号码 (GB 11643-1999): normalization, check digit, 15→18 upgrade,
 * birth date, sex and region. Pure; a wrong check digit is a finding, not a throw.
 */
import type { IdStatus } from './records.ts';

/** A normalized 18-character ID number (digits + optional trailing X). */
export type IdNumber = string & { readonly __brand: 'IdNumber' };

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** Check character for the first 17 digits. */
export function checkDigit(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
}

/** Full-width digits/letters → ASCII; drops spaces, apostrophes, tabs, dashes inside. */
export function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

export interface ParsedId {
  /** Normalized 18-char number, or null when unusable (missing / invalid). */
  idNumber: IdNumber | null;
  status: IdStatus;
  birthDate: string | null; // ISO yyyy-mm-dd
  sex: 'M' | 'F' | null;
  /** 6-digit 行政区划 of registration. */
  region: string | null;
}

const MISSING = new Set(['', '不详', '无', '未知', '空', '-', '--', '/', 'null', 'NULL', 'N/A', '#N/A']);

function validDate(y: number, m: number, d: number): boolean {
  if (y < 1880 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

function parts(id18: string): { birthDate: string | null; sex: 'M' | 'F' } {
  const y = Number(id18.slice(6, 10));
  const m = Number(id18.slice(10, 12));
  const d = Number(id18.slice(12, 14));
  const birthDate = validDate(y, m, d) ? `${id18.slice(6, 10)}-${id18.slice(10, 12)}-${id18.slice(12, 14)}` : null;
  const sex = Number(id18[16]) % 2 === 1 ? 'M' : 'F';
  return { birthDate, sex };
}

/** Upgrades a 15-digit old ID (yymmdd, born 19xx) to 18 digits with a fresh check digit. */
export function upgrade15(id15: string): string {
  const first17 = `${id15.slice(0, 6)}19${id15.slice(6, 15)}`;
  return first17 + checkDigit(first17);
}

/**
 * Normalizes a raw ID cell as found in exports: full-width digits, spaces,
 * Excel apostrophe, lowercase x, 15-digit old IDs, 20-digit 残疾证 numbers.
 */
export function parseIdNumber(raw: string | null | undefined): ParsedId {
  const none: ParsedId = { idNumber: null, status: 'missing', birthDate: null, sex: null, region: null };
  if (raw === null || raw === undefined) return none;
  // Fast path: most cells are already a clean 18-character number.
  if (raw.length === 18 && CLEAN18.test(raw)) return finish(raw, 'valid');
  let s = toHalfWidth(String(raw)).trim();
  if (MISSING.has(s)) return none;
  s = s.replace(/^[''`‘’]+/, '').replace(/[\s\-'‘’]/g, '').toUpperCase();
  if (MISSING.has(s)) return none;
  let status: IdStatus = 'valid';
  if (/^\d{15}$/.test(s)) {
    s = upgrade15(s);
    status = 'upgraded15';
  } else if (/^\d{17}[\dX]\d{2}$/.test(s)) {
    // 残疾人证号 = 身份证号 + 2 位 (残疾类别 + 等级)
    s = s.slice(0, 18);
    status = 'disability20';
  }
  if (!/^\d{17}[\dX]$/.test(s)) return { ...none, status: 'invalid' };
  return finish(s, status);
}

const CLEAN18 = /^\d{17}[\dX]$/;

function finish(s: string, status0: IdStatus): ParsedId {
  let status = status0;
  const { birthDate, sex } = parts(s);
  if (!birthDate) return { idNumber: null, status: 'invalid', birthDate: null, sex: null, region: null };
  if (checkDigit(s.slice(0, 17)) !== s[17]) status = 'bad_check';
  return { idNumber: s as IdNumber, status, birthDate, sex, region: s.slice(0, 6) };
}

/** Whether an ID can be used for automatic (exact) linkage. */
export function isLinkable(status: IdStatus): boolean {
  return status === 'valid' || status === 'upgraded15' || status === 'disability20';
}

/** Builds a valid 18-digit ID (for the demo generator and tests). */
export function makeIdNumber(region6: string, birthIso: string, seq3: number, male: boolean): IdNumber {
  let seq = seq3 % 1000;
  if ((seq % 2 === 1) !== male) seq = (seq + 1) % 1000;
  const first17 = `${region6}${birthIso.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
  return (first17 + checkDigit(first17)) as IdNumber;
}

/** Masked display form: first 6 + **** … + last 4 (PIPL; 6+****+4). */
export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return id ?? null;
  if (id.length <= 10) return '*'.repeat(id.length);
  return `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`;
}

/** Masked name: keep the surname, mask the rest (张** / 欧阳*). */
export function maskName(name: string | null | undefined): string | null {
  if (!name) return name ?? null;
  const chars = [...name];
  if (chars.length <= 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}
