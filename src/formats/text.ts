/**
 * Small text helpers shared by the readers and normalizers. Pure.
 */
import { toHalfWidth } from '../domain/id-number.ts';

export { toHalfWidth };

/** Trimmed cell text; full-width spaces and NBSP count as spaces. */
export function cellText(v: string | null | undefined): string {
  if (v === null || v === undefined || v === '') return '';
  const s = String(v);
  // indexOf is much cheaper than a regex replace on the millions of plain cells.
  return s.indexOf('\u3000') < 0 && s.indexOf('\u00a0') < 0 ? s.trim() : s.replace(/[\u00a0\u3000]/g, ' ').trim();
}

/**
 * Key used to compare header names and enum values: half-width, no spaces or
 * line breaks, Chinese brackets/colons as ASCII. "乡（镇）" and "乡(镇)" match.
 */
export function normKey(v: string | null | undefined): string {
  return toHalfWidth(cellText(v))
    .replace(/[\s\u200b\ufeff]+/g, '')
    .replace(/[【〔]/g, '(')
    .replace(/[】〕]/g, ')')
    .replace(/：/g, ':');
}

/** True when every cell is empty. */
export function isBlankRow(cells: readonly string[]): boolean {
  for (const c of cells) if (c !== undefined && c !== null && cellText(c) !== '') return false;
  return true;
}

const TOTAL_HINT = /[合总小共制审负填]/;
/** What normKey reduces to '' (\s covers NBSP, U+3000 and U+FEFF). */
const NO_TEXT = /^[\s\u200b]*$/;

/** 合计 / 总计 / 小计 rows below the data, and 制表/审核 footer lines. */
export function isTotalRow(cells: readonly string[]): boolean {
  let seen = 0;
  for (const c of cells) {
    // Cheap pre-check (every data row passes here): a cell without any of the
    // words' first characters can only count as a non-empty cell.
    if (typeof c === 'string' && !TOTAL_HINT.test(c)) {
      if (!NO_TEXT.test(c) && ++seen >= 3) return false;
      continue;
    }
    const t = normKey(c);
    if (t === '') continue;
    if (/^(合计|总计|小计|共计)/.test(t) || /^(制表人|审核人|负责人|填报人)[:]?/.test(t)) return true;
    if (++seen >= 3) return false;
  }
  return false;
}
