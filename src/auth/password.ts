/**
 * Password hashing with argon2id (memory-hard; OWASP 2023 minimum parameters:
 * m = 19 MiB, t = 2, p = 1). Hashes are PHC strings, so parameters can be
 * raised later without invalidating stored hashes.
 */
import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';
import { BinkuError } from '../domain/errors.ts';

const OPTS = { algorithm: 2 /* Algorithm.Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export async function hashPassword(password: string): Promise<string> {
  return hash(password, OPTS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Rejects weak passwords: at least 10 characters, and not only one kind of character. */
export function checkPasswordPolicy(password: string): void {
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((r) => r.test(password)).length;
  if (password.length < 10 || kinds < 2) {
    throw new BinkuError('BK_AUTH_WEAK_PASSWORD', '密码至少 10 位，且须包含字母、数字、符号中的两类以上', {
      status: 400,
      en: 'password must have at least 10 characters of at least two kinds',
    });
  }
}

/** A readable one-time password (no 0/O/1/l), ~95 bits. */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(16);
  let s = '';
  for (const b of bytes) s += alphabet[b % alphabet.length];
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}`;
}
