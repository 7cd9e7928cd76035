/**
 * 数据导入: upload an export (multipart: field `system`, file `file`), list the
 * import history, download a file's problem list as XLSX.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { outOfScopeError, requirePermission, regionPrefix } from '../auth-context.ts';
import { BinkuError } from '../../domain/errors.ts';
import type { ImportFile, RowProblem, System } from '../../db/schema.ts';
import { importFile } from '../../ingest/import.ts';
import { problemsToXlsx } from '../../ingest/problems-xlsx.ts';
import { maskProblems } from '../../ingest/mask-problems.ts';
import { getImport, listImports } from '../../ingest/store.ts';
import { writeAudit } from '../../audit/store.ts';
import { PAGE_QUERY_PROPS, pageArgs } from '../plugins/pagination.ts';
import { XLSX_TYPE } from '../media-types.ts';

/** Largest accepted upload (a 1M-row county export as CSV is ~300 MB). */
export const MAX_UPLOAD_BYTES = 1024 * 1024 * 1024;
/** Problems returned inline by POST /api/imports (all of them: GET …/problems.xlsx). */
export const MAX_REPLY_PROBLEMS = 1000;

const PROBLEM = {
  $id: 'ImportProblem',
  type: 'object',
  properties: {
    file: { type: 'string' },
    row: { type: 'integer' },
    column: { type: 'string' },
    value: { type: ['string', 'null'] },
    code: { type: 'string' },
    message: { type: 'string' },
    severity: { type: 'string', enum: ['error', 'warning'] },
  },
  required: ['row', 'column', 'code', 'message'],
} as const;

const SUMMARY = {
  $id: 'ImportSummary',
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['imported', 'duplicate'], description: 'duplicate = 同一文件已导入过，未做更改' },
    fileId: { type: 'string' },
    countyCode: { type: 'string' },
    system: { type: 'string', enum: ['prm', 'lip', 'feed'] },
    fileName: { type: 'string' },
    contentHash: { type: 'string' },
    format: { type: ['string', 'null'] },
    encoding: { type: ['string', 'null'] },
    period: { type: ['string', 'null'] },
    source: { type: ['string', 'null'] },
    headerRow: { type: ['integer', 'null'] },
    rows: { type: 'integer' },
    records: { type: 'integer' },
    skippedRows: { type: 'integer' },
    households: { type: 'integer' },
    blankRows: { type: 'integer' },
    totalRows: { type: 'integer' },
    conflicts: { type: 'integer' },
    sizeMismatches: { type: 'integer' },
    problemCount: { type: 'integer' },
    problems: { type: 'array', items: { $ref: 'ImportProblem#' }, description: '前 1000 条问题；完整清单见 GET /api/imports/{fileId}/problems.xlsx' },
    problemsTruncated: { type: 'boolean' },
    superseded: { type: 'array', items: { type: 'string' } },
    extraColumns: { type: 'array', items: { type: 'string' } },
    elapsedMs: { type: 'integer' },
  },
  required: ['status', 'fileId', 'countyCode', 'system', 'rows', 'records', 'problemCount', 'problems'],
} as const;

const IMPORT_FILE = {
  $id: 'ImportFile',
  type: 'object',
  properties: {
    fileId: { type: 'string' },
    countyCode: { type: 'string' },
    system: { type: 'string' },
    fileName: { type: 'string' },
    contentHash: { type: 'string' },
    period: { type: ['string', 'null'] },
    source: { type: ['string', 'null'] },
    status: { type: 'string', enum: ['current', 'superseded'] },
    supersededBy: { type: ['string', 'null'] },
    rowCount: { type: 'integer' },
    recordCount: { type: 'integer' },
    problemCount: { type: 'integer' },
    importedBy: { type: ['string', 'null'] },
    importedAt: { type: 'string', format: 'date-time' },
  },
  required: ['fileId', 'countyCode', 'system', 'fileName', 'status', 'importedAt'],
} as const;

function toApi(f: ImportFile): Record<string, unknown> {
  return {
    fileId: f.file_id,
    countyCode: f.county_code,
    system: f.system,
    fileName: f.file_name,
    contentHash: f.content_hash,
    period: f.period,
    source: f.source,
    status: f.status,
    supersededBy: f.superseded_by,
    rowCount: f.row_count,
    recordCount: f.record_count,
    problemCount: f.problem_count,
    importedBy: f.imported_by,
    importedAt: (f.imported_at instanceof Date ? f.imported_at : new Date(f.imported_at)).toISOString(),
  };
}

/** A county is visible when the caller's prefix covers it (or lies inside it). */
function countyInScope(prefix: string, county: string): boolean {
  return prefix === '' || county.startsWith(prefix) || prefix.startsWith(county);
}

/** Reads the multipart upload: the `system` field and the `file` streamed to a temp file. */
async function receiveUpload(req: FastifyRequest, dir: string): Promise<{ system: string | undefined; county: string | undefined; path: string | undefined; fileName: string }> {
  let system: string | undefined;
  let county: string | undefined;
  let path: string | undefined;
  let fileName = 'upload';
  for await (const part of req.parts({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10 } })) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file') {
        part.file.resume();
        continue;
      }
      fileName = part.filename || 'upload';
      path = join(dir, randomBytes(8).toString('hex'));
      await pipeline(part.file, createWriteStream(path));
      if (part.file.truncated) throw new BinkuError('BK_IMPORT_TOO_LARGE', '上传文件过大', { status: 413 });
    } else if (part.fieldname === 'system') system = String(part.value);
    else if (part.fieldname === 'county') county = String(part.value);
  }
  return { system, county, path, fileName };
}

export const importRoutes: FastifyPluginAsync = async (app) => {
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES } });
  app.addSchema(PROBLEM);
  app.addSchema(SUMMARY);
  app.addSchema(IMPORT_FILE);

  app.post(
    '/api/imports',
    {
      schema: {
        tags: ['imports'],
        summary: '导入导出文件（multipart：字段 system = prm|lip|feed，文件 file；可选字段 county = 6位县代码）',
        consumes: ['multipart/form-data'],
        response: { 200: { $ref: 'ImportSummary#' } },
      },
    },
    async (req) => {
      const a = requirePermission(req, 'import');
      if (!req.isMultipart()) throw new BinkuError('BK_IMPORT_NO_FILE', '请以 multipart/form-data 上传文件（字段 file）', { status: 400 });
      const dir = await mkdtemp(join(tmpdir(), 'binku-upload-'));
      try {
        const up = await receiveUpload(req, dir);
        if (!up.system || !['prm', 'lip', 'feed'].includes(up.system)) {
          throw new BinkuError('BK_IMPORT_BAD_SYSTEM', '字段 system 应为 prm、lip 或 feed', { status: 400 });
        }
        if (!up.path) throw new BinkuError('BK_IMPORT_NO_FILE', '没有上传文件（字段 file）', { status: 400 });
        const summary = await importFile(app.db, {
          system: up.system as System,
          fileName: up.fileName,
          path: up.path,
          county: up.county,
          importedBy: a.username,
          checkCounty: (c) => {
            if (!countyInScope(a.regionPrefix, c)) throw outOfScopeError();
          },
        });
        if (!countyInScope(a.regionPrefix, summary.countyCode)) throw outOfScopeError(); // a duplicate from another county
        if (summary.status === 'imported') {
          await writeAudit(app.db, {
            action: 'import',
            countyCode: summary.countyCode,
            userId: a.userId,
            username: a.username,
            role: a.role,
            ip: req.ip,
            targetType: 'import_file',
            targetId: summary.fileId,
            details: { system: summary.system, fileName: summary.fileName, rows: summary.rows, records: summary.records, problems: summary.problemCount, superseded: summary.superseded },
          });
        }
        // The full list is in problems.xlsx; keep the JSON reply small.
        // ID values in problems are masked in the reply (the XLSX keeps them for 'unmask' holders only).
        return { ...summary, problems: maskProblems(summary.problems.slice(0, MAX_REPLY_PROBLEMS)), problemsTruncated: summary.problems.length > MAX_REPLY_PROBLEMS };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );

  app.get<{ Querystring: { system?: System; page?: number; pageSize?: number } }>(
    '/api/imports',
    {
      schema: {
        tags: ['imports'],
        summary: '导入历史（最新在前，含已被取代的旧导入）',
        querystring: { type: 'object', properties: { system: { type: 'string', enum: ['prm', 'lip', 'feed'] }, ...PAGE_QUERY_PROPS }, additionalProperties: false },
        response: {
          200: {
            type: 'object',
            properties: { page: { type: 'integer' }, pageSize: { type: 'integer' }, items: { type: 'array', items: { $ref: 'ImportFile#' } } },
            required: ['page', 'pageSize', 'items'],
          },
        },
      },
    },
    async (req) => {
      requirePermission(req, 'import');
      const { page, pageSize, offset } = pageArgs(req.query);
      const rows = await listImports(app.db, { regionPrefix: regionPrefix(req), limit: pageSize, offset, system: req.query.system });
      return { page, pageSize, items: rows.map(toApi) };
    },
  );

  app.get<{ Params: { fileId: string } }>(
    '/api/imports/:fileId/problems.xlsx',
    {
      schema: {
        tags: ['imports'],
        summary: '下载一次导入的问题清单（XLSX：文件、行号、列、原始值、问题）',
        params: { type: 'object', properties: { fileId: { type: 'string', minLength: 1, maxLength: 100 } }, required: ['fileId'] },
        produces: [XLSX_TYPE],
      },
    },
    async (req, reply) => {
      const a = requirePermission(req, 'import');
      const f = await getImport(app.db, req.params.fileId);
      if (!f || !countyInScope(regionPrefix(req), f.county_code)) {
        throw new BinkuError('BK_IMPORT_NOT_FOUND', '找不到该导入记录', { status: 404, en: 'import not found' });
      }
      const problems = (typeof f.problems === 'string' ? JSON.parse(f.problems) : f.problems) as RowProblem[];
      // Raw ID values only for callers allowed to see full IDs; everyone else gets them masked.
      const buf = await problemsToXlsx(a.permissions.has('unmask') ? problems : maskProblems(problems), f.file_name);
      reply.header('content-disposition', `attachment; filename="problems-${f.file_id}.xlsx"`);
      return reply.type(XLSX_TYPE).send(buf);
    },
  );
};
