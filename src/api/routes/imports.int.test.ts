import { expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { describeDb } from '../../test/db.ts';
import { buildApp } from '../app.ts';
import type { AuthContext, Permission } from '../auth-context.ts';
import { nastyLipCsv, nastyPrmCsv, withBom } from '../../ingest/fixtures.ts';
import { tableCounts } from '../../ingest/store.ts';

let current: AuthContext | undefined;
const as = (regionPrefix: string, perms: Permission[] = ['import']): void => {
  current = { userId: 'u1', username: 'staff', role: 'county_staff_prm', regionPrefix, permissions: new Set(perms) };
};

function upload(fields: Record<string, string>, file?: { name: string; content: Buffer }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----binkuImportBoundary';
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`));
    parts.push(file.content, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeDb('import routes', (ctx) => {
  let app: FastifyInstance;
  let fileId = '';

  it('builds the app', async () => {
    app = await buildApp({ db: ctx.db, dbKind: ctx.kind, authenticate: async () => current, rateLimitPerMinute: false });
  });

  it('needs login and the import permission', async () => {
    current = undefined;
    expect((await app.inject({ method: 'POST', url: '/api/imports', ...upload({ system: 'prm' }, { name: 'a.csv', content: withBom(nastyPrmCsv()) }) })).statusCode).toBe(401);
    as('', ['read_records']);
    const r = await app.inject({ method: 'POST', url: '/api/imports', ...upload({ system: 'prm' }, { name: 'a.csv', content: withBom(nastyPrmCsv()) }) });
    expect(r.statusCode).toBe(403);
    expect((await app.inject({ method: 'GET', url: '/api/imports' })).statusCode).toBe(403);
  });

  it('refuses a file of a county outside the caller region and writes nothing', async () => {
    as('430122');
    const before = await tableCounts(ctx.db);
    const r = await app.inject({ method: 'POST', url: '/api/imports', ...upload({ system: 'prm' }, { name: 'a.csv', content: withBom(nastyPrmCsv()) }) });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('BK_AUTH_OUT_OF_SCOPE');
    expect(await tableCounts(ctx.db)).toEqual(before);
  });

  it('POST /api/imports imports a PRM upload and returns the summary', async () => {
    as('430121');
    const r = await app.inject({ method: 'POST', url: '/api/imports', ...upload({ system: 'prm' }, { name: '甲县PRM.csv', content: withBom(nastyPrmCsv()) }) });
    expect(r.statusCode).toBe(200);
    const s = r.json();
    expect(s).toMatchObject({ status: 'imported', system: 'prm', countyCode: '430121', fileName: '甲县PRM.csv', rows: 12, records: 10, households: 4, problemCount: 12 });
    expect(s.problems[0]).toHaveProperty('message');
    // ID values in problems are masked in the reply (row 10 has a full 18-digit ID with a bad check digit).
    const badCheck = (s.problems as { code: string; value: string }[]).find((p) => p.code === 'BK_IMPORT_ID_BAD_CHECK');
    expect(badCheck?.value).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(JSON.stringify(s.problems)).not.toMatch(/\d{15}/);
    fileId = s.fileId;
    const again = await app.inject({ method: 'POST', url: '/api/imports', ...upload({ system: 'prm' }, { name: 'again.csv', content: withBom(nastyPrmCsv()) }) });
    expect(again.json()).toMatchObject({ status: 'duplicate', fileId });
  });

  it('a file-level fault is a 422 with a one-line Chinese reason', async () => {
    as('430121');
    const before = await tableCounts(ctx.db);
    const r = await app.inject({ method: 'POST', url: '/api/imports', ...upload({ system: 'prm' }, { name: 'lip.csv', content: Buffer.from(nastyLipCsv()) }) });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('BK_IMPORT_WRONG_SYSTEM');
    expect(r.json().message).toContain('低收入人口');
    expect(await tableCounts(ctx.db)).toEqual(before);
    const bad = await app.inject({ method: 'POST', url: '/api/imports', ...upload({ system: 'xyz' }, { name: 'a.csv', content: Buffer.from('x') }) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('BK_IMPORT_BAD_SYSTEM');
    const none = await app.inject({ method: 'POST', url: '/api/imports', ...upload({ system: 'prm' }) });
    expect(none.json().code).toBe('BK_IMPORT_NO_FILE');
  });

  it('GET /api/imports lists history newest first within the region', async () => {
    as('430121');
    await app.inject({ method: 'POST', url: '/api/imports', ...upload({ system: 'lip' }, { name: 'lip.csv', content: Buffer.from(nastyLipCsv()) }) });
    const r = await app.inject({ method: 'GET', url: '/api/imports' });
    expect(r.statusCode).toBe(200);
    const items = r.json().items as { fileId: string; system: string; status: string }[];
    expect(items.map((i) => i.system)).toEqual(['lip', 'prm']);
    expect(items[1]).toMatchObject({ fileId, status: 'current' });
    as('430122');
    expect((await app.inject({ method: 'GET', url: '/api/imports' })).json().items).toEqual([]);
    as('430121001');
    expect((await app.inject({ method: 'GET', url: '/api/imports?system=prm' })).json().items).toHaveLength(1);
  });

  it('GET /api/imports/:fileId/problems.xlsx returns the problem list with Chinese headers', async () => {
    as('430121');
    const r = await app.inject({ method: 'GET', url: `/api/imports/${fileId}/problems.xlsx` });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect((ws.getRow(1).values as unknown[]).slice(1, 6)).toEqual(['文件', '行号', '列', '原始值', '问题']);
    expect(ws.rowCount).toBe(13);
    const rows = Array.from({ length: 12 }, (_, i) => ws.getRow(i + 2).values as unknown[]);
    expect(rows.every((v) => v[1] === '甲县PRM.csv')).toBe(true);
    expect(rows.some((v) => v[2] === 15 && v[3] === '行政区划代码' && v[4] === '43012100100')).toBe(true);
    // Without 'unmask' the ID value is masked; with it, staff get the raw value to fix the source row.
    const idCell = (vals: unknown[][]): string => String(vals.find((v) => v[6] === '警告' && v[7] === 'BK_IMPORT_ID_BAD_CHECK')?.[4]);
    expect(idCell(rows)).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    as('430121', ['import', 'unmask']);
    const raw = await app.inject({ method: 'GET', url: `/api/imports/${fileId}/problems.xlsx` });
    const wb2 = new ExcelJS.Workbook();
    await wb2.xlsx.load(raw.rawPayload as unknown as ArrayBuffer);
    const rawRows = Array.from({ length: 12 }, (_, i) => wb2.worksheets[0].getRow(i + 2).values as unknown[]);
    expect(idCell(rawRows)).toMatch(/^\d{17}[\dX]$/);
    expect(idCell(rawRows).slice(0, 6) + '********' + idCell(rawRows).slice(-4)).toBe(idCell(rows));
    as('430122');
    expect((await app.inject({ method: 'GET', url: `/api/imports/${fileId}/problems.xlsx` })).statusCode).toBe(404);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.paths['/api/imports']).toBeDefined();
    expect(doc.paths['/api/imports/{fileId}/problems.xlsx']).toBeDefined();
  });
});
