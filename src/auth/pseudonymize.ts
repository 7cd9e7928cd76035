/**
 * Pseudonymized linkage (假名化比对): a keyed HMAC-SHA256 of the normalized
 * ID number. Two offices holding the same key can match records on the HMAC
 * without exchanging raw ID numbers; without the key the value cannot be
 * reversed or brute-forced by enumerating IDs.
 */
import { createHmac } from 'node:crypto';
import { parseIdNumber } from '../domain/id-number.ts';

/** HMAC (hex, 64 chars) of the normalized 18-digit ID, or null when the cell holds no usable ID. */
export function pseudonymize(id: string | null | undefined, key: string): string | null {
  if (!key) throw new Error('pseudonymize: empty key');
  const p = parseIdNumber(id);
  if (!p.idNumber) return null;
  return createHmac('sha256', key).update(p.idNumber).digest('hex');
}

/** Columns holding ID numbers (身份证号 / 证件号码 / 残疾证号 …). */
export const ID_COLUMN = /身份证|证件号|残疾证号|公民身份号码/;
/** Columns holding personal names (姓名, 户主姓名, 申请人 …), not 与户主关系. */
export const NAME_COLUMN = /姓名|^申请人$|^户主$/;
/** Contact columns, blanked. */
export const CONTACT_COLUMN = /电话|手机|联系方式|住址|地址/;

export interface PseudonymizePlan {
  id: number[];
  name: number[];
  contact: number[];
}

export function planColumns(header: readonly string[]): PseudonymizePlan {
  const idx = (re: RegExp) => header.flatMap((h, i) => (re.test(h.trim()) ? [i] : []));
  return { id: idx(ID_COLUMN), name: idx(NAME_COLUMN), contact: idx(CONTACT_COLUMN) };
}

/**
 * One data row with ID cells replaced by their HMAC ('' when the cell holds no
 * usable ID, so malformed raw values do not leak), contact cells blanked and
 * names masked (张** ) unless keepNames.
 */
export function pseudonymizeRow(cells: readonly string[], plan: PseudonymizePlan, key: string, opts: { keepNames?: boolean; maskName: (s: string) => string | null }): string[] {
  const out = [...cells];
  for (const i of plan.id) if (i < out.length) out[i] = pseudonymize(out[i], key) ?? '';
  for (const i of plan.contact) if (i < out.length) out[i] = '';
  if (!opts.keepNames) for (const i of plan.name) if (i < out.length) out[i] = opts.maskName(out[i]) ?? '';
  return out;
}
