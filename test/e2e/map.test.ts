// The Leaflet maps in a real browser over a tile server on loopback that speaks GCJ-02 (as
// 高德 and 腾讯 do): tiles are requested, the public map draws open and closed cases at ~100 m,
// a case page shows staff the exact point and the address, and a click in the web chat sets
// the report's location, shifted back to WGS-84 before it is sent.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gcj02ToWgs84, wgs84ToGcj02 } from '../../core/geo/coord-transform-fns.ts';
import path from 'node:path';
import { ARTIFACTS, hasChromium, launchBrowser } from '../helpers/browser.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { startTileServer, type TileServer } from '../helpers/tile-server.ts';
import { createWebChatApp, type WebChatApp } from '../helpers/webchat-app.ts';

const OPEN_POINT = { lat: 30.594237, lng: 114.235912 };
const CLOSED_POINT = { lat: 30.5903, lng: 114.2702 };
const ADDRESS = '青年路 100 号门口';

let tiles: TileServer;
let t: WebChatApp;
let base = '';
let browser: Browser;
let openNumber = '';
const contexts: BrowserContext[] = [];

/**
 * The point a chat bubble shows, to its five decimals. The bubble's text runs straight into its
 * time ("…东经 114.25884" then "20:31"), so the number is cut at five decimals rather than read
 * up to the first non-digit, which took the hour's first digit along after 20:00 Beijing time.
 */
function shownPoint(text: string): { lat: number; lng: number } {
  const m = /北纬 (\d+\.\d{5})，东经 (\d+\.\d{5})/.exec(text);
  if (!m) throw new Error(`no point in ${JSON.stringify(text)}`);
  return { lat: Number(m[1]), lng: Number(m[2]) };
}

/** Shown to five decimals, so at most half a unit in the fifth place off (plus float noise). */
function expectWithinRounding(shown: { lat: number; lng: number }, exact: { lat: number; lng: number }): void {
  expect(Math.abs(shown.lat - exact.lat)).toBeLessThanOrEqual(5.000001e-6);
  expect(Math.abs(shown.lng - exact.lng)).toBeLessThanOrEqual(5.000001e-6);
}

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 }, locale: 'zh-CN' });
  contexts.push(context);
  return context.newPage();
}

/** The display positions of the case dots Leaflet drew in the map inside `selector`. */
function markerPositions(page: Page, selector: string): Promise<Array<{ lat: number; lng: number; cls: string }>> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel) as (HTMLElement & { leafletMap?: unknown }) | null;
    const map = el?.leafletMap as
      | {
          eachLayer(
            cb: (l: { options?: { className?: string }; getLatLng?: () => { lat: number; lng: number } }) => void,
          ): void;
        }
      | undefined;
    const out: Array<{ lat: number; lng: number; cls: string }> = [];
    map?.eachLayer((l) => {
      if (l.options?.className?.includes('case-marker') && l.getLatLng)
        out.push({ ...l.getLatLng(), cls: l.options.className });
    });
    return out;
  }, selector);
}

beforeAll(async () => {
  if (!hasChromium) return;
  tiles = await startTileServer();
  t = await createWebChatApp({
    env: { MAP_TILE_URL: tiles.template, MAP_TILE_CRS: 'gcj02', MAP_TILE_ATTRIBUTION: '测试底图' },
  });
  const f = createCaseFactory(t.db);
  const reporter = await f.person({ role: 'resident', name: '孙八', phone: '13812345678' });
  const open = await t.domain.reports.submit({
    text: '人行道上有人摆摊卖烤红薯，把路都占了',
    ...OPEN_POINT,
    address: ADDRESS,
    channel: 'web',
    reporter: reporter.actor,
  });
  if (open.kind !== 'created') throw new Error(open.kind);
  openNumber = open.case.number;
  await f.case({ reporterId: reporter.actor.personId, street: '万松街道', status: 'closed', ...CLOSED_POINT });
  base = await t.listen();
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await t?.close();
  await tiles?.close();
});

describe.skipIf(!hasChromium)('Leaflet maps over GCJ-02 tiles', () => {
  it('the public map requests tiles and draws the open and the closed case, shifted to GCJ-02, at ~100 m', async () => {
    const before = tiles.requests.length;
    const page = await newPage();
    await page.goto(`${base}/public`);
    await page.locator('#public-map.leaflet-container').waitFor();
    await expect.poll(() => page.locator('#public-map path.case-marker').count()).toBe(2);
    await expect.poll(() => tiles.requests.length).toBeGreaterThan(before);
    await expect.poll(() => page.locator('#public-map img.leaflet-tile-loaded').count()).toBeGreaterThan(0);
    expect(await page.locator('#public-map .leaflet-control-attribution').textContent()).toContain('测试底图');
    const dots = await markerPositions(page, '#public-map');
    const open = dots.find((d) => d.cls.includes('open'))!;
    const shown = wgs84ToGcj02({ lat: 30.594, lng: 114.236 }); // the rounded point, shifted
    expect(open.lat).toBeCloseTo(shown.lat, 9);
    expect(open.lng).toBeCloseTo(shown.lng, 9);
    await page.locator('#public-map').screenshot({ path: path.join(ARTIFACTS, 'map-public.png') });
  }, 60_000);

  it('a case page shows staff the exact point, shifted to GCJ-02, and the address', async () => {
    const page = await newPage();
    await page.goto(`${base}/login`);
    await page.getByRole('button', { name: '以万松执法队长（演示）身份登录' }).click();
    await page.waitForURL(`${base}/`);
    await page.goto(`${base}/cases/${openNumber}`);
    await page.locator('#case-map.leaflet-container').waitFor();
    await expect.poll(() => page.locator('#case-map path.case-marker').count()).toBe(1);
    expect(await page.locator('#case-map .leaflet-popup-content').textContent()).toContain(ADDRESS);
    const [dot] = await markerPositions(page, '#case-map');
    const shown = wgs84ToGcj02(OPEN_POINT);
    expect(dot!.lat).toBeCloseTo(shown.lat, 9);
    expect(dot!.lng).toBeCloseTo(shown.lng, 9);
    await expect.poll(() => page.locator('#case-map img.leaflet-tile-loaded').count()).toBeGreaterThan(0);
    await page.locator('#case-map').screenshot({ path: path.join(ARTIFACTS, 'map-case.png') });
  }, 60_000);

  it('a click on the web chat map sets the report location in WGS-84', async () => {
    const page = await newPage();
    await page.goto(`${base}/chat`);
    await page.getByRole('button', { name: '居民', exact: true }).click();
    await page.waitForURL(`${base}/chat`);
    await expect.poll(() => page.locator('#conn-status').textContent()).toContain('已连接');
    await page.getByLabel('消息').fill('人行道上有人摆摊卖烤红薯，把路都占了');
    await page.getByLabel('消息').press('Enter');
    await page.locator('.msg.out', { hasText: '位置' }).last().waitFor({ timeout: 15_000 });

    const before = tiles.requests.length;
    await page.getByRole('button', { name: '发送位置', exact: true }).click();
    const map = page.locator('#map-frame .leaflet-container');
    await map.waitFor();
    await expect.poll(() => tiles.requests.length).toBeGreaterThan(before);
    await expect.poll(() => page.locator('#map-frame path.street-outline').count()).toBe(12);
    const box = (await map.boundingBox())!;
    const at = { x: Math.round(box.width / 2), y: Math.round(box.height / 2) };
    // Where the click lands on the GCJ-02 map, read from Leaflet before clicking.
    const clicked = await page.evaluate((p) => {
      const el = document.querySelector('#map-frame .leaflet-container') as HTMLElement & {
        leafletMap: { containerPointToLatLng(p: [number, number]): { lat: number; lng: number } };
      };
      const ll = el.leafletMap.containerPointToLatLng([p.x, p.y]);
      return { lat: ll.lat, lng: ll.lng };
    }, at);
    await map.click({ position: at });
    const sent = page.locator('.msg.in', { hasText: '📍' }).last();
    await sent.waitFor();
    const m = shownPoint((await sent.textContent()) ?? '');
    const expected = gcj02ToWgs84(clicked);
    expectWithinRounding(m, expected);
    // Not the GCJ-02 point itself (≈ 500 m away in Wuhan).
    expect(Math.abs(m.lng - clicked.lng)).toBeGreaterThan(0.003);
    await page.screenshot({ path: path.join(ARTIFACTS, 'map-chat.png') });

    // From the keyboard: Enter on the focused map sends its centre, shifted back as well.
    await page.getByRole('button', { name: '发送位置', exact: true }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('map-frame');
    const centre = await page.evaluate(() => {
      const el = document.querySelector('#map-frame .leaflet-container') as HTMLElement & {
        leafletMap: { getCenter(): { lat: number; lng: number } };
      };
      const c = el.leafletMap.getCenter();
      return { lat: c.lat, lng: c.lng };
    });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.msg.in', { hasText: '📍' }).count()).toBe(2);
    const byKey = shownPoint((await page.locator('.msg.in', { hasText: '📍' }).last().textContent()) ?? '');
    expectWithinRounding(byKey, gcj02ToWgs84(centre));
  }, 90_000);
});
