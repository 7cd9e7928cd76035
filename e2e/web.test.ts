/**
 * The county's monthly cycle in the browser, against the real server:
 * login → import → merge → dashboard = coverage report → clerical review →
 * household view (masked, then unmasked with a reason) → export download.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateDemo } from '../src/demo/index.ts';
import { coverageReport } from '../src/link/coverage.ts';
import { exportHouseholdsCsv } from '../src/link/export.ts';
import { evaluationCsv, generateEvaluationSample } from '../src/evaluate/synth.ts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SCREENSHOTS, addUser, ensureWebBuilt, launchBrowser, login, startServer, type Server, type TestUser } from './harness.ts';

let server: Server;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let clerk: TestUser;
let demoDir: string;
// Large enough that the linkage leaves a few pairs for clerical review.
const DEMO_HOUSEHOLDS = 1000;

beforeAll(async () => {
  ensureWebBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  clerk = await addUser(server, { username: 'wudu_clerk', role: 'county_staff_prm', regionPrefix: '' });
  context = await browser.newContext({ viewport: { width: 1366, height: 860 }, locale: 'zh-CN', acceptDownloads: true });
  page = await context.newPage();
  // The demo county's exports, as a clerk would have them on disk.
  demoDir = mkdtempSync(join(tmpdir(), 'binku-e2e-demo-'));
  for (const f of generateDemo({ households: DEMO_HOUSEHOLDS, seed: 1 }).files) {
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

async function shot(name: string, p: Page = page, fullPage = true): Promise<void> {
  await p.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

describe('web UI end to end', () => {
  // One failed step must not leave a dialog open over the next test's clicks.
  afterEach(async () => {
    if (await page.locator('.ant-modal-wrap:visible').count()) await page.keyboard.press('Escape');
  });

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

  it('changes the password from the user menu, then only the new one logs in', async () => {
    const user = await addUser(server, { username: 'pw_changer', role: 'county_staff_lip' });
    const newPassword = 'Wudu-menu-2025-pass';
    const ctx = await browser.newContext({ locale: 'zh-CN' });
    const p = await ctx.newPage();
    await login(p, server.url, user);
    const before = await server.handle.db.selectFrom('app_user').select('password_hash').where('username', '=', user.username).executeTakeFirstOrThrow();
    await p.getByTestId('user-menu').click();
    await p.getByRole('menuitem', { name: '修改密码' }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('当前密码').fill(user.password);
    await dialog.getByLabel('新密码', { exact: true }).fill(newPassword);
    await dialog.getByLabel('确认新密码').fill(newPassword);
    const changed = p.waitForResponse((r) => r.url().endsWith('/api/auth/password') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: '修改密码' }).click();
    expect((await changed).status()).toBe(204);
    await dialog.waitFor({ state: 'hidden' });
    await p.getByText('密码已修改').waitFor();
    // The server stored a new hash and audited the change.
    const after = await server.handle.db.selectFrom('app_user').select('password_hash').where('username', '=', user.username).executeTakeFirstOrThrow();
    expect(after.password_hash).not.toBe(before.password_hash);
    const audit = await server.handle.db.selectFrom('audit_log').select(['action', 'username']).where('action', '=', 'password_change').where('username', '=', user.username).execute();
    expect(audit.length).toBe(1);
    // Log out, the old password is refused, the new one works.
    await p.getByTestId('user-menu').click();
    await p.getByText('退出登录').click();
    await p.waitForURL(/\/login$/);
    await p.getByLabel('用户名').fill(user.username);
    await p.getByLabel('密码').fill(user.password);
    await p.getByRole('button', { name: /登\s*录/ }).click();
    await p.getByText('用户名或密码错误').waitFor();
    await login(p, server.url, { username: user.username, password: newPassword });
    await expect(p.getByTestId('user-menu').innerText()).resolves.toContain(user.username);
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
      // Broken ID numbers quoted in the problem list are shown masked.
      expect(await result.innerText()).not.toMatch(/\d{17}[\dXx]/);
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

  it('imports a department feed (部门数据) file into the signal table', async () => {
    const file = 'feeds/医保.csv';
    await page.getByText('部门数据', { exact: true }).click();
    const upload = page.waitForResponse((r) => r.url().endsWith('/api/imports') && r.request().method() === 'POST');
    await page.locator('input[type=file]').setInputFiles(join(demoDir, file));
    const res = await upload;
    expect(res.status()).toBe(200);
    const summary = (await res.json()) as { system: string; fileId: string; rows: number; records: number; source: string | null };
    expect(summary.system).toBe('feed');
    expect(summary.records).toBeGreaterThan(0);
    // What the server reports is what it stored.
    const db = server.handle.db;
    const stored = await db.selectFrom('signal').select((eb) => eb.fn.countAll<string>().as('n')).where('file_id', '=', summary.fileId).executeTakeFirstOrThrow();
    expect(Number(stored.n)).toBe(summary.records);
    const f = await db.selectFrom('import_file').select(['system', 'file_name', 'row_count', 'source']).where('file_id', '=', summary.fileId).executeTakeFirstOrThrow();
    expect(f).toMatchObject({ system: 'feed', file_name: '医保.csv', row_count: summary.rows });
    expect(f.source).toBeTruthy();
    const result = page.getByTestId('import-result');
    await result.getByText('医保.csv').waitFor();
    await expect(result.innerText()).resolves.toContain('部门数据');
    await expect(result.innerText()).resolves.toContain(String(summary.rows));
    const history = page.getByTestId('import-history');
    await expect.poll(async () => (await history.locator('tbody tr.ant-table-row').allInnerTexts())[0] ?? '').toContain('医保.csv');
  });

  it('runs the merge from the browser', async () => {
    const merged = page.waitForResponse((r) => r.url().endsWith('/api/merge') && r.request().method() === 'POST', { timeout: 120_000 });
    await page.getByTestId('imports-run-merge').click();
    const res = await merged;
    expect(res.status()).toBe(200);
    await page.getByText(/并库比对完成/).waitFor();
  });

  it('shows dashboard numbers equal to the coverage report (binku report coverage)', async () => {
    const report = await coverageReport(server.handle.db);
    expect(report.households.total).toBeGreaterThan(0);
    await page.getByRole('link', { name: '总览' }).click();
    await page.getByTestId('kpi-households-total').waitFor();
    const num = async (id: string) => (await page.getByTestId(id).locator('.ant-statistic-content').innerText()).replace(/[^\d.%]/g, '');
    expect(await num('kpi-households-total')).toBe(String(report.households.total));
    for (const c of ['II', 'III', 'IV'] as const) {
      expect(await num(`kpi-households-${c}`)).toBe(String(report.households[c]));
      expect((await page.getByTestId(`kpi-persons-${c}`).innerText()).replace(/\D/g, '')).toBe(String(report.persons[c]));
    }
    expect(await num('kpi-prm-households')).toBe(String(report.prm_households));
    expect(await num('kpi-lip-households')).toBe(String(report.lip_households));
    expect(await num('kpi-prm-in-lip')).toBe(`${(report.prm_in_lip_share * 100).toFixed(1)}%`);
    expect(await num('kpi-lip-in-prm')).toBe(`${(report.lip_in_prm_share * 100).toFixed(1)}%`);
    // The charts are drawn (ECharts renders into a canvas).
    for (const id of ['chart-categories', 'chart-coverage', 'chart-township']) await page.getByTestId(id).locator('canvas').waitFor();
    await page.waitForTimeout(300);
    await shot('dashboard');
  });

  it('records clerical-review decisions with the keyboard (A = 同一人, R = 不是同一人, J/K)', async () => {
    await page.getByRole('link', { name: '比对复核' }).click();
    const current = page.getByTestId('review-current');
    await current.waitFor();
    const pending = await server.handle.db.selectFrom('link_review').select('review_id').where('status', '=', 'pending').execute();
    expect(pending.length).toBeGreaterThan(0);
    const reviewId = await current.getAttribute('data-review-id');
    expect(pending.map((p) => p.review_id)).toContain(reviewId);
    // Both sides are shown, masked.
    const side = await page.getByTestId('review-side-by-side').innerText();
    expect(side).toContain('防止返贫监测系统');
    expect(side).toContain('低收入人口平台');
    expect(side).not.toMatch(/\d{17}[\dX]/);
    await shot('review');
    const decided = page.waitForResponse((r) => r.url().includes(`/api/reviews/${reviewId}`) && r.request().method() === 'POST');
    await page.keyboard.press('a');
    expect((await decided).status()).toBe(200);
    await page.getByText('已确认为同一人').waitFor();
    const row = await server.handle.db.selectFrom('link_review').select(['status', 'decided_by']).where('review_id', '=', reviewId!).executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'accepted', decided_by: clerk.username });
    // The queue moved on: to another pair, or it is empty now.
    if (pending.length > 1) await expect(current.getAttribute('data-review-id')).resolves.not.toBe(reviewId);
    else await page.getByText('复核队列已清空').waitFor();
    if (pending.length > 2) {
      // J moves to the next pair, K back; R rejects the one shown.
      const a = await current.getAttribute('data-review-id');
      await page.keyboard.press('j');
      await expect.poll(() => current.getAttribute('data-review-id')).not.toBe(a);
      await page.keyboard.press('k');
      await expect.poll(() => current.getAttribute('data-review-id')).toBe(a);
      const rejected = page.waitForResponse((r) => r.url().includes(`/api/reviews/${a}`) && r.request().method() === 'POST');
      await page.keyboard.press('r');
      expect((await rejected).status()).toBe(200);
      await expect.poll(async () => (await server.handle.db.selectFrom('link_review').select('status').where('review_id', '=', a!).executeTakeFirstOrThrow()).status).toBe('rejected');
    }
  });

  it('opens a household in both systems with masked ID numbers', async () => {
    await page.getByRole('link', { name: '户档案' }).click();
    await page.getByTestId('filter-category').click();
    await page.locator('.ant-select-item-option').filter({ hasText: 'IV类 两系统均有' }).click();
    await page.waitForURL(/category=IV/);
    const rows = page.getByTestId('household-table').locator('tbody tr.ant-table-row');
    // Wait for the filtered page: every row is a IV household.
    await expect.poll(async () => { const t = await rows.allInnerTexts(); return t.length > 0 && t.every((x) => x.includes('IV类')); }, { timeout: 30_000 }).toBe(true);
    const first = rows.first().getByRole('link');
    const householdId = (await first.innerText()).trim();
    await first.click();
    await page.waitForURL(new RegExp(`/households/${householdId}$`), { waitUntil: 'commit' });
    await page.getByText(`户档案 ${householdId}`).waitFor();
    const prm = page.getByTestId('prm-members');
    const lip = page.getByTestId('lip-members');
    await prm.locator('tbody tr.ant-table-row').first().waitFor();
    await lip.locator('tbody tr.ant-table-row').first().waitFor();
    const ids = await page.getByTestId('masked-id').allInnerTexts();
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) if (id !== '—') expect(id).toMatch(/^\d{6}\*+[\dXx*]{4}$/);
    expect(await page.locator('main, .ant-layout-content').first().innerText()).not.toMatch(/\d{17}[\dX]/);
    await shot('household');
  });

  it('unmasks one ID number after asking for a reason, and the server audits it', async () => {
    // GET /api/households/:id gives each member record its import coordinates
    // (fileId, rowNo), which POST /api/unmask needs.
    const db = server.handle.db;
    await page.reload();
    const prm = page.getByTestId('prm-members');
    await prm.getByTestId('unmask-button').first().waitFor();
    const maskedBefore = await prm.getByTestId('masked-id').first().innerText();
    expect(maskedBefore).toMatch(/\*/);
    await prm.getByTestId('unmask-button').first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('查看完整身份证号和姓名会记录在审计日志中').waitFor();
    // A reason is required. On a busy machine the first click can land while the dialog is still
    // opening (seen once in a full CI run: no message for 30 s, and the open dialog then blocked
    // the later tests), so the empty submit is tried up to three times.
    await page.getByTestId('unmask-reason').waitFor();
    const required = dialog.getByText('请填写查看理由', { exact: true });
    for (let i = 0; i < 3 && !(await required.isVisible()); i++) {
      await dialog.getByRole('button', { name: /查\s*看/ }).click();
      await required.waitFor({ timeout: 5000 }).catch(() => {});
    }
    await required.waitFor();
    await page.getByTestId('unmask-reason').fill('入户核查需核对身份证号');
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/unmask') && r.request().method() === 'POST');
    await dialog.getByRole('button', { name: /查\s*看/ }).click();
    const res = await answered;
    expect(res.status()).toBe(200);
    const sent = JSON.parse(res.request().postData() ?? '{}') as { system: string; fileId: string; rowNo: number; reason: string };
    expect(sent.reason).toBe('入户核查需核对身份证号');
    const rec = await db.selectFrom('prm_member').select(['id_number', 'id_raw']).where('file_id', '=', sent.fileId).where('row_no', '=', sent.rowNo).executeTakeFirstOrThrow();
    const clear = page.getByTestId('unmasked-id').first();
    await clear.waitFor();
    expect(await clear.innerText()).toBe(rec.id_number ?? rec.id_raw);
    expect(await clear.innerText()).toMatch(/^\d{17}[\dX]$/);
    // Masked and clear forms agree on the visible digits.
    expect((await clear.innerText()).slice(0, 6)).toBe(maskedBefore.slice(0, 6));
    const audit = await db.selectFrom('audit_log').select(['action', 'reason', 'username', 'outcome']).where('action', '=', 'unmask').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ reason: '入户核查需核对身份证号', username: clerk.username });
  });

  it('downloads the merged households CSV, identical to binku export households', async () => {
    await page.getByRole('link', { name: '户档案' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-households').click()]);
    expect(download.suggestedFilename()).toBe('households.csv');
    const { readFileSync } = await import('node:fs');
    const body = readFileSync(await download.path(), 'utf8');
    expect(body.split(/\r?\n/)[0]).toBe('household_id,category,prm_household_no,lip_family_no,county_code,members');
    expect(body).toBe(await exportHouseholdsCsv(server.handle.db, { regionPrefix: '' }));
  });

  it('lays the household view out for a phone-sized screen', async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
    const p = await phone.newPage();
    await login(p, server.url, clerk);
    const hh = await server.handle.db.selectFrom('unified_household').select('household_id').where('category', '=', 'IV').orderBy('household_id').executeTakeFirstOrThrow();
    await p.goto(`${server.url}/households/${hh.household_id}`);
    await p.getByTestId('prm-members').locator('tbody tr.ant-table-row').first().waitFor();
    // The menu collapses away and the page itself does not scroll sideways (wide tables scroll inside their card).
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await p.waitForTimeout(300);
    await shot('household-phone', p, false);
    await phone.close();
  });

  it('what-if: raising the monitoring line reports category shifts and budget from the server', async () => {
    await page.getByRole('link', { name: '测算' }).click();
    const input = page.getByTestId('std-monitoring_line');
    await expect.poll(async () => input.inputValue(), { timeout: 30_000 }).not.toBe('');
    await page.getByRole('button', { name: '监测线提高到 8500 元' }).click();
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/whatif') && r.request().method() === 'POST', { timeout: 120_000 });
    await page.getByTestId('whatif-run').click();
    const res = await answered;
    expect(res.status()).toBe(200);
    expect(JSON.parse(res.request().postData() ?? '{}')).toEqual({ overrides: { monitoring_line: 8500 } });
    const body = (await res.json()) as { changedHouseholds: number; prmMonitoring: { before: number; after: number } };
    expect(body.prmMonitoring.after).toBeGreaterThanOrEqual(body.prmMonitoring.before);
    await page.getByTestId('chart-whatif-shifts').locator('canvas').waitFor();
    await page.getByTestId('chart-whatif-budget').locator('canvas').waitFor();
    await expect(page.locator('.ant-statistic').filter({ hasText: '类别变化的户数' }).innerText()).resolves.toContain(String(body.changedHouseholds));
    await page.waitForTimeout(300);
    await shot('whatif');
  });

  it('evaluation: runs the four-group analysis on a simulated sample and draws its charts', async () => {
    await page.getByRole('link', { name: '评估' }).click();
    await page.getByLabel('模拟样本量').fill('2000');
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/evaluate') && r.request().method() === 'POST', { timeout: 120_000 });
    await page.getByTestId('evaluate-sample').click();
    const res = await answered;
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { n: number; groups: Record<string, { n: number }>; att: Record<string, Record<string, { att: number }>> };
    expect(body.n).toBe(2000);
    const groups = await page.getByTestId('evaluate-groups').innerText();
    for (const g of ['I', 'II', 'III', 'IV']) expect(groups).toContain(String(body.groups[g].n));
    await page.getByTestId('chart-att-vep').locator('canvas').waitFor();
    for (const g of ['II', 'III', 'IV']) {
      await page.getByTestId(`chart-overlap-${g}`).locator('canvas').waitFor();
      await page.getByTestId(`chart-balance-${g}`).locator('canvas').waitFor();
    }
    await expect(page.getByTestId('att-table-vep').innerText()).resolves.toContain(body.att.II.vep.att.toFixed(4));
    await page.waitForTimeout(300);
    await shot('evaluate');
  });

  it('evaluation: an uploaded survey CSV gives the groups of its prm/lip flags', async () => {
    const rows = generateEvaluationSample({ n: 1500, seed: 11 });
    const expected: Record<string, number> = { I: 0, II: 0, III: 0, IV: 0 };
    for (const r of rows) expected[r.prm ? (r.lip ? 'IV' : 'II') : r.lip ? 'III' : 'I']++;
    await page.getByRole('link', { name: '评估' }).click();
    const answered = page.waitForResponse((r) => r.url().includes('/api/evaluate') && r.request().method() === 'POST', { timeout: 120_000 });
    await page.locator('input[type=file]').setInputFiles({ name: 'survey.csv', mimeType: 'text/csv', buffer: Buffer.from(evaluationCsv(rows), 'utf8') });
    const res = await answered;
    expect(res.status()).toBe(200);
    expect(res.request().headers()['content-type']).toMatch(/^multipart\/form-data/);
    const body = (await res.json()) as { n: number; groups: Record<string, { n: number }>; att: Record<string, Record<string, { att: number }>> };
    expect(body.n).toBe(rows.length);
    for (const g of ['I', 'II', 'III', 'IV']) expect(body.groups[g].n).toBe(expected[g]);
    // The page shows this run (1500 rows), not the earlier simulated one.
    const groupCounts = async () => (await page.getByTestId('evaluate-groups').locator('tbody tr').allInnerTexts()).map((t) => t.split('\t')[1]?.trim());
    await expect.poll(groupCounts).toEqual(['I', 'II', 'III', 'IV'].map((g) => String(expected[g])));
    await expect(page.getByTestId('att-table-vep').innerText()).resolves.toContain(body.att.II.vep.att.toFixed(4));
  });
});
