// /public is the same page for every anonymous visitor while its cached lists and statistics
// are: it is built once per cache period (each visit built and encoded ~185 KB of markup on the
// event loop, and at 1M cases /healthz waited behind 16 visits at once), and built again once a
// list or the statistics are refreshed. A signed-in visitor, or one with a message to show,
// still gets a page of their own. Counted through the app's real debug log, no timing asserted.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_PAGE_CACHE_MS } from '../../server/routes/public-page-routes.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const clock = createFakeClock('2026-11-20T02:00:00.000Z');
let t: TestApp;
let resident: TestPerson;
const lines: string[] = [];
const builds = () => lines.filter((l) => l.includes('public page built')).length;

const visit = async (headers: Record<string, string> = {}, url = '/public') => {
  const res = await t.app.inject({ method: 'GET', url, headers });
  expect(res.statusCode).toBe(200);
  return res.body;
};

beforeAll(async () => {
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    }),
  );
  t = await createTestApp({ clock: clock.now, logger });
  const f = createCaseFactory(t.db);
  resident = await f.person({ role: 'resident', name: '周九' });
  await f.case({
    reporterId: resident.id,
    street: '北湖街道',
    status: 'closed',
    createdAt: clock.now(),
    closedAt: clock.now(),
  });
});
afterAll(async () => t?.close());

describe('/public for anonymous visitors', () => {
  it('is built once per cache period, the same bytes for each visitor, and built again after it', async () => {
    const first = await visit();
    const again = await Promise.all([visit(), visit(), visit()]);
    expect(builds()).toBe(1);
    for (const body of again) expect(body).toBe(first);

    // A case written around the case store (another process): shown once the lists' TTL is over.
    const elsewhere = await createCaseFactory(t.db).case({
      reporterId: resident.id,
      street: '北湖街道',
      status: 'closed',
      createdAt: clock.now(),
      closedAt: clock.now(),
    });
    expect(await visit()).not.toContain(elsewhere.number);
    expect(builds()).toBe(1);
    clock.advance(PUBLIC_PAGE_CACHE_MS);
    const fresh = await visit();
    expect(fresh).toContain(elsewhere.number);
    expect(builds()).toBe(2);
    expect(await visit()).toBe(fresh);
    expect(builds()).toBe(2);
  });

  it('is not the page a signed-in visitor or one with a message gets', async () => {
    const anonymous = await visit();
    const before = builds();
    // Signed in: named in the header, with forms carrying their token.
    const lead = await t.staff('team_lead', { street: '北湖街道', name: '王队长' });
    const signedIn = await visit({ authorization: lead.auth });
    expect(signedIn).toContain('王队长');
    expect(anonymous).not.toContain('王队长');
    // A flash message (after a POST-redirect-GET) is that visitor's alone.
    const flash = encodeURIComponent(JSON.stringify({ kind: 'ok', text: '已关注案件' }));
    const withFlash = await visit({ cookie: `gl_flash=${flash}` });
    expect(withFlash).toContain('已关注案件');
    expect(await visit()).not.toContain('已关注案件');
    // Neither was taken for, nor added to, the anonymous page.
    expect(builds()).toBe(before);
  });
});
