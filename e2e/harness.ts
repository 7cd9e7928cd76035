/**
 * End-to-end harness: the real server in-process (buildApp + listen on an
 * ephemeral port, fresh embedded PGlite), the built web UI, and Debian's
 * chromium driven by playwright-core.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../src/api/app.ts';
import { openTestDb } from '../src/test/db.ts';
import type { DbHandle } from '../src/db/dialect.ts';
import { createUser } from '../src/auth/service.ts';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const WEB = join(ROOT, 'web');
const DIST_INDEX = join(WEB, 'dist', 'index.html');

function newestMtime(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newestMtime(p) : s.mtimeMs);
  }
  return t;
}

/** Builds web/dist when it is missing or older than the web sources. */
export function ensureWebBuilt(): void {
  const sourcesAt = Math.max(newestMtime(join(WEB, 'src')), statSync(join(WEB, 'index.html')).mtimeMs, statSync(join(WEB, 'vite.config.ts')).mtimeMs);
  if (existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= sourcesAt) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(WEB, 'vite.config.ts'), '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
}

export const CHROMIUM_PATH = process.env.BINKU_CHROMIUM ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface Server {
  app: FastifyInstance;
  handle: DbHandle;
  url: string;
  close(): Promise<void>;
}

/** Fresh database, real authentication, listening on 127.0.0.1:<random>. */
export async function startServer(): Promise<Server> {
  const handle = await openTestDb('pglite');
  const app = await buildApp({ db: handle.db, dbKind: 'pglite', rateLimitPerMinute: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    app,
    handle,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await handle.close();
    },
  };
}

export interface TestUser {
  username: string;
  password: string;
}

export async function addUser(server: Server, u: { username: string; password?: string; role: string; regionPrefix?: string; mustChangePassword?: boolean }): Promise<TestUser> {
  const password = u.password ?? 'Binku-e2e-2024';
  await createUser(server.handle.db, { username: u.username, password, role: u.role, regionPrefix: u.regionPrefix ?? '', mustChangePassword: u.mustChangePassword });
  return { username: u.username, password };
}

/** Logs in through the login form and waits for the shell. */
export async function login(page: Page, base: string, user: TestUser): Promise<void> {
  await page.goto(`${base}/login`);
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('user-menu').waitFor();
}

/**
 * Screenshots go to docs/screenshots/ when BINKU_SCREENSHOTS=1 (to refresh the
 * README images), otherwise to a temporary folder so `npm test` leaves the
 * working tree clean.
 */
export const SCREENSHOTS = process.env.BINKU_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : join(tmpdir(), 'binku-e2e-screenshots');
