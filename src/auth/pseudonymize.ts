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
