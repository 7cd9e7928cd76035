import { expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import { describeDb } from '../../test/db.ts';
import { buildApp } from '../app.ts';
import type { AuthContext, Permission } from '../auth-context.ts';
import { evaluationCsv, generateEvaluationSample } from '../../evaluate/synth.ts';

let current: AuthContext | undefined;
const as = (perms: Permission[]): void => {
  current = { userId: 'u1', username: 'analyst', role: 'analyst', regionPrefix: '', permissions: new Set(perms) };
};

function multipartBody(fields: Record<string, string>, file: { name: string; content: string }): { payload: Buffer; headers: Record<string, string> } {
  const boundary = '----binkuEvalBoundary';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`);
  parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n${file.content}\r\n`);
  parts.push(`--${boundary}--\r\n`);
  return { payload: Buffer.from(parts.join('')), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describeDb('evaluate route', (ctx) => {
  let app: FastifyInstance;
  const csv = evaluationCsv(generateEvaluationSample({ n: 1200, seed: 3 }));

  it('builds the app', async () => {
    app = await buildApp({ db: ctx.db, dbKind: ctx.kind, authenticate: async () => current, rateLimitPerMinute: false });
  });

  it('needs login and the evaluate permission', async () => {
    current = undefined;
    expect((await app.inject({ method: 'POST', url: '/api/evaluate', payload: { sample: { n: 500 } } })).statusCode).toBe(401);
    as(['read_aggregates']);
    const r = await app.inject({ method: 'POST', url: '/api/evaluate', payload: { sample: { n: 500 } } });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('BK_AUTH_FORBIDDEN');
  });

  it('runs on a generated sample (JSON body) with the CLI JSON shape plus chart data', async () => {
    as(['evaluate']);
    const r = await app.inject({ method: 'POST', url: '/api/evaluate', payload: { sample: { n: 2000, seed: 5 }, povertyLine: 4000, caliper: 0.05, bootstrap: 20, seed: 2 } });
    expect(r.statusCode).toBe(200);
    const b = r.json();
    expect(b.n).toBe(2000);
    expect(b.caliper).toBe(0.05);
    expect(Object.keys(b.att)).toEqual(['II', 'III', 'IV']);
    expect(b.att.II.vep).toMatchObject({ att: expect.any(Number), se: expect.any(Number), se_bootstrap: expect.any(Number), n_treated: expect.any(Number), n_matched_controls: expect.any(Number), ci_low: expect.any(Number), ci_high: expect.any(Number) });
    expect(b.histograms.IV.treated.reduce((s: number, x: number) => s + x, 0)).toBe(b.groups.IV.n);
    expect(b.balance.III[0]).toMatchObject({ variable: 'head_age' });
    expect(b.mlogit.converged).toBe(true);
  });

  it('multipart upload gives the same answer as the JSON csv body; options from form fields', async () => {
    as(['evaluate']);
    const m = multipartBody({ caliper: '0.03' }, { name: 'survey.csv', content: csv });
    const up = await app.inject({ method: 'POST', url: '/api/evaluate', payload: m.payload, headers: m.headers });
    expect(up.statusCode).toBe(200);
    const js = await app.inject({ method: 'POST', url: '/api/evaluate', payload: { csv, caliper: 0.03 } });
    expect(up.json().caliper).toBe(0.03);
    expect(up.json().att).toEqual(js.json().att);
  });

  it('a bad row is a 400 naming row and column; dropIncomplete lists it', async () => {
    as(['evaluate']);
    const lines = csv.split('\n');
    lines[5] = lines[5]!.replace(/^([^,]*,[^,]*,[^,]*,)[^,]*/, '$1abc');
    const bad = lines.join('\n');
    const r = await app.inject({ method: 'POST', url: '/api/evaluate', payload: { csv: bad } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'BK_EVALUATE_BAD_ROW', details: { row: 5, column: 'head_age' } });
    const d = await app.inject({ method: 'POST', url: '/api/evaluate?dropIncomplete=true', payload: { csv: bad } });
    expect(d.statusCode).toBe(200);
    expect(d.json().n).toBe(1199);
    expect(d.json().excluded_rows[0]).toMatchObject({ row: 5, column: 'head_age' });
  });

  it('?format=xlsx returns the report workbook with the four sheets', async () => {
    as(['evaluate']);
    const r = await app.inject({ method: 'POST', url: '/api/evaluate?format=xlsx', payload: { sample: { n: 1000, seed: 1 } } });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['描述统计', '多项Logit', 'ATT', '平衡性检验']);
    expect(String(wb.getWorksheet('ATT')!.getCell('A1').value)).toContain('ATT');
  });

  it('closes', async () => {
    await app.close();
  });
});
