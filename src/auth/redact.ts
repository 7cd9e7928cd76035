/**
 * Keeps ID numbers out of logs: every log line is scrubbed of anything that
 * looks like a 15- or 18-character 居民身份证号码 (or a 20-digit 残疾证号)
 * before it is written, whatever field or message carried it.
 */
import { maskIdNumber } from '../domain/id-number.ts';

// Not preceded/followed by another digit, so longer numbers (amounts, hashes)
// are left alone unless they are exactly ID-shaped.
const ID_RE = /(?<![0-9A-Za-z])(\d{17}[\dXx](?:\d{2})?|\d{15})(?![0-9A-Za-z])/g;

/** Replaces ID-shaped numbers with their masked form (6+****+4). */
export function scrubIds(text: string): string {
  return text.replace(ID_RE, (m) => maskIdNumber(m) ?? '');
}

export interface LineSink {
  write(line: string): void;
}

/** A pino destination that scrubs each line and forwards it. */
export function scrubbingStream(dest: LineSink = process.stdout): LineSink {
  return { write: (line: string) => dest.write(scrubIds(line)) };
}

/** Paths pino should drop outright (credentials). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  'oldPassword',
  'newPassword',
  'token',
];
