// The map's server side: Leaflet and the coordinate script served locally (no CDN), the
// street outlines as GeoJSON, tile configuration checked at start, the tile host admitted by
// the pages' CSP, and /public listing open cases with public fields only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envSchema } from '../../config/config-schema.ts';
import { wgs84ToGcj02 } from '../../core/geo/coord-transform-fns.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const TILES = 'https://t{s}.tianditu.gov.cn/vec_w/wmts?TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=k';
let t: TestApp;
let openNumber = '';
let closedNumber = '';

beforeAll(async () => {
  t = await createTestApp({ env: { MAP_TILE_URL: TILES, MAP_TILE_SUBDOMAINS: '01234567' } });
  const f = createCaseFactory(t.db);
  const reporter = await f.person({ role: 'resident', name: '孙八', phone: '13812345678' });
  const open = await t.domain.reports.submit({
    text: '孙八报告：青年路 100 号门口有人摆摊卖烤红薯，电话13812345678',
    lat: 30.594237,
    lng: 114.235912,
    address: '青年路 100 号门口',
    channel: 'web',
    reporter: reporter.actor,
  });
  if (open.kind !== 'created') throw new Error(open.kind);
  openNumber = open.case.number;
  const closed = await f.case({
    reporterId: reporter.actor.personId,
    street: '万松街道',
    status: 'closed',
    lat: 30.59,
    lng: 114.27,
  });
  closedNumber = closed.number;
});
afterAll(() => t?.close());

describe('map assets', () => {
  it('serves Leaflet from node_modules and its stylesheet', async () => {
    const js = await t.app.inject({ method: 'GET', url: '/vendor/leaflet/leaflet-src.esm.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('javascript');
    expect(js.body).toContain('1.9.');
    const css = await t.app.inject({ method: 'GET', url: '/vendor/leaflet/leaflet.css' });
    expect(css.statusCode).toBe(200);
    expect(css.body).toContain('.leaflet-container');
  });

  it('serves the server-side coordinate formulas as a browser module that gives the same answers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/vendor/coord-transform.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('javascript');
    const mod = (await import(`data:text/javascript,${encodeURIComponent(res.body)}`)) as {
      wgs84ToGcj02: typeof wgs84ToGcj02;
      gcj02ToWgs84: typeof wgs84ToGcj02;
    };
    const p = { lat: 30.594237, lng: 114.235912 };
    expect(mod.wgs84ToGcj02(p)).toEqual(wgs84ToGcj02(p));
    const back = mod.gcj02ToWgs84(mod.wgs84ToGcj02(p));
    expect(back.lat).toBeCloseTo(p.lat, 8);
    expect(back.lng).toBeCloseTo(p.lng, 8);
  });

  it('serves the 12 street outlines as GeoJSON', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/map/streets.geojson' });
    expect(res.statusCode).toBe(200);
    const fc = res.json() as { type: string; features: Array<{ properties: { name: string } }> };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(12);
    expect(fc.features.map((f) => f.properties.name)).toContain('万松街道');
  });
});

describe('tile configuration', () => {
  it('refuses a tile URL without {x}, {y} and {z}, and an unknown coordinate system', () => {
    const bad = envSchema.safeParse({ MAP_TILE_URL: 'https://tiles.example.cn/tile.png' });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain('{x}');
    expect(envSchema.safeParse({ MAP_TILE_CRS: 'bd09' }).success).toBe(false);
    const ok = envSchema.parse({ MAP_TILE_URL: TILES, MAP_TILE_CRS: 'gcj02' });
    expect(ok.MAP_TILE_CRS).toBe('gcj02');
    expect(envSchema.parse({}).MAP_TILE_CRS).toBe('wgs84');
  });

  it('admits the tile host (with {s} as a wildcard label) in the pages’ CSP and gives the page the template', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/public' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toContain("img-src 'self' data: https://*.tianditu.gov.cn;");
    expect(res.body).toContain('/vendor/leaflet/leaflet.css');
    expect(res.body).toContain('"subdomains":"01234567"');
  });
});

describe('/public with open cases', () => {
  it('lists and maps the open case with public fields only, beside the closed one', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/public' });
    const body = res.body;
    expect(body).toContain('处理中案件（共 1 件）');
    expect(body).toContain(openNumber);
    expect(body).toContain(closedNumber);
    expect(body).toContain('30.594, 114.236（约 100 米精度）');
    const boot = JSON.parse(
      /<script type="application\/json" id="public-map-boot">(.*?)<\/script>/s.exec(body)![1]!,
    ) as {
      points: Array<{ number: string; open: boolean; at: { lat: number; lng: number } }>;
    };
    expect(boot.points.find((p) => p.number === openNumber)).toMatchObject({
      open: true,
      at: { lat: 30.594, lng: 114.236 },
    });
    expect(boot.points.find((p) => p.number === closedNumber)).toMatchObject({ open: false });
    // Nothing personal and no exact point: not the text, the address, the name or the phone.
    for (const secret of ['孙八', '13812345678', '青年路 100 号', '烤红薯', '30.594237', '114.235912']) {
      expect(body).not.toContain(secret);
    }
  });
});

describe('/api/public/open-cases', () => {
  it('answers the open cases with public fields only', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/public/open-cases' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { total: number; items: Array<Record<string, unknown>> };
    expect(body.total).toBe(1);
    expect(body.items[0]).toEqual({
      number: openNumber,
      matter: expect.any(String),
      street: '万松街道',
      status: expect.any(String),
      statusLabel: expect.any(String),
      createdDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      location: { lat: 30.594, lng: 114.236 },
    });
    expect(res.body).not.toMatch(/孙八|13812345678|青年路|烤红薯/);
    expect((await t.app.inject({ method: 'GET', url: '/api/public/open-cases?limit=0' })).statusCode).toBe(400);
  });
});
