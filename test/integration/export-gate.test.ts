// Exports are built a few at a time (server/routes/export-gate.ts): sixteen at once held the
// event loop in garbage collection for up to half a second. The next ones wait their turn; when
// too many wait, the request is refused with 429, a Chinese message and Retry-After.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TooManyRequestsError } from '../../core/errors.ts';
import { createExportGate, type ExportGate } from '../../server/routes/export-gate.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/** A build the test finishes by hand. */
function held<T>(value: T) {
  let finish: () => void = () => undefined;
  const done = new Promise<T>((resolve) => (finish = () => resolve(value)));
  return { build: () => done, finish };
}

describe('export gate', () => {
  it('builds `slots` at once, lets the next wait in order, and refuses beyond the queue', async () => {
    const gate = createExportGate(1, 2);
    const first = held('a');
    const order: string[] = [];
    const a = gate.run(first.build);
    const b = gate.run(async () => (order.push('b'), 'b'));
    const c = gate.run(async () => (order.push('c'), 'c'));
    expect([gate.building, gate.waiting]).toEqual([1, 2]);
    const refused = await gate.run(async () => 'd').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TooManyRequestsError);
    expect((refused as TooManyRequestsError).retryAfterSeconds).toBeGreaterThan(0);
    expect(order).toEqual([]);
    first.finish();
    expect(await Promise.all([a, b, c])).toEqual(['a', 'b', 'c']);
    expect(order).toEqual(['b', 'c']);
    expect([gate.building, gate.waiting]).toEqual([0, 0]);
  });

  it('frees its slot when a build fails', async () => {
    const gate = createExportGate(1, 0);
    await expect(gate.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 'next')).toBe('next');
  });
});

describe('export routes behind the gate', () => {
  let t: TestApp;
  let gate: ExportGate;
  let auth: { authorization: string };

  beforeAll(async () => {
    gate = createExportGate(1, 0);
    t = await createTestApp({ exportGate: gate });
    const f = createCaseFactory(t.db);
    const admin = await f.person({ role: 'district_admin' });
    const resident = await f.person({ role: 'resident' });
    await f.case({ reporterId: resident.id, street: '万松街道', status: 'closed' });
    auth = admin.auth;
  });
  afterAll(async () => t.close());

  it('answers 429 with Retry-After and a Chinese message while the gate is full, then exports', async () => {
    const busy = held(null);
    const running = gate.run(busy.build);
    for (const url of ['/exports/cases.csv', '/exports/cases.xlsx', '/exports/stats.csv']) {
      const res = await t.app.inject({ url, headers: auth });
      expect(res.statusCode, url).toBe(429);
      expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      expect(res.body).toContain('正在生成的导出文件过多');
    }
    busy.finish();
    await running;
    const res = await t.app.inject({ url: '/exports/cases.csv', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('JH-');
  });
});
