import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { seedReferenceData } from '../../db/seed.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
let app: FastifyInstance;

beforeAll(async () => {
  t = await createTestApp();
  await seedReferenceData(t.db); // idempotent: a second run duplicates nothing
  app = t.app;
});
afterAll(async () => t.close());

describe('foundation endpoints', () => {
  it('GET /healthz answers 200 when the database answers', async () => {
    const res = await app.inject('/healthz');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok', files: 'ok' });
  });

  it('GET /api/streets lists the 12 streets with 148 staff in all', async () => {
    const res = await app.inject('/api/streets');
    const body = res.json() as { streets: Array<{ name: string; staffCount: number }>; totalStaff: number };
    expect(body.streets).toHaveLength(12);
    expect(body.totalStaff).toBe(148);
    expect(body.streets.find((s) => s.name === '汉兴街道')?.staffCount).toBe(16);
  });

  it('seeds one team per street, the district bureau and ten departments', async () => {
    expect(await t.db.team.count()).toBe(12);
    expect(await t.db.department.count({ where: { kind: 'department' } })).toBe(10);
    expect(await t.db.department.count({ where: { kind: 'district_bureau' } })).toBe(1);
  });

  it('unknown routes get the error envelope with 404', async () => {
    const res = await app.inject('/api/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  it('GET /api/power-list serves the active version with street, district and department items', async () => {
    const body = (await app.inject('/api/power-list')).json() as { version: string; items: Array<{ level: string }> };
    expect(body.version).toBeTruthy();
    expect(body.items.filter((i) => i.level === 'street').length).toBeGreaterThanOrEqual(60);
    expect(body.items.filter((i) => i.level === 'district').length).toBeGreaterThanOrEqual(10);
    expect(body.items.filter((i) => i.level === 'department').length).toBeGreaterThanOrEqual(30);
    expect(await t.db.powerListVersion.count()).toBe(1);
  });

  it('serves the OpenAPI document', async () => {
    const res = await app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    expect(Object.keys((res.json() as { paths: object }).paths)).toContain('/api/streets');
  });
});
