import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * Issue 16: "按期结案率 counts open cases that are not yet due as due and not on time (0 overdue,
 * yet 50.0 %); the same wrong figure is published." One case closed on time, one open case whose
 * deadline is still ahead, nothing overdue: the rate is 100 %, on the API and on the public side.
 */
const d = (day: string) => new Date(`2026-${day}T04:00:00Z`);
let t: TestApp;
let admin: TestPerson;

beforeAll(async () => {
  t = await createTestApp({ clock: createFakeClock(d('11-20')).now });
  const f = createCaseFactory(t.db);
  admin = await f.person({ role: 'district_admin' });
  const resident = await f.person({ role: 'resident' });
  const base = { reporterId: resident.id, street: '万松街道' };
  await f.case({
    ...base,
    status: 'closed',
    createdAt: d('11-10'),
    resolvedAt: d('11-11'),
    dueAt: d('11-14'),
    closedAt: d('11-12'),
  });
  await f.case({ ...base, status: 'accepted', createdAt: d('11-18'), dueAt: d('11-25') });
});
afterAll(async () => t?.close());

describe('按期结案率 with open cases not yet due', () => {
  it('does not count them as due, on the API, the public API and the public page', async () => {
    const staff = await t.app.inject({ url: '/api/stats?from=2026-11-01&to=2026-11-30', headers: admin.auth });
    expect(staff.json().totals).toMatchObject({ due: 1, postponed: 0, closedOnTime: 1, onTimeRate: 1 });
    const pub = await t.app.inject({ url: '/api/public/stats?month=2026-11' });
    expect(pub.json().totals).toMatchObject({ due: 1, closedOnTime: 1, onTimeRate: 1 });
    const page = await t.app.inject({ url: '/public' });
    expect(page.body).toContain('按期 1 / 应结 1');
    expect(page.body).toContain('<dt>按期结案率</dt><dd>100.0%</dd>');
  });

  it('counts them once their deadline has passed', async () => {
    const later = await t.app.inject({ url: '/api/stats?from=2026-11-01&to=2026-11-24', headers: admin.auth });
    expect(later.json().totals).toMatchObject({ due: 1, onTimeRate: 1 }); // deadline 11-25 outside
  });
});
