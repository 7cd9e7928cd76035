/**
 * 评估 (issue 6): POST /api/evaluate runs the four-group analysis
 * (../shared/formats/evaluation.md) and answers with the `binku evaluate
 * --json` document (outputs.md) plus chart data (histograms, CIs).
 * Input: multipart upload (file `file`, option fields), a JSON body with
 * `csv` text, or `{sample: {n, seed}}` to run on generated CFPS-shaped data.
 * Options (query, form fields or JSON; camelCase or snake_case): povertyLine,
 * caliper, dropIncomplete, bootstrap, seed, vepWithGroups. `?format=xlsx`
 * returns the XLSX report instead. Needs the 'evaluate' permission.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { BinkuError } from '../../domain/errors.ts';
import { evaluateCsvText, runEvaluation, type EvaluationResult } from '../../evaluate/evaluate.ts';
import { evaluationWorkbook } from '../../evaluate/report-xlsx.ts';
import { generateEvaluationSample } from '../../evaluate/synth.ts';
import { requirePermission } from '../auth-context.ts';
import { XLSX_TYPE } from '../media-types.ts';

const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
const MAX_SAMPLE_N = 200_000;
const MAX_BOOTSTRAP = 2000;

type Raw = Record<string, unknown>;

function pick(src: Raw, ...names: string[]): unknown {
  for (const n of names) if (src[n] !== undefined && src[n] !== '') return src[n];
  return undefined;
}

function numOpt(src: Raw, names: string[], opts: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
  const v = pick(src, ...names);
  if (v === undefined) return undefined;
  const x = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isFinite(x) || (opts.integer && !Number.isInteger(x)) || (opts.min !== undefined && x < opts.min) || (opts.max !== undefined && x > opts.max)) {
    throw new BinkuError('BK_EVALUATE_BAD_OPTION', `参数 ${names[0]} 的值无效: ${String(v)}`, { status: 400, en: `invalid ${names[0]}` });
  }
  return x;
}

function boolOpt(src: Raw, names: string[]): boolean | undefined {
  const v = pick(src, ...names);
  if (v === undefined) return undefined;
  return v === true || v === 'true' || v === '1' || v === 1 || v === 'on';
}

function options(src: Raw) {
  return {
    povertyLine: numOpt(src, ['povertyLine', 'poverty_line', 'poverty-line'], { min: 1e-9 }),
    caliper: numOpt(src, ['caliper'], { min: 1e-12, max: 1 }),
    bootstrap: numOpt(src, ['bootstrap'], { integer: true, min: 0, max: MAX_BOOTSTRAP }),
    seed: numOpt(src, ['seed'], { integer: true }),
    vepWithGroups: boolOpt(src, ['vepWithGroups', 'vep_with_groups', 'vep-with-groups']),
    dropIncomplete: boolOpt(src, ['dropIncomplete', 'drop_incomplete', 'drop-incomplete']),
  };
}

async function readMultipart(req: FastifyRequest): Promise<{ fields: Raw; text: string | undefined }> {
  const fields: Raw = {};
  let text: string | undefined;
  for await (const part of req.parts({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 20 } })) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file') {
        part.file.resume();
        continue;
      }
      const buf = await part.toBuffer();
      if (part.file.truncated) throw new BinkuError('BK_EVALUATE_TOO_LARGE', '上传文件过大', { status: 413, en: 'upload too large' });
      text = buf.toString('utf8');
    } else {
      fields[part.fieldname] = part.value;
    }
  }
  return { fields, text };
}

export const evaluateRoutes: FastifyPluginAsync = async (app) => {
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES } });

  app.post<{ Querystring: Raw; Body: Raw | undefined }>(
    '/api/evaluate',
    {
      bodyLimit: 32 * 1024 * 1024,
      schema: {
        tags: ['evaluate'],
        summary: '四组比较评估（VEP + 多项 Logit 倾向得分半径匹配）',
        description:
          'multipart 上传（文件字段 file，选项字段 povertyLine/caliper/dropIncomplete/bootstrap/seed/vepWithGroups），或 JSON：{"csv": "…"} / {"sample": {"n": 5891, "seed": 1}}。?format=xlsx 返回 XLSX 报告。',
        querystring: {
          type: 'object',
          properties: {
            format: { type: 'string', enum: ['json', 'xlsx'] },
            povertyLine: { type: 'number' },
            caliper: { type: 'number' },
            bootstrap: { type: 'integer' },
            seed: { type: 'integer' },
            dropIncomplete: { type: 'boolean' },
            vepWithGroups: { type: 'boolean' },
          },
        },
        response: {
          200: {
            type: 'object',
            additionalProperties: true,
            required: ['n', 'poverty_line', 'caliper', 'excluded_rows', 'groups', 'off_support', 'att', 'balance'],
            properties: {
              n: { type: 'integer' },
              poverty_line: { type: 'number' },
              caliper: { type: 'number' },
              excluded_rows: {
                type: 'array',
                items: { type: 'object', properties: { row: { type: 'integer' }, column: { type: 'string' }, reason: { type: 'string' } } },
              },
              groups: { type: 'object', additionalProperties: true },
              off_support: { type: 'object', additionalProperties: true },
              att: { type: 'object', additionalProperties: true },
              balance: { type: 'object', additionalProperties: true },
            },
          },
        },
      },
    },
    async (req, reply) => {
      requirePermission(req, 'evaluate');
      const query = req.query ?? {};
      let result: EvaluationResult;
      if (req.isMultipart()) {
        const { fields, text } = await readMultipart(req);
        if (text === undefined) throw new BinkuError('BK_EVALUATE_NO_FILE', '没有上传文件（字段 file）', { status: 400, en: 'no file uploaded' });
        result = evaluateCsvText(text, { ...options(fields), ...defined(options(query)) });
      } else {
        const body = (req.body ?? {}) as Raw;
        const opts = { ...options(body), ...defined(options(query)) };
        if (typeof body.csv === 'string') {
          result = evaluateCsvText(body.csv, opts);
        } else if (body.sample && typeof body.sample === 'object') {
          const s = body.sample as Raw;
          const n = numOpt(s, ['n'], { integer: true, min: 50, max: MAX_SAMPLE_N }) ?? 5891;
          const seed = numOpt(s, ['seed'], { integer: true }) ?? 1;
          result = runEvaluation(generateEvaluationSample({ n, seed }), opts);
        } else {
          throw new BinkuError('BK_EVALUATE_NO_FILE', '请上传评估数据（multipart 字段 file），或提供 csv 文本或 sample 参数', { status: 400, en: 'no input' });
        }
      }
      if (query.format === 'xlsx') {
        const buf = await evaluationWorkbook(result.report);
        return reply
          .header('content-type', XLSX_TYPE)
          .header('content-disposition', `attachment; filename="evaluation.xlsx"; filename*=UTF-8''${encodeURIComponent('四组比较评估.xlsx')}`)
          .send(buf);
      }
      return result.report;
    },
  );
};

/** Drops undefined keys so query options override body options only when given. */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
