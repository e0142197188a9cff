import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, CHROMIUM, hasChromium, launchBrowser } from '../helpers/browser.ts';
import { jpeg } from '../helpers/test-images.ts';
import { createWebChatApp, type WebChatApp } from '../helpers/webchat-app.ts';

// CI installs Debian's chromium (.ci/run); a machine without it skips rather than downloading one.
if (!hasChromium) process.stderr.write(`webchat e2e skipped: ${CHROMIUM} is missing (apt-get install chromium)\n`);

let t: WebChatApp;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(ARTIFACTS, `webchat-${name}.png`), fullPage: false });

/** A phone-sized browser session of its own (own cookies: another person). */
async function phone(): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    deviceScaleFactor: 2,
  });
  contexts.push(context);
  return context.newPage();
}

async function chooseIdentity(page: Page, label: string): Promise<void> {
  await page.goto(`${base}/chat`);
  await page.getByRole('button', { name: label, exact: true }).click();
  await page.waitForURL(`${base}/chat`);
  await expect.poll(() => page.locator('#conn-status').textContent()).toContain('已连接');
}

const log = (page: Page) => page.getByRole('log', { name: '聊天记录' });
const lastReply = (page: Page) => page.locator('.msg.out').last();

async function waitForReply(page: Page, text: string | RegExp): Promise<void> {
  await log(page).locator('.msg.out', { hasText: text }).last().waitFor({ timeout: 15_000 });
}

async function type(page: Page, text: string): Promise<void> {
  await page.getByLabel('消息').fill(text);
  await page.getByLabel('消息').press('Enter');
}

/** The newest reply button with this label (older messages keep theirs, as in Telegram). */
const press = (page: Page, label: string) => log(page).getByRole('button', { name: label, exact: true }).last().click();

beforeAll(async () => {
  if (!hasChromium) return;
  t = await createWebChatApp();
  base = await t.listen();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await t?.close();
});

describe.skipIf(!hasChromium)('the built-in web chat in a real browser', () => {
  it('a resident reports with a photo and a map click, the team lead handles it, the resident sees the outcome live and rates it', async () => {
    const resident = await phone();
    await resident.goto(`${base}/chat`);
    await shot(resident, 'chooser');
    await chooseIdentity(resident, '居民');
    await waitForReply(resident, '网格通');

    // The team lead of 万松街道 is at work in another browser session.
    const lead = await phone();
    await chooseIdentity(lead, '执法队长 · 万松街道');

    await type(resident, '人行道上有人摆摊卖烤红薯，把路都占了');
    await waitForReply(resident, '位置');
    await resident
      .locator('#photo-input')
      .setInputFiles({ name: '现场.jpg', mimeType: 'image/jpeg', buffer: await jpeg(320, 240) });
    await waitForReply(resident, '已收到 1 张照片');
    await expect.poll(() => resident.locator('.msg.in .photo img').count()).toBe(1);

    await resident.getByRole('button', { name: '发送位置', exact: true }).click();
    await expect.poll(() => resident.locator('#location-panel').isVisible()).toBe(true);
    await shot(resident, 'map');
    // Labels sit deep inside their street; the click passes through the label to the street.
    await resident.locator('text.street-label', { hasText: /^万松$/ }).click({ force: true });
    await waitForReply(resident, '请确认');
    expect(await lastReply(resident).textContent()).toContain('万松街道');
    await expect.poll(() => resident.locator('.msg.in', { hasText: '📍 位置：万松街道' }).count()).toBe(1);
    await shot(resident, 'summary');

    await press(resident, '确认提交');
    await waitForReply(resident, /JH-\d{8}-\d{4}/);
    const number = /JH-\d{8}-\d{4}/.exec((await lastReply(resident).textContent()) ?? '')![0];
    await shot(resident, 'submitted');
    const stored = await t.db.case.findUniqueOrThrow({
      where: { number },
      include: { street: true, attachments: true },
    });
    expect(stored.street?.name).toBe('万松街道');
    expect(stored.attachments).toHaveLength(1);
    expect(stored.channel).toBe('web');

    // The lead's page receives the case live and works it with the reply buttons.
    await waitForReply(lead, number);
    await press(lead, '接单');
    await waitForReply(lead, '已接单');
    await press(lead, '办结');
    await waitForReply(lead, '处置结果');
    await type(lead, '已劝离摊贩，恢复人行道通行');
    await waitForReply(lead, '照片');
    await press(lead, '下一步');
    await waitForReply(lead, '处置方式');
    await press(lead, '服务（劝导）');
    await waitForReply(lead, '已办结');
    await shot(lead, 'team-lead');

    // Without reloading, the resident's page shows the outcome as it is pushed.
    await waitForReply(resident, '已办结');
    await press(resident, '已解决');
    await waitForReply(resident, '已结案');
    await press(resident, '满意');
    await waitForReply(resident, '感谢评价');
    await shot(resident, 'rated');
    const rating = await t.db.rating.findFirstOrThrow({ where: { case: { number } } });
    expect(rating.score).toBe('satisfied');

    // A reload shows the same conversation, each message once.
    const before = await log(resident).locator('.msg').count();
    await resident.reload();
    await expect.poll(() => resident.locator('#conn-status').textContent()).toContain('已连接');
    expect(await log(resident).locator('.msg').count()).toBe(before);
    expect(await log(resident).locator('.msg.out', { hasText: number }).count()).toBeGreaterThan(0);
  }, 180_000);

  it('works from the keyboard: map with arrow keys and Enter, labelled controls, a live log', async () => {
    const page = await phone();
    await chooseIdentity(page, '居民');
    await waitForReply(page, '网格通');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await log(page).getAttribute('aria-live')).toBe('polite');
    await type(page, '小区门口有人乱堆建筑垃圾');
    await waitForReply(page, '位置');

    await page.getByRole('button', { name: '发送位置', exact: true }).press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('map-frame');
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.locator('#map-readout').textContent()).toContain('十字位置');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.msg.in', { hasText: '📍 位置' }).count()).toBe(1);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('location-toggle');
    await waitForReply(page, /请确认|位置/);

    // The alternative to the map: a street and an address typed in.
    await page.getByRole('button', { name: '发送位置', exact: true }).click();
    await page.getByLabel('街道（可不选）').selectOption('万松街道');
    await page.getByLabel('地址').fill('青年路 100 号门口');
    await page.getByRole('button', { name: '发送地址' }).click();
    await expect.poll(() => page.locator('.msg.in', { hasText: '万松街道 青年路 100 号门口' }).count()).toBe(1);
    await page.getByRole('button', { name: '发送位置', exact: true }).click();
    await shot(page, 'keyboard-map');
  }, 120_000);
});
