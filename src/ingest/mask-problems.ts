/**
 * Problem lists leave the system masked: the value of an ID-number column
 * (证件号码 / 成员身份证号 / 申请人身份证号 …) and any ID number quoted in the
 * message of such a problem become 430121********1234 (maskIdNumber). Only a
 * caller with the 'unmask' permission may get the raw values (the XLSX that
 * staff use to fix the source rows). Pure.
 */
import type { RowProblem } from '../db/schema.ts';
import { maskIdNumber } from '../domain/id-number.ts';
import { PRM_COLUMNS, LIP_COLUMNS, FEED_COLUMNS } from '../formats/columns.ts';
import { normKey } from '../formats/text.ts';

/** Header names (normalized) of the columns that hold ID numbers, all systems. */
const ID_COLUMNS: ReadonlySet<string> = new Set(
  [...PRM_COLUMNS, ...LIP_COLUMNS, ...FEED_COLUMNS]
    .filter((s) => s.kind === 'id' || /IdNumber$/.test(s.key))
    .flatMap((s) => [s.name, ...(s.aliases ?? [])])
    .map(normKey),
);

// 15/18-digit IDs (last may be X), 20-digit 残疾证 numbers, full-width digits included.
const ID_LIKE = /[0-9０-９]{14,19}[0-9０-９Xxｘ]/g;
const ID_LIKE_ONE = /[0-9０-９]{14,19}[0-9０-９Xxｘ]/;

/** True when the problem concerns an ID-number column (its value must be masked). */
export function isIdProblem(p: RowProblem): boolean {
  return p.code.startsWith('BK_IMPORT_ID_') || ID_COLUMNS.has(normKey(p.column));
}

const maskText = (s: string): string => s.replace(ID_LIKE, (m) => maskIdNumber(m) ?? m);

/** One problem with its ID value (and IDs quoted in its message) masked. */
export function maskProblem(p: RowProblem): RowProblem {
  if (!isIdProblem(p)) return p;
  const v = p.value;
  // A value that is not ID-shaped (e.g. 'abc', '4.30121E+17') may still be most of an ID: mask it whole.
  const value = v === null ? null : ID_LIKE_ONE.test(v) ? maskText(v) : (maskIdNumber(v) ?? v);
  return { ...p, value, message: maskText(p.message) };
}

/** The list with ID values masked (a new array; the input is not changed). */
export function maskProblems(problems: readonly RowProblem[]): RowProblem[] {
  return problems.map(maskProblem);
}
