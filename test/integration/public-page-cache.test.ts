// /public is for anyone: its lists come from a cache, so sixteen visitors at once (or a flood)
// share one read. A change the case store commits in this process shows at once; a change made
// elsewhere (another process, an import around the store) within PUBLIC_PAGE_CACHE_MS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLIC_PAGE_CACHE_MS } from '../../server/routes/public-page-routes.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const clock = createFakeClock('2026-11-20T02:00:00.000Z');
let t: TestApp;
let resident: TestPerson;
let number = '';

const page = async () => {
  const res = await t.app.inject({ method: 'GET', url: '/public' });
  expect(res.statusCode).toBe(200);
  return res.body;
};
const closedTotal = (body: string) => Number(/已结案件公示（共 (\d+) 件）/.exec(body)![1]);
const openTotal = (body: string) => Number(/处理中案件（共 (\d+) 件）/.exec(body)![1]);

const post = (auth: string, url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: { authorization: auth }, payload });

beforeAll(async () => {
  t = await createTestApp({ clock: clock.now });
  const f = createCaseFactory(t.db);
  resident = await f.person({ role: 'resident', name: '周九' });
  const r = await t.domain.reports.submit({
    text: '江汉关这边人行道上有流动摊贩摆摊卖烤红薯，占了大半条路',
    address: '江汉区鄱阳路',
    channel: 'web',
    reporter: resident.actor,
  });
  if (r.kind !== 'created') throw new Error(r.kind);
  number = r.case.number;
});
afterAll(async () => t.close());

describe('/public from a cache', () => {
  it('answers a second visit from the cache: a case written around the case store shows only after the TTL', async () => {
    const first = await page();
    expect(openTotal(first)).toBe(1);
    expect(closedTotal(first)).toBe(0);
    // An import or another process writes a closed case: this process's cache does not know.
    const f = createCaseFactory(t.db);
    const elsewhere = await f.case({
      reporterId: resident.id,
      street: '北湖街道',
      status: 'closed',
      createdAt: clock.now(),
      closedAt: clock.now(),
    });
    const cached = await page();
    expect(closedTotal(cached)).toBe(0);
    expect(cached).not.toContain(elsewhere.number);
    clock.advance(PUBLIC_PAGE_CACHE_MS);
    const fresh = await page();
    expect(closedTotal(fresh)).toBe(1);
    expect(fresh).toContain(elsewhere.number);
  });

  it('shows a case the case store closes here at once, without waiting for the TTL', async () => {
    expect(openTotal(await page())).toBe(1);
    const lead = await t.staff('team_lead', { street: '花楼水塔街道' });
    const inspector = await t.staff('inspector', { street: '花楼水塔街道' });
    const c = (await t.app.inject({ url: `/api/cases/${number}`, headers: { authorization: lead.auth } })).json() as {
      status: string;
    };
    if (c.status === 'triage')
      expect((await post(lead.auth, `/api/cases/${number}/actions/register`, { itemCode: 'SR-001' })).statusCode).toBe(
        200,
      );
    expect((await post(lead.auth, `/api/cases/${number}/actions/accept`)).statusCode).toBe(200);
    expect(
      (await post(lead.auth, `/api/cases/${number}/actions/resolve`, { note: '已劝离', mode721: 'service' }))
        .statusCode,
    ).toBe(200);
    expect((await post(inspector.auth, `/api/cases/${number}/actions/verify`)).statusCode).toBe(200);
    const after = await page();
    expect(openTotal(after)).toBe(0);
    expect(closedTotal(after)).toBe(2);
    expect(after).toContain(`id="pc-${number}"`);
  });
});
