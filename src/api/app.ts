/**
 * The HTTP application, built apart from `listen` so tests use `inject`.
 * Every route file in routes/ is a Fastify plugin with JSON schemas; those
 * schemas are the OpenAPI contract served at /openapi.json.
 */
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import cors from '@fastify/cors';
import type { Db } from '../db/dialect.ts';
import { config } from '../config.ts';
import { installAuth } from './plugins/auth.ts';
import { installErrorHandler } from './plugins/errors.ts';
import { installOpenApi } from './plugins/openapi.ts';
import { loggerOptions, type LineSink } from './plugins/logging.ts';
import { authRoutes } from './routes/auth.ts';
import { userRoutes } from './routes/users.ts';
import { auditRoutes } from './routes/audit.ts';
import { importRoutes } from './routes/imports.ts';
import { healthRoutes } from './routes/health.ts';
import { linkRoutes } from './routes/link.ts';
import { evaluateRoutes } from './routes/evaluate.ts';
import { rulesRoutes } from './routes/rules.ts';
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
  /** Where log lines go (after ID scrubbing); default stdout. Tests capture here. */
  logStream?: LineSink;
  /** Requests per minute per IP (default 1000); false = off. */
  rateLimitPerMinute?: number | false;
  /** CORS origin; default config().corsOrigin (BINKU_CORS_ORIGIN). Unset = CORS off. */
  corsOrigin?: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
    dbKind: 'pglite' | 'postgres';
  }
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // Log lines pass through an ID-number scrubber; credentials are redacted.
    logger: opts.logger || opts.logStream ? loggerOptions(opts.logStream) : false,
    bodyLimit: 1024 * 1024, // JSON bodies ≤ 1 MiB; uploads use multipart with their own limits
    routerOptions: { maxParamLength: 200 },
    // Behind a reverse proxy req.ip (audit, throttling, rate limits) comes from X-Forwarded-For.
    trustProxy: config().trustProxy,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  });
  app.decorate('db', opts.db);
  app.decorate('dbKind', opts.dbKind);

  // Order matters: error shape and OpenAPI (onRoute) first, then rate limit
  // and auth hooks on the root instance, so routes added below — by any
  // module — are all covered.
  installErrorHandler(app);
  await installOpenApi(app);
  if (opts.rateLimitPerMinute !== false) {
    await app.register(rateLimit, { max: opts.rateLimitPerMinute ?? 1000, timeWindow: '1 minute' });
  }
  const corsOrigin = opts.corsOrigin ?? config().corsOrigin;
  if (corsOrigin) await app.register(cors, { origin: corsOrigin.split(',').map((o) => o.trim()), credentials: true });
  await installAuth(app, opts.authenticate);

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(userRoutes);
  await app.register(auditRoutes);
  await app.register(importRoutes);
  await app.register(linkRoutes);
  await app.register(evaluateRoutes);
  await app.register(rulesRoutes);

  // Web UI (web/dist) at / with SPA fallback; last so every API route is known.
  await app.register(staticRoutes);
  return app;
}
