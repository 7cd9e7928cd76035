/**
 * The HTTP application, built apart from `listen` so tests use `inject`.
 * Every route file in routes/ is a Fastify plugin with JSON schemas; those
 * schemas are the OpenAPI contract served at /openapi.json.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import type { Db } from '../db/dialect.ts';
import { isBinkuError } from '../domain/errors.ts';
import { healthRoutes } from './routes/health.ts';
import { staticRoutes } from './static.ts';
import type { AuthContext } from './auth-context.ts';

export interface AppOptions {
  db: Db;
  dbKind: 'pglite' | 'postgres';
  logger?: boolean;
  /**
   * Resolves the caller for each request. Tests pass a fixed identity; when
   * omitted, the real session-token authentication (src/auth/) is used.
   */
  authenticate?: (req: FastifyRequest) => Promise<AuthContext | undefined>;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    dbKind: 'pglite' | 'postgres';
  }
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ? { level: 'info' } : false,
    bodyLimit: 1024 * 1024,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });
  app.decorate('db', opts.db);
  app.decorate('dbKind', opts.dbKind);

  const authenticate = opts.authenticate;
  if (authenticate) {
    app.addHook('onRequest', async (req) => {
      req.auth = await authenticate(req);
    });
  }

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'binku 并库 API', version: '0.1.0', description: '防止返贫监测与低收入人口动态监测并库比对 API' },
    },
  });

  // One error shape: {statusCode, code, message, message_en?, details?}. Unexpected
  // errors are masked as 500 服务器内部错误 and logged with the request id.
  app.setErrorHandler((err, req, reply) => {
    if (isBinkuError(err)) {
      return reply.status(err.status).send({ statusCode: err.status, code: err.code, message: err.message, message_en: err.messageEn, details: err.details });
    }
    const e = err as { validation?: unknown; statusCode?: number; code?: string; message: string };
    if (e.validation) {
      return reply.status(400).send({ statusCode: 400, code: 'BK_API_BAD_REQUEST', message: '请求参数无效', message_en: e.message, details: e.validation });
    }
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.status(e.statusCode).send({ statusCode: e.statusCode, code: `BK_API_${e.code ?? 'CLIENT_ERROR'}`, message: '请求无效', message_en: e.message });
    }
    req.log.error({ err, reqId: req.id }, 'unexpected error');
    return reply.status(500).send({ statusCode: 500, code: 'BK_API_INTERNAL', message: '服务器内部错误', message_en: 'internal server error' });
  });

  await app.register(healthRoutes);

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  // Web UI (web/dist) at / with SPA fallback; last so every API route is known.
  await app.register(staticRoutes);
  return app;
}
