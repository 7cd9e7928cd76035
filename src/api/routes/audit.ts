/**
 * 审计日志 for inspectors (read_audit): list, CSV/XLSX export, chain check —
 * and POST /api/unmask, the one audited way to see a record's clear name and
 * ID number.
 */
import type { FastifyPluginAsync } from 'fastify';
import { requirePermission } from '../auth-context.ts';
import { BinkuError } from '../../domain/errors.ts';
import { listAudit, verifyAuditChain, writeAudit, type AuditQuery } from '../../audit/store.ts';
import { auditCsv, auditXlsx } from '../../audit/export.ts';
import { guardUnmask, unmask } from '../../auth/unmask.ts';
import { PAGE_QUERY_PROPS, pageArgs, pageOf } from '../plugins/pagination.ts';
import { XLSX_TYPE } from '../media-types.ts';

const AUDIT_ENTRY = {
  $id: 'AuditEntry',
  type: 'object',
  properties: {
    seq: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    county_code: { type: 'string' },
    user_id: { type: ['string', 'null'] },
    username: { type: ['string', 'null'] },
    role: { type: ['string', 'null'] },
    action: { type: 'string' },
    target_type: { type: ['string', 'null'] },
    target_id: { type: ['string', 'null'] },
    reason: { type: ['string', 'null'] },
    ip: { type: ['string', 'null'] },
    outcome: { type: 'string' },
    details: { type: 'object', additionalProperties: true },
    prev_hash: { type: 'string' },
    hash: { type: 'string' },
  },
  required: ['seq', 'at', 'action', 'hash', 'prev_hash'],
} as const;

const FILTER_PROPS = {
  from: { type: 'string', format: 'date-time', description: '起始时间 (含)' },
  to: { type: 'string', format: 'date-time', description: '截止时间 (不含)' },
  action: { type: 'string', maxLength: 40 },
  username: { type: 'string', maxLength: 64 },
} as const;

type FilterQuery = { from?: string; to?: string; action?: string; username?: string };

export const auditRoutes: FastifyPluginAsync = async (app) => {
  app.addSchema(AUDIT_ENTRY);

  app.get<{ Querystring: FilterQuery & { page?: number; pageSize?: number } }>(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary: '审计日志查询',
        querystring: { type: 'object', properties: { ...FILTER_PROPS, ...PAGE_QUERY_PROPS }, additionalProperties: false },
        response: { 200: pageOf({ $ref: 'AuditEntry#' }) },
      },
    },
    async (req) => {
      const a = requirePermission(req, 'read_audit');
      const { page, pageSize } = pageArgs(req.query);
      const r = await listAudit(app.db, { ...req.query, regionPrefix: a.regionPrefix, page, pageSize });
      return { total: r.total, page, pageSize, items: r.items };
    },
  );

  for (const fmt of ['csv', 'xlsx'] as const) {
    app.get<{ Querystring: FilterQuery }>(
      `/api/audit/export.${fmt}`,
      {
        schema: {
          tags: ['audit'],
          summary: `审计日志导出 (${fmt.toUpperCase()})`,
          description: '含前一哈希与哈希列，可离线复核。导出本身记入审计日志。',
          querystring: { type: 'object', properties: FILTER_PROPS, additionalProperties: false },
          produces: [fmt === 'csv' ? 'text/csv' : XLSX_TYPE],
        },
      },
      async (req, reply) => {
        const a = requirePermission(req, 'read_audit');
        const q: AuditQuery = { ...req.query, regionPrefix: a.regionPrefix };
        const stamp = new Date().toISOString().slice(0, 10);
        const r = fmt === 'csv' ? await auditCsv(app.db, q) : await auditXlsx(app.db, q);
        // Audited before the data leaves.
        await writeAudit(app.db, { action: 'audit_export', userId: a.userId, username: a.username, role: a.role, ip: req.ip, details: { format: fmt, rows: r.rows, ...req.query } });
        reply.header('content-disposition', `attachment; filename="audit-${stamp}.${fmt}"`);
        if ('csv' in r) return reply.type('text/csv; charset=utf-8').send(r.csv);
        return reply.type(XLSX_TYPE).send(r.buffer);
      },
    );
  }

  app.get(
    '/api/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: '校验审计日志哈希链',
        response: {
          200: {
            type: 'object',
            properties: { ok: { type: 'boolean' }, count: { type: 'integer' }, brokenAt: { type: 'integer' }, problem: { type: 'string' } },
            required: ['ok', 'count'],
          },
        },
      },
    },
    async (req) => {
      requirePermission(req, 'read_audit');
      return verifyAuditChain(app.db);
    },
  );

  app.post<{ Body: { system: 'prm' | 'lip'; countyCode: string; fileId: string; rowNo: number; reason: string } }>(
    '/api/unmask',
    {
      schema: {
        tags: ['audit'],
        summary: '查看一条成员记录的完整姓名与身份证号（须 unmask 权限与事由，记入审计）',
        body: {
          type: 'object',
          properties: {
            system: { type: 'string', enum: ['prm', 'lip'] },
            countyCode: { type: 'string', pattern: '^\\d{6}$' },
            fileId: { type: 'string', minLength: 1, maxLength: 100 },
            rowNo: { type: 'integer', minimum: 1 },
            reason: { type: 'string', minLength: 1, maxLength: 500, description: '查看事由（至少 4 个字）' },
          },
          required: ['system', 'countyCode', 'fileId', 'rowNo', 'reason'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { name: { type: ['string', 'null'] }, id_number: { type: ['string', 'null'] }, id_raw: { type: ['string', 'null'] }, region_code: { type: 'string' } },
            required: ['name', 'id_number', 'region_code'],
          },
        },
      },
    },
    async (req) => {
      const { system, countyCode, fileId, rowNo, reason } = req.body;
      const table = system === 'prm' ? 'prm_member' : 'lip_member';
      const target = `${table}:${countyCode}:${fileId}:${rowNo}`;
      await guardUnmask(req, { countyCode, target, targetType: table, reason });
      const rec = await app.db
        .selectFrom(table)
        .select(['name', 'id_number', 'id_raw', 'region_code'])
        .where('county_code', '=', countyCode)
        .where('file_id', '=', fileId)
        .where('row_no', '=', rowNo)
        .executeTakeFirst();
      if (!rec) throw new BinkuError('BK_API_NOT_FOUND', '记录不存在', { status: 404, en: 'record not found' });
      await unmask(req, { countyCode, regionCode: rec.region_code, target, targetType: table, reason });
      return rec;
    },
  );
};
