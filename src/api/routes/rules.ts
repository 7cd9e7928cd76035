/**
 * Standards, identification and what-if (issue 5):
 * - GET  /api/standards[?regionCode&date]   every standard row (+ the set in force)
 * - GET  /api/standards/export.xlsx          XLSX with Chinese headers
 * - PUT  /api/standards                      JSON rows (array or {standards}); 'manage_standards'
 * - POST /api/standards/import               XLSX body; 'manage_standards'
 * - GET  /api/households/:householdId/identification   rule results with reasons (read_records, in scope)
 * - POST /api/whatif                         {overrides | standards, countyCode?, asOf?}
 * Names and ID numbers inside reasons are masked.
 */
import type { FastifyPluginAsync } from 'fastify';
import { BinkuError } from '../../domain/errors.ts';
import { scrubIds } from '../../auth/redact.ts';
import { maskIdNumber, maskName } from '../../domain/id-number.ts';
import { whatIf, type WhatIfReport } from '../../evaluate/whatif.ts';
import { identify, LIP_CATEGORY_LABELS, type Identification } from '../../rules/identify.ts';
import { RULE_IDS, RULE_LABELS } from '../../rules/rules.ts';
import type { HouseholdSnapshot } from '../../rules/snapshot.ts';
import { standardsInForce } from '../../rules/standards.ts';
import { standardsFromJson, standardsFromXlsx, standardsToXlsx } from '../../rules/standards-xlsx.ts';
import { findHouseholdRegion, listStandards, loadSnapshots, saveStandards } from '../../rules/store.ts';
import { assertInScope, regionPrefix, requireAuth, requirePermission } from '../auth-context.ts';
import { XLSX_TYPE } from '../media-types.ts';

const anyObject = { type: 'object', additionalProperties: true } as const;
const isoDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' } as const;

/** Masks every member name and ID number wherever it appears (messages, inputs). */
export function maskIdentification(id: Identification, s: HouseholdSnapshot): unknown {
  let text = JSON.stringify(id);
  const pairs: [string, string][] = [];
  for (const m of s.members) {
    if (m.idNumber) pairs.push([m.idNumber, maskIdNumber(m.idNumber) ?? '']);
    if (m.name && m.name.length > 1) pairs.push([m.name, maskName(m.name) ?? '']);
  }
  pairs.sort((a, b) => b[0].length - a[0].length);
  for (const [from, to] of pairs) text = text.split(JSON.stringify(from).slice(1, -1)).join(JSON.stringify(to).slice(1, -1));
  // any other ID number (15, 18 or 20 digits, e.g. from a feed note): the same scrub the logs use
  text = scrubIds(text);
  return JSON.parse(text);
}

/** The identification as the API answers it: results as a list with labels. */
export function identificationJson(id: Identification, s: HouseholdSnapshot): Record<string, unknown> {
  const masked = maskIdentification(id, s) as Identification;
  return {
    ...masked,
    results: RULE_IDS.map((r) => ({ ...masked.results[r], label: RULE_LABELS[r] })),
    unified: { ...masked.unified, lipCategoryLabel: LIP_CATEGORY_LABELS[masked.unified.lipCategory] },
  };
}

/** What-if report plus the before/after maps the web page charts. */
export function whatIfJson(w: WhatIfReport): Record<string, unknown> {
  const categories: Record<string, { before: number; after: number }> = {};
  for (const c of w.categoryCounts) categories[c.category] = { before: c.before, after: c.after };
  categories.monitoring = { before: w.prmMonitoring.before, after: w.prmMonitoring.after };
  return { ...w, categories };
}

export const rulesRoutes: FastifyPluginAsync = async (app) => {
  app.addContentTypeParser([XLSX_TYPE, 'application/octet-stream'], { parseAs: 'buffer', bodyLimit: 8 * 1024 * 1024 }, (_req, body, done) => done(null, body));

  app.get<{ Querystring: { regionCode?: string; date?: string } }>(
    '/api/standards',
    {
      schema: {
        tags: ['rules'],
        summary: '标准列表（按地区前缀与生效日期版本化）；给出 regionCode 时附该地区某日生效的标准',
        querystring: { type: 'object', properties: { regionCode: { type: 'string', pattern: '^\\d{0,12}$' }, date: isoDate } },
        response: {
          200: {
            type: 'object',
            properties: {
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    kind: { type: 'string' },
                    regionPrefix: { type: 'string' },
                    amount: { type: 'number' },
                    validFrom: { type: 'string' },
                    validTo: { type: ['string', 'null'] },
                    source: { type: 'string' },
                    version: { type: 'integer' },
                  },
                },
              },
              inForce: anyObject,
            },
          },
        },
      },
    },
    async (req) => {
      requireAuth(req);
      const items = await listStandards(app.db);
      const { regionCode, date } = req.query;
      return { items, ...(regionCode !== undefined ? { inForce: standardsInForce(items, regionCode, date ?? new Date().toISOString().slice(0, 10)) } : {}) };
    },
  );

  app.get('/api/standards/export.xlsx', { schema: { tags: ['rules'], summary: '导出标准 XLSX（中文表头）' } }, async (req, reply) => {
    requireAuth(req);
    const buf = await standardsToXlsx(await listStandards(app.db));
    return reply.header('content-type', XLSX_TYPE).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('标准.xlsx')}`).send(buf);
  });

  const saveResponse = { 200: { type: 'object', properties: { inserted: { type: 'integer' }, unchanged: { type: 'integer' } } } } as const;

  app.put<{ Body: unknown }>(
    '/api/standards',
    { schema: { tags: ['rules'], summary: '保存标准（JSON：数组或 {standards}）；改动的行作为新版本保存', response: saveResponse } },
    async (req) => {
      const a = requirePermission(req, 'manage_standards');
      return saveStandards(app.db, standardsFromJson(req.body), a.username);
    },
  );

  app.post<{ Body: Buffer }>(
    '/api/standards/import',
    { schema: { tags: ['rules'], summary: '导入标准 XLSX（请求体为文件内容）', response: saveResponse } },
    async (req) => {
      const a = requirePermission(req, 'manage_standards');
      if (!Buffer.isBuffer(req.body)) throw new BinkuError('BK_RULES_STANDARD_FILE', '请以 XLSX 文件内容作为请求体上传', { status: 400 });
      return saveStandards(app.db, await standardsFromXlsx(req.body), a.username);
    },
  );

  app.get<{ Params: { householdId: string }; Querystring: { asOf?: string } }>(
    '/api/households/:householdId/identification',
    {
      schema: {
        tags: ['rules'],
        summary: '统一家庭的联合认定：各规则结论与理由、两系统现状、差异（脱敏）',
        params: { type: 'object', properties: { householdId: { type: 'string', maxLength: 64 } }, required: ['householdId'] },
        querystring: { type: 'object', properties: { asOf: isoDate } },
        response: { 200: anyObject },
      },
    },
    async (req) => {
      requirePermission(req, 'read_records');
      const where = await findHouseholdRegion(app.db, req.params.householdId);
      if (!where) throw new BinkuError('BK_LINK_HOUSEHOLD_NOT_FOUND', '统一家庭不存在（可能需要重新并库比对）', { status: 404 });
      assertInScope(req, where.regionCode);
      const std = await listStandards(app.db);
      const [s] = await loadSnapshots(app.db, { countyCode: where.countyCode, householdId: req.params.householdId, asOf: req.query.asOf }, std);
      if (!s) throw new BinkuError('BK_LINK_HOUSEHOLD_NOT_FOUND', '统一家庭没有当前导入的记录', { status: 404 });
      return identificationJson(identify(s, standardsInForce(std, s.regionCode, s.asOf)), s);
    },
  );

  app.post<{ Body: { overrides?: Record<string, number>; standards?: unknown[]; countyCode?: string; asOf?: string } }>(
    '/api/whatif',
    {
      schema: {
        tags: ['rules'],
        summary: '统一标准测算：类别变化矩阵、分乡镇、低保/特困/低边年度资金、覆盖率前后对比',
        body: {
          type: 'object',
          properties: {
            overrides: { type: 'object', additionalProperties: { type: 'number' } },
            standards: { type: 'array', items: anyObject },
            countyCode: { type: 'string', pattern: '^\\d{6}$' },
            asOf: isoDate,
          },
        },
        response: { 200: anyObject },
      },
    },
    async (req) => {
      const a = requireAuth(req);
      if (!(['evaluate', 'read_aggregates', 'manage_standards'] as const).some((p) => a.permissions.has(p))) requirePermission(req, 'read_aggregates');
      const body = req.body ?? {};
      const scenario = standardsFromJson({ overrides: body.overrides, standards: body.standards });
      const std = await listStandards(app.db);
      const snaps = await loadSnapshots(app.db, { countyCode: body.countyCode, regionPrefix: regionPrefix(req) || undefined, asOf: body.asOf }, std);
      return whatIfJson(whatIf(snaps, std, scenario));
    },
  );
};
