import { expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeDb } from '../test/db.ts';
import { iterateAudit, listAudit, verifyAuditChain, writeAudit } from './store.ts';
import { auditCsv, auditXlsx } from './export.ts';

describeDb('audit log', (ctx) => {
  it('an empty log verifies', async () => {
    expect(await verifyAuditChain(ctx.db)).toEqual({ ok: true, count: 0 });
  });

  it('appends a gap-free chain even under concurrent writers, and it verifies', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        writeAudit(ctx.db, { action: 'unmask', countyCode: i % 2 ? '621202' : '620102', username: `u${i}`, reason: '核查', details: { i, nested: { z: 1, a: 2 } } }),
      ),
    );
    // Inside a caller's transaction too.
    await ctx.db.transaction().execute((tx) => writeAudit(tx, { action: 'decision', countyCode: '621202', targetId: 'H1' }));
    const rows = await ctx.db.selectFrom('audit_log').select(['seq', 'prev_hash', 'hash']).orderBy('seq').execute();
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    for (let i = 1; i < rows.length; i++) expect(rows[i].prev_hash).toBe(rows[i - 1].hash);
    expect(await verifyAuditChain(ctx.db, 7)).toEqual({ ok: true, count: 21 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE (append-only trigger)', async () => {
    await expect(sql`update audit_log set reason = 'x' where seq = 3`.execute(ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 3`.execute(ctx.db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_log`.execute(ctx.db)).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(ctx.db)).ok).toBe(true);
  });

  it('filters by region prefix and time, pages, and exports CSV/XLSX with the chain columns', async () => {
    const mine = await listAudit(ctx.db, { regionPrefix: '621202', pageSize: 5 });
    expect(mine.total).toBe(11);
    expect(mine.items).toHaveLength(5);
    expect(mine.items.every((r) => r.county_code.startsWith('621202'))).toBe(true);
    const none = await listAudit(ctx.db, { from: new Date(Date.now() + 3600_000).toISOString() });
    expect(none.total).toBe(0);
    const csv = await auditCsv(ctx.db, {});
    expect(csv.rows).toBe(21);
    expect(csv.csv.split('\n')[0]).toContain('哈希');
    const x = await auditXlsx(ctx.db, { regionPrefix: '620102' });
    expect(x.rows).toBe(10);
    expect(x.buffer.subarray(0, 2).toString()).toBe('PK');
    let n = 0;
    for await (const _ of iterateAudit(ctx.db, {}, 4)) n++;
    expect(n).toBe(21);
  });

  it('detects a row changed behind the trigger (superuser disables it)', async () => {
    await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(ctx.db);
    try {
      await sql`update audit_log set reason = '篡改' where seq = 5`.execute(ctx.db);
    } finally {
      await sql`alter table audit_log enable trigger audit_log_no_update_delete`.execute(ctx.db);
    }
    const v = await verifyAuditChain(ctx.db);
    expect(v.ok).toBe(false);
    expect(v.brokenAt).toBe(5);
  });

  it('detects a deleted row', async () => {
    await sql`alter table audit_log disable trigger audit_log_no_update_delete`.execute(ctx.db);
    try {
      // Repair row 5 is impossible without the hash; delete row 2 instead and check the first break is reported.
      await sql`delete from audit_log where seq = 2`.execute(ctx.db);
    } finally {
      await sql`alter table audit_log enable trigger audit_log_no_update_delete`.execute(ctx.db);
    }
    const v = await verifyAuditChain(ctx.db);
    expect(v).toMatchObject({ ok: false, brokenAt: 2, problem: 'missing row' });
  });
});
