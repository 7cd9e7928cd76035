import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { makeIdNumber } from '../../domain/id-number.ts';
import { pseudonymize } from '../../auth/pseudonymize.ts';
import { pseudonymizeFile } from './pseudonymize.ts';

it('two offices pseudonymizing their exports with the same key can match on the HMAC column only', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'binku-pseudo-'));
  const a = makeIdNumber('621202', '1960-03-10', 101, true);
  const b = makeIdNumber('621202', '1971-05-02', 202, false);
  const c = makeIdNumber('621202', '1982-07-21', 303, true);
  writeFileSync(join(dir, 'prm.csv'), `防止返贫监测对象信息表\n行政区划代码,户编号,姓名,证件号码,与户主关系,联系电话\n621202101001,H1,张建国,${a},户主,13912345678\n621202101001,H1,王秀英,${b},配偶,\n621202101001,H2,李四,坏号码,户主,\n`);
  // The LIP side writes IDs differently (lowercase, apostrophe, spaces) — the normalized HMAC still matches.
  writeFileSync(join(dir, 'lip.csv'), `行政区划代码,家庭编号,成员姓名,成员身份证号,与申请人关系\n621202101001,F1,王秀英,'${b.toLowerCase()},本人\n621202101001,F1,赵六,${c},子女\n`);
  const key = 'shared-secret-key-123';
  const r1 = await pseudonymizeFile(join(dir, 'prm.csv'), join(dir, 'prm.out.csv'), key);
  const r2 = await pseudonymizeFile(join(dir, 'lip.csv'), join(dir, 'lip.out.csv'), key);
  expect(r1).toEqual({ rows: 3, idColumns: ['证件号码'] });
  expect(r2.idColumns).toEqual(['成员身份证号']);
  const out1 = readFileSync(join(dir, 'prm.out.csv'), 'utf8');
  const out2 = readFileSync(join(dir, 'lip.out.csv'), 'utf8');
  for (const id of [a, b, c]) {
    expect(out1).not.toContain(id);
    expect(out2).not.toContain(id.toLowerCase());
  }
  expect(out1).not.toContain('张建国');
  expect(out1).toContain('张**');
  expect(out1).not.toContain('13912345678');
  expect(out1).not.toContain('坏号码');
  const hb = pseudonymize(b, key)!;
  expect(out1).toContain(hb);
  expect(out2).toContain(hb);
  // The only shared pseudonym is the person in both files.
  const col = (csv: string) => new Set(csv.split('\n').flatMap((l) => l.match(/[0-9a-f]{64}/g) ?? []));
  expect([...col(out1)].filter((h) => col(out2).has(h))).toEqual([hb]);
});
