import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { staticRoutes } from './static.ts';

const dir = mkdtempSync(join(tmpdir(), 'binku-web-'));
mkdirSync(join(dir, 'assets'));
writeFileSync(join(dir, 'index.html'), '<!doctype html><div id="root">并库首页</div>');
writeFileSync(join(dir, 'assets', 'app-abc123.js'), 'console.log(1)');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function appWith(distDir: string) {
  const app = Fastify();
  app.get('/api/health', async () => ({ status: 'ok' }));
  await app.register(staticRoutes, { distDir });
  await app.ready();
  return app;
}

describe('static web UI', () => {
  it('serves index.html at / without caching, and hashed assets with long caching', async () => {
    const app = await appWith(dir);
    const root = await app.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(200);
    expect(root.body).toContain('并库首页');
    expect(root.headers['cache-control']).not.toContain('immutable');
    const js = await app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.headers['cache-control']).toContain('immutable');
    await app.close();
  });

  it('falls back to index.html for client-side routes but not for API paths', async () => {
    const app = await appWith(dir);
    const deep = await app.inject({ method: 'GET', url: '/households/H-001?tab=rules' });
    expect(deep.statusCode).toBe(200);
    expect(deep.body).toContain('并库首页');
    const api = await app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ code: 'BK_API_NOT_FOUND' });
    const post = await app.inject({ method: 'POST', url: '/households' });
    expect(post.statusCode).toBe(404);
    expect((await app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ status: 'ok' });
    await app.close();
  });

  it('explains how to build the UI when web/dist is missing', async () => {
    const app = await appWith(join(dir, 'nope'));
    const r = await app.inject({ method: 'GET', url: '/' });
    expect(r.statusCode).toBe(200);
    expect(r.body).toContain('npm run build:web');
    await app.close();
  });
});
