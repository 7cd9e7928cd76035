/**
 * Value normalizers for export cells: dates (every form in formats/README.md
 * and Excel serials), amounts, integers, yes/no, enums with synonyms, lists.
 * Each returns `{ value }` or `{ value: null, problem }`; an empty cell is
 * unknown (null) and never a problem. Pure.
 */
import { cellText, normKey, toHalfWidth } from './text.ts';

export interface Normalized<T> {
  value: T | null;
  /** Chinese reason when the cell is not empty but unusable. */
  problem?: { code: string; message: string };
}

const EMPTY = new Set(['', '-', '--', '—', '/', '无', '不详', '空', 'null', 'NULL', 'N/A', '#N/A']);

function isEmpty(s: string): boolean {
  return EMPTY.has(s);
}

function validYmd(y: number, m: number, d: number): boolean {
  if (y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Excel serial day number (1900 date system, Lotus leap-year bug) → ISO date. */
export function excelSerialToIso(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2958466) return null;
  const ms = Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000;
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

const DATE_BAD = (raw: string) => ({ value: null, problem: { code: 'BK_IMPORT_BAD_DATE', message: `日期无法识别: ${raw}` } });

/**
 * Dates: 2024-03-05, 2024/3/5, 20240305, 2024.3.5, 2024年3月5日, 2024-03 and
 * 2024年3月 (→ first of the month), trailing times, Excel serials (e.g. 45356).
 */
export function normalizeDate(raw: string | null | undefined): Normalized<string> {
  const s0 = toHalfWidth(cellText(raw));
  if (isEmpty(s0)) return { value: null };
  const s = s0.replace(/\s+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$/, '').replace(/T\d{2}:\d{2}.*$/, '');
  let m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return validYmd(y, mo, d) ? { value: `${y}-${pad(mo)}-${pad(d)}` } : DATE_BAD(s0);
  }
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return validYmd(y, mo, d) ? { value: `${y}-${pad(mo)}-${pad(d)}` } : DATE_BAD(s0);
  }
  m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$/.exec(s);
  if (m) {
    const [y, mo] = [Number(m[1]), Number(m[2])];
    return validYmd(y, mo, 1) ? { value: `${y}-${pad(mo)}-01` } : DATE_BAD(s0);
  }
  // Excel serial: 1982-05-18 (30089) .. 2099 (73051); integers or with a time fraction.
  m = /^(\d{4,5})(\.\d+)?$/.exec(s);
  if (m) {
    const n = Number(s);
    if (n >= 20000 && n <= 73051) return { value: excelSerialToIso(n) };
  }
  return DATE_BAD(s0);
}

/**
 * Amounts in yuan: `12,345.6`, `12345元`, `￥1,200`, full-width digits,
 * `1.2万`. Empty = unknown (null), not 0.
 */
export function normalizeAmount(raw: string | null | undefined): Normalized<number> {
  const s0 = cellText(raw);
  let s = toHalfWidth(s0).replace(/[\s,，_]/g, '');
  if (isEmpty(s)) return { value: null };
  s = s.replace(/^[￥¥]/, '').replace(/(元\/?(年|月)?|元整|RMB|CNY)$/i, '');
  let scale = 1;
  if (/万元?$/.test(s)) {
    scale = 10_000;
    s = s.replace(/万元?$/, '');
  }
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(s)) {
    return { value: null, problem: { code: 'BK_IMPORT_BAD_AMOUNT', message: `金额无法识别: ${s0}` } };
  }
  return { value: Math.round(Number(s) * scale * 100) / 100 };
}

/** Counts (人, 辆, 套, 月): `3`, `3人`, `３`, `3.0`. */
export function normalizeInt(raw: string | null | undefined): Normalized<number> {
  const s0 = cellText(raw);
  const s = toHalfWidth(s0).replace(/\s+/g, '').replace(/(人|口|辆|套|个|月|年|次)$/, '');
  if (isEmpty(s)) return { value: null };
  if (/^\d+(\.0+)?$/.test(s)) return { value: Number.parseInt(s, 10) };
  return { value: null, problem: { code: 'BK_IMPORT_BAD_INT', message: `不是整数: ${s0}` } };
}

const YES = new Set(['是', 'Y', 'YES', '1', '√', '有', 'TRUE', '已消除', '已参加', '参加', '有保障', '已']);
const NO = new Set(['否', 'N', 'NO', '0', '×', 'X', '无', 'FALSE', '未消除', '未参加', '未', '无保障', '没有']);

/** 是/否 (also Y/N, 1/0, √/×, 有/无). */
export function normalizeYesNo(raw: string | null | undefined): Normalized<boolean> {
  const s0 = cellText(raw);
  const s = normKey(s0).toUpperCase();
  if (s === '') return { value: null };
  if (YES.has(s)) return { value: true };
  if (NO.has(s)) return { value: false };
  if (isEmpty(s)) return { value: null };
  return { value: null, problem: { code: 'BK_IMPORT_BAD_YESNO', message: `应为"是"或"否": ${s0}` } };
}

/** An enum: its allowed values and synonyms (synonym → canonical value). */
export interface EnumSpec {
  values: readonly string[];
  synonyms?: Readonly<Record<string, string>>;
}

const enumIndex = new WeakMap<EnumSpec, Map<string, string>>();
function indexOf(spec: EnumSpec): Map<string, string> {
  let idx = enumIndex.get(spec);
  if (!idx) {
    idx = new Map();
    for (const v of spec.values) idx.set(normKey(v), v);
    for (const [k, v] of Object.entries(spec.synonyms ?? {})) idx.set(normKey(k), v);
    enumIndex.set(spec, idx);
  }
  return idx;
}

/** Enum value: exact, synonym, or without a trailing "(…)" note; unknowns reported. */
export function normalizeEnum(raw: string | null | undefined, spec: EnumSpec): Normalized<string> {
  const s0 = cellText(raw);
  const k = normKey(s0);
  if (k === '' || isEmpty(k)) return { value: null };
  const idx = indexOf(spec);
  const hit = idx.get(k) ?? idx.get(k.replace(/\(.*\)$/, ''));
  if (hit !== undefined) return { value: hit };
  return { value: null, problem: { code: 'BK_IMPORT_BAD_ENUM', message: `取值不在允许范围内: ${s0}（允许: ${spec.values.join('、')}）` } };
}

/** A list separated by 、 ; ， , / or spaces; each item checked against the enum (unknown items kept, reported). */
export function normalizeList(raw: string | null | undefined, spec: EnumSpec): Normalized<string[]> & { unknown?: string[] } {
  const s0 = cellText(raw);
  if (isEmpty(s0)) return { value: [] };
  const items = s0.split(/[、;；,，/|\s]+/).map((x) => x.trim()).filter((x) => x !== '');
  const out: string[] = [];
  const unknown: string[] = [];
  for (const it of items) {
    const n = normalizeEnum(it, spec);
    if (n.value !== null) {
      if (!out.includes(n.value)) out.push(n.value);
    } else unknown.push(it);
  }
  if (unknown.length > 0) {
    return { value: out, unknown, problem: { code: 'BK_IMPORT_BAD_ENUM', message: `无法识别的项: ${unknown.join('、')}（允许: ${spec.values.join('、')}）` } };
  }
  return { value: out };
}

/** 12-digit 行政区划代码 (village/community); apostrophes, spaces and full-width digits removed. */
export function normalizeRegionCode(raw: string | null | undefined): Normalized<string> {
  const s0 = cellText(raw);
  const s = toHalfWidth(s0).replace(/^['‘’`]+/, '').replace(/\s+/g, '');
  if (isEmpty(s)) return { value: null, problem: { code: 'BK_IMPORT_MISSING_REGION', message: '缺少行政区划代码' } };
  // Excel may have turned the code into a number with ".0" or scientific notation.
  const t = /^\d+\.0+$/.test(s) ? s.replace(/\.0+$/, '') : s;
  if (/^\d{12}$/.test(t)) return { value: t };
  if (/^\d{6}$/.test(t) || /^\d{9}$/.test(t)) return { value: t.padEnd(12, '0') };
  return { value: null, problem: { code: 'BK_IMPORT_BAD_REGION', message: `行政区划代码应为12位数字: ${s0}` } };
}

/** Household / family number: trimmed, half-width, Excel apostrophe and ".0" removed. */
export function normalizeCode(raw: string | null | undefined): string | null {
  const s = toHalfWidth(cellText(raw)).replace(/^['‘’`]+/, '').replace(/\s+/g, '');
  if (isEmpty(s)) return null;
  return /^\d+\.0+$/.test(s) ? s.replace(/\.0+$/, '') : s;
}

/** Free text: trimmed; empty → null. */
export function normalizeText(raw: string | null | undefined): string | null {
  const s = cellText(raw);
  return s === '' ? null : s;
}
