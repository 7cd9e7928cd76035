/**
 * The county's monthly cycle in the browser, against the real server:
 * login → import → merge → dashboard = coverage report → clerical review →
 * household view (masked, then unmasked with a reason) → export download.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateDemo } from '../src/demo/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SCREENSHOTS, addUser, ensureWebBuilt, launchBrowser, login, startServer, type Server, type TestUser } from './harness.ts';

let server: Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let clerk: TestUser;
let demoDir: string;
const DEMO_HOUSEHOLDS = 400;

beforeAll(async () => {
  ensureWebBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  clerk = await addUser(server, { username: 'wudu_clerk', role: 'county_staff_prm', regionPrefix: '' });
  context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', acceptDownloads: true });
  page = await context.newPage();
  // The demo county's exports, as a clerk would have them on disk.
  demoDir = mkdtempSync(join(tmpdir(), 'binku-e2e-demo-'));
  for (const f of generateDemo({ households: DEMO_HOUSEHOLDS, seed: 7 }).files) {
    mkdirSync(dirname(join(demoDir, f.path)), { recursive: true });
    writeFileSync(join(demoDir, f.path), f.bytes);
  }
}, 180_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  if (demoDir) rmSync(demoDir, { recursive: true, force: true });
});

async function shot(name: string, p: Page = page): Promise<void> {
  await p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

describe('web UI end to end', () => {
  it('refuses a wrong password, then logs in and shows the Chinese shell for the role', async () => {
    await page.goto(`${server.url}/`);
    // Not logged in: any page redirects to 登录.
    await page.waitForURL(/\/login$/);
    await page.getByLabel('用户名').waitFor();
    await shot('login');
    await page.getByLabel('用户名').fill(clerk.username);
    await page.getByLabel('密码').fill('wrong-password-1');
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await expect(page.getByText('用户名或密码错误').waitFor()).resolves.toBeUndefined();

    await login(page, server.url, clerk);
    await expect(page.getByTestId('user-menu').innerText()).resolves.toContain('wudu_clerk');
    const menu = await page.locator('.ant-layout-sider .ant-menu').innerText();
    for (const t of ['总览', '数据导入', '比对复核', '户档案', '测算', '评估']) expect(menu).toContain(t);
  });

  it('hides pages the role may not use (分析人员 sees no 数据导入 or 户档案)', async () => {
    const analyst = await addUser(server, { username: 'analyst1', role: 'analyst' });
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const p = await ctx.newPage();
    await login(p, server.url, analyst);
    const menu = await p.locator('.ant-layout-sider .ant-menu').innerText();
    expect(menu).toContain('总览');
    expect(menu).toContain('评估');
    expect(menu).not.toContain('数据导入');
    expect(menu).not.toContain('户档案');
    // A deep link to a forbidden page answers 没有权限 instead of the page.
    await p.goto(`${server.url}/households`);
    await p.getByText('没有权限').waitFor();
    await ctx.close();
  });

  it('asks a user with a one-time password to change it first', async () => {
    const fresh = await addUser(server, { username: 'new_admin', role: 'county_admin', mustChangePassword: true });
    const ctx = await browser.newContext({ locale: 'zh-CN' });
    const p = await ctx.newPage();
    await p.goto(`${server.url}/login`);
    await p.getByLabel('用户名').fill(fresh.username);
    await p.getByLabel('密码').fill(fresh.password);
    await p.getByRole('button', { name: /登\s*录/ }).click();
    await p.getByText('首次登录：请修改密码').waitFor();
    await p.getByLabel('当前密码').fill(fresh.password);
    await p.getByLabel('新密码', { exact: true }).fill('Wudu-2024-new-pass');
    await p.getByLabel('确认新密码').fill('Wudu-2024-new-pass');
    await p.getByRole('button', { name: '修改密码' }).click();
    await p.getByTestId('user-menu').waitFor();
    await ctx.close();
  });

  it('logs out from the user menu', async () => {
    const ctx = await browser.newContext({ locale: 'zh-CN' });
    const p = await ctx.newPage();
    await login(p, server.url, clerk);
    await p.getByTestId('user-menu').click();
    await p.getByText('退出登录').click();
    await p.waitForURL(/\/login$/);
    // The session is gone on the server too: a reload stays on 登录.
    await p.reload();
    await p.getByLabel('用户名').waitFor();
    expect(p.url()).toMatch(/\/login$/);
    await ctx.close();
  });

  it('imports the demo PRM and LIP exports with progress, problem list and history', async () => {
    await page.goto(`${server.url}/imports`);
    for (const [system, file, label] of [
      ['prm', 'prm.csv', '防止返贫监测系统（PRM）'],
      ['lip', 'lip.csv', '低收入人口平台（LIP）'],
    ] as const) {
      await page.getByText(label).click();
      const upload = page.waitForResponse((r) => r.url().endsWith('/api/imports') && r.request().method() === 'POST');
      await page.locator('input[type=file]').setInputFiles(join(demoDir, file));
      const res = await upload;
      expect(res.status()).toBe(200);
      const summary = (await res.json()) as { system: string; rows: number; records: number; problemCount: number };
      expect(summary.system).toBe(system);
      expect(summary.records).toBeGreaterThan(0);
      const result = page.getByTestId('import-result');
      await result.getByText(file).waitFor();
      // The page shows the server's counts, not numbers of its own.
      await expect(result.innerText()).resolves.toContain(String(summary.rows));
      expect(await result.locator('.ant-progress').count()).toBe(0); // progress bar is outside the result card
      await expect(page.getByRole('progressbar').first().getAttribute('aria-valuenow')).resolves.toBe('100');
      if (summary.problemCount > 0) {
        await expect(result.locator('tbody tr.ant-table-row').count()).resolves.toBeGreaterThan(0);
      }
    }
    await shot('imports');
    // History lists both files, newest first.
    const history = page.getByTestId('import-history');
    await history.getByText('lip.csv').waitFor();
    await history.getByText('prm.csv').waitFor();
    const rows = await history.locator('tbody tr.ant-table-row').allInnerTexts();
    expect(rows[0]).toContain('lip.csv');
    expect(rows[1]).toContain('prm.csv');
  });

  it('downloads the problem list of an import as XLSX', async () => {
    const btn = page.getByTestId('import-result').getByRole('button', { name: /下载问题清单/ });
    const [download] = await Promise.all([page.waitForEvent('download'), btn.click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const path = await download.path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(path).subarray(0, 2).toString()).toBe('PK'); // an XLSX is a zip
  });
});
