/**
 * Serves the built web UI (web/dist) at / with a single-page-app fallback:
 * any GET outside /api that matches no file returns index.html so that deep
 * links such as /households/H123 work after a reload. Unknown /api paths keep
 * the JSON error shape. Hashed assets are cached long; index.html never.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';

/** web/dist of this checkout. */
export const defaultWebDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface StaticOptions {
  /** Folder holding the built UI; defaults to web/dist. */
  distDir?: string;
}

const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>并库</title>
<body style="font-family:sans-serif;padding:2em"><h1>网页界面尚未构建</h1>
<p>请在项目目录运行 <code>npm run build:web</code>（或 <code>npm install</code>）后刷新本页。API 仍可在 <a href="/openapi.json">/openapi.json</a> 查看。</p></body></html>`;

function wantsApiError(url: string): boolean {
  return url === '/api' || url.startsWith('/api/') || url.startsWith('/openapi');
}

export const staticRoutes: FastifyPluginAsync<StaticOptions> = async (app, opts) => {
  const dist = opts.distDir ?? defaultWebDist;
  const built = existsSync(join(dist, 'index.html'));

  if (built) {
    await app.register(fastifyStatic, {
      root: dist,
      prefix: '/',
      index: false,
      maxAge: '30d',
      immutable: true,
    });
    app.get('/', { schema: { hide: true } }, (_req, reply) => reply.sendFile('index.html', { maxAge: 0, immutable: false }));
  } else {
    app.get('/', { schema: { hide: true } }, (_req, reply) => reply.type('text/html; charset=utf-8').send(NOT_BUILT));
  }

  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0];
    if ((req.method === 'GET' || req.method === 'HEAD') && !wantsApiError(path)) {
      if (built) return reply.sendFile('index.html', { maxAge: 0, immutable: false });
      return reply.status(404).type('text/html; charset=utf-8').send(NOT_BUILT);
    }
    return reply.status(404).send({ statusCode: 404, code: 'BK_API_NOT_FOUND', message: '接口不存在', message_en: `route not found: ${req.method} ${path}` });
  });
};
