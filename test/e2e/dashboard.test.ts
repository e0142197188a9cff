// The staff dashboard and the public page in a real browser (Debian's Chromium through
// playwright-core): a report is accepted and resolved by the team lead in the dashboard,
// verified by the street's inspector there, rated by the reporter, and then shows on the
// public page without the reporter's name or phone. Screenshots go to test/artifacts/.
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../core/case/case-types.ts';
import { ARTIFACTS, hasChromium, launchBrowser } from '../helpers/browser.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { jpeg } from '../helpers/test-images.ts';

const REPORTER = '赵六';
const PHONE = '13712345678';
const PHONE_WIDTH = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let t: TestApp;
let browser: Browser;
let base = '';
let reporter: Actor;
let otherReporter: Actor;
let caseNumber = '';
let otherCase = '';

async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize(PHONE_WIDTH);
  await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-${name}-desktop.png`), fullPage: true });
}

/** A browser context signed in through the demo login page, like a visitor would. */
async function demoLogin(label: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: DESKTOP, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${base}/login`);
  await page.getByRole('button', { name: label }).click();
  await page.waitForURL(`${base}/`);
  return { context, page };
}

beforeAll(async () => {
  if (!hasChromium) return;
  t = await createTestApp();
  const f = createCaseFactory(t.db);
  reporter = (await f.person({ role: 'resident', name: REPORTER, phone: PHONE })).actor;
  otherReporter = (await f.person({ role: 'resident', name: '钱七', phone: '13600001111' })).actor;
  const submit = (who: Actor, text: string, lat: number, lng: number) =>
    t.domain.reports.submit({ text, lat, lng, channel: 'web', reporter: who });
  const mine = await submit(reporter, `有事打我电话${PHONE}：人行道上有人摆摊卖烤红薯，把路都占了`, 30.5942, 114.2359);
  const theirs = await submit(otherReporter, '小区门口有人乱倒建筑垃圾，堆了一大堆', 30.59, 114.27);
  if (mine.kind !== 'created' || theirs.kind !== 'created')
    throw new Error(`reports not created: ${mine.kind}, ${theirs.kind}`);
  caseNumber = mine.case.number;
  otherCase = theirs.case.number;
  expect(mine.case.streetName).toBe('万松街道');
  expect(mine.case.status).toBe('dispatched');
  base = await t.app
    .listen({ port: 0, host: '127.0.0.1' })
    .then(() => `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

describe.skipIf(!hasChromium)('dashboard in a browser', () => {
  it('lets the team lead accept and resolve a case, with a photo', async () => {
    const { context, page } = await demoLogin('以万松执法队长（演示）身份登录');
    await expect(page.getByRole('heading', { level: 1, name: '案件' }).isVisible()).resolves.toBe(true);
    await page.getByRole('link', { name: caseNumber }).waitFor();
    await shoot(page, 'board');

    await page.getByRole('link', { name: caseNumber }).click();
    await page.waitForURL(`${base}/cases/${caseNumber}`);
    expect(await page.textContent('main')).toContain(PHONE); // the street's team lead may call back
    await shoot(page, 'case');
    await page.locator('form.action-accept').getByRole('button', { name: '接单' }).click();
    await page.getByText(`案件 ${caseNumber}：接单成功`).waitFor();

    await page.locator('details.action-box', { hasText: '办结' }).locator('summary').click();
    const resolve = page.locator('form.action-resolve');
    await resolve.getByLabel('处置结果').fill(`已劝离摊贩，恢复人行道通行。已回访联系人：${REPORTER}，电话${PHONE}。`);
    await resolve.getByLabel('处置方式').selectOption('service');
    await resolve.getByLabel('处置照片').setInputFiles({
      name: 'after.jpg',
      mimeType: 'image/jpeg',
      buffer: await jpeg(800, 600, { lat: 30.5942, lng: 114.2359, takenAt: '2026:11:30 10:00:00' }),
    });
    await resolve.getByRole('button', { name: '办结' }).click();
    await page.getByText(`案件 ${caseNumber}：办结成功`).waitFor();
    expect(await page.locator('.status').first().textContent()).toBe('已办结待核查');
    const thumb = page.locator('.photos img').first();
    await thumb.waitFor();
    // The thumbnail is made on its first view (core/evidence/README.md), so wait for it to load.
    const loaded = (img: HTMLImageElement) =>
      img.complete
        ? img.naturalWidth > 0
        : new Promise<boolean>((done) => {
            img.addEventListener('load', () => done(img.naturalWidth > 0), { once: true });
            img.addEventListener('error', () => done(false), { once: true });
          });
    expect(await thumb.evaluate(loaded)).toBe(true);
    await shoot(page, 'case-resolved');

    await page.goto(`${base}/street`);
    await page.getByRole('heading', { name: '万松街道 · 街道视图' }).waitFor();
    await shoot(page, 'street');
    await context.close();
  });

  it('lets the street inspector verify it; the reporter rates it', async () => {
    const { context, page } = await demoLogin('以万松巡查员（演示）身份登录');
    await page.goto(`${base}/cases/${caseNumber}`);
    // An inspector gets no contact: not in the reporter field, nor typed into the texts.
    const main = (await page.textContent('main')) ?? '';
    expect(main).not.toContain(REPORTER);
    expect(main).not.toContain(PHONE);
    expect(main).toContain('仅区局、本街道队长和承办人可见');
    await page.locator('form.action-verify').getByRole('button', { name: '核查通过' }).click();
    await page.getByText(`案件 ${caseNumber}：核查通过成功`).waitFor();
    expect(await page.locator('.status').first().textContent()).toBe('已结案');
    await context.close();
    await t.domain.cases.feedback.rate({ number: caseNumber }, reporter, 'satisfied');
  });

  it('shows the bureau the district statistics and the overdue list', async () => {
    const { context, page } = await demoLogin('以区局值班员（演示）身份登录');
    await page.goto(`${base}/district`);
    await page.getByRole('heading', { name: /全区统计/ }).waitFor();
    expect(await page.locator('svg.chart').count()).toBeGreaterThan(5);
    await shoot(page, 'district');
    await page.goto(`${base}/overdue`);
    await page.getByRole('heading', { name: '逾期案件' }).waitFor();
    const download = page.waitForEvent('download');
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Excel' }).click();
    expect((await download).suggestedFilename()).toMatch(/^cases-\d{4}-\d{2}-\d{2}\.xlsx$/);
    await context.close();
  });

  it('publishes the case without the reporter name or phone', async () => {
    const context = await browser.newContext({ viewport: PHONE_WIDTH, locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${base}/public`);
    const card = page.locator('article.public-case', { hasText: caseNumber });
    await card.waitFor();
    const text = (await page.textContent('body')) ?? '';
    expect(text).not.toContain(REPORTER);
    expect(text).not.toContain(PHONE);
    expect(await card.textContent()).toContain('[电话已隐去]');
    expect(await card.textContent()).toContain('30.594, 114.236');
    expect(await card.textContent()).toContain('满意');
    const photo = card.locator('img').first();
    expect(await photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    // Keyboard users land on the skip link first.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('跳到主要内容');
    await shoot(page, 'public');
    await page.goto(`${base}/login`);
    await shoot(page, 'login');
    await context.close();
  });

  it("keeps a resident out of another resident's case and every staff page", async () => {
    const { token } = await t.app.sessions.open(reporter.personId);
    const context = await browser.newContext({ viewport: PHONE_WIDTH, locale: 'zh-CN' });
    await context.addCookies([{ name: 'gl_session', value: token, url: base }]);
    const page = await context.newPage();
    for (const url of [
      `/cases/${otherCase}`,
      `/cases/${caseNumber}`,
      '/',
      '/overdue',
      '/street',
      '/district',
      '/exports/cases.csv',
    ]) {
      const res = await page.goto(`${base}${url}`);
      expect(res?.status(), url).toBe(403);
      expect(await page.textContent('main'), url).toContain('居民请在聊天中查看自己的报告');
      expect(await page.textContent('body'), url).not.toContain('钱七');
    }
    await page.goto(`${base}/cases/${otherCase}`);
    await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-resident-refused-phone.png') });
    await context.close();
  });
});
