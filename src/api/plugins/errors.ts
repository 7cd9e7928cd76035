/**
 * One error shape for every reply: {statusCode, code, message (中文),
 * message_en, details}. Framework errors are mapped to a fixed set of codes
 * (docs/errors.md); anything unexpected is masked as 500 and logged with the
 * request id, so driver text and stack traces never reach the client.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { isBinkuError } from '../../domain/errors.ts';

export const ERROR_SCHEMA = {
  $id: 'Error',
  type: 'object',
  description: '统一错误格式',
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string', description: 'BK_<MODULE>_<WHAT>，见 docs/errors.md' },
    message: { type: 'string', description: '中文说明' },
    message_en: { type: 'string' },
    details: {},
  },
  required: ['statusCode', 'code', 'message'],
} as const;

const CLIENT_CODES: Record<number, [string, string]> = {
  400: ['BK_API_BAD_REQUEST', '请求无效'],
  401: ['BK_AUTH_REQUIRED', '请先登录'],
  403: ['BK_AUTH_FORBIDDEN', '没有权限执行此操作'],
  404: ['BK_API_NOT_FOUND', '接口或记录不存在'],
  405: ['BK_API_BAD_REQUEST', '请求方法不被支持'],
  406: ['BK_API_BAD_REQUEST', '无法提供所请求的格式'],
  413: ['BK_API_PAYLOAD_TOO_LARGE', '请求内容过大'],
  414: ['BK_API_PAYLOAD_TOO_LARGE', '请求地址过长'],
  415: ['BK_API_UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型'],
  429: ['BK_API_RATE_LIMITED', '请求过于频繁，请稍后再试'],
  431: ['BK_API_PAYLOAD_TOO_LARGE', '请求头过大'],
};

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isBinkuError(err)) {
      if (err.status >= 500) req.log.error({ err, reqId: req.id }, 'server error');
      return reply.status(err.status).send({ statusCode: err.status, code: err.code, message: err.message, message_en: err.messageEn ?? err.message, details: err.details });
    }
    if (err.validation) {
      return reply.status(400).send({
        statusCode: 400,
        code: 'BK_API_BAD_REQUEST',
        message: '请求参数无效',
        message_en: err.message,
        details: err.validation.map((v) => ({ path: v.instancePath, keyword: v.keyword, message: v.message, params: v.params })),
      });
    }
    const status = err.statusCode;
    if (status && status >= 400 && status < 500) {
      let [code, message] = CLIENT_CODES[status] ?? ['BK_API_BAD_REQUEST', '请求无效'];
      if (status === 400 && (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError)) {
        code = 'BK_API_BAD_JSON';
        message = '请求内容不是有效的 JSON';
      }
      if (status === 400 && err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
        code = 'BK_API_BAD_JSON';
        message = '请求内容为空';
      }
      if (status === 429) reply.header('retry-after', reply.getHeader('retry-after') ?? '60');
      return reply.status(status).send({ statusCode: status, code, message, message_en: err.message });
    }
    req.log.error({ err, reqId: req.id }, 'unexpected error');
    return reply.status(500).send({ statusCode: 500, code: 'BK_API_INTERNAL', message: '服务器内部错误', message_en: 'internal server error', details: { requestId: req.id } });
  });
}
