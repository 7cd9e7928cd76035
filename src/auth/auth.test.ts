import { describe, expect, it } from 'vitest';
import { scrubIds } from './redact.ts';
import { pseudonymize } from './pseudonymize.ts';
import { ALL_PERMISSIONS, ROLES, ROLE_PERMISSIONS, isValidRegionPrefix, permissionsFor } from './permissions.ts';
import { checkPasswordPolicy, generatePassword, hashPassword, verifyPassword } from './password.ts';
import { makeIdNumber } from '../domain/id-number.ts';

const ID = makeIdNumber('621202', '1985-03-07', 123, true);

describe('log scrubbing', () => {
  it('masks 18-digit, X-ending, 15-digit and 20-digit IDs wherever they appear', () => {
    expect(scrubIds(`{"msg":"id=${ID}"}`)).toBe(`{"msg":"id=${ID.slice(0, 6)}********${ID.slice(-4)}"}`);
    expect(scrubIds('a 62120219850307124x b')).toBe('a 621202********124x b');
    expect(scrubIds('old 621202850307123')).toBe('old 621202*****7123');
    expect(scrubIds(`dis ${ID}21`)).not.toContain(ID);
    expect(scrubIds(`url=/api/x?q=${ID}&y=1`)).not.toMatch(/\d{17}[\dX]/);
  });

  it('leaves ordinary numbers, timestamps and hashes alone', () => {
    const s = '{"time":1796399589377,"amount":"12345.67","hash":"2b2193f4fc871d18bf6d494924bf62dcd136ac8310bab028326eebf7be37df48"}';
    expect(scrubIds(s)).toBe(s);
  });
});

describe('pseudonymize', () => {
  it('is a keyed HMAC of the normalized ID: same person → same value, other key → other value', () => {
    const a = pseudonymize(ID, 'k1');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(pseudonymize(` ${ID.toLowerCase()} `, 'k1')).toBe(a);
    expect(pseudonymize(`'${ID}`, 'k1')).toBe(a);
    expect(pseudonymize(ID, 'k2')).not.toBe(a);
    expect(pseudonymize(makeIdNumber('621202', '1985-03-07', 125, true), 'k1')).not.toBe(a);
    expect(pseudonymize('', 'k1')).toBeNull();
    expect(pseudonymize('不详', 'k1')).toBeNull();
    expect(() => pseudonymize(ID, '')).toThrow();
  });
});

describe('roles and permissions', () => {
  it('every role maps to known permissions; only admins manage users; analysts see no records', () => {
    for (const r of ROLES) for (const p of ROLE_PERMISSIONS[r]) expect(ALL_PERMISSIONS).toContain(p);
    expect(ROLES.filter((r) => permissionsFor(r).has('manage_users'))).toEqual(['county_admin']);
    expect(permissionsFor('analyst').has('read_records')).toBe(false);
    expect(permissionsFor('auditor').has('read_audit')).toBe(true);
    expect(permissionsFor('village').has('unmask')).toBe(false);
  });

  it('region prefixes are whole 行政区划 levels', () => {
    for (const ok of ['', '62', '6212', '621202', '621202101', '621202101001']) expect(isValidRegionPrefix(ok), ok).toBe(true);
    for (const bad of ['6', '62120', '6212021', 'abc', '621202%']) expect(isValidRegionPrefix(bad), bad).toBe(false);
  });
});

describe('passwords', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const h = await hashPassword('Passw0rd-long');
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(h, 'Passw0rd-long')).toBe(true);
    expect(await verifyPassword(h, 'Passw0rd-lonG')).toBe(false);
    expect(await verifyPassword('garbage', 'x')).toBe(false);
  });

  it('policy and one-time passwords', () => {
    expect(() => checkPasswordPolicy('abcdefghij')).toThrow();
    expect(() => checkPasswordPolicy('abc123')).toThrow();
    expect(() => checkPasswordPolicy('abcdefghi1')).not.toThrow();
    const p = generatePassword();
    expect(p).toMatch(/^[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}-[A-Za-z2-9]{4}$/);
    expect(generatePassword()).not.toBe(p);
  });
});
