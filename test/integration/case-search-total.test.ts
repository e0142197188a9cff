// A text search's total past its counting cap (issue 17.5: counting every match of a common
// word, 49,830 of 1,000,000 cases, was most of a search's time): the API says the total is a
// lower bound (totalIsLowerBound) and the staff list says "超过 N 件" with a next page; under the
// cap, and without a search, totals stay exact and the field says false.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEARCH_TOTAL_CAP } from '../../db/case-text-search.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const clock = createFakeClock('2026-03-02T01:00:00.000Z');
const MANY = SEARCH_TOTAL_CAP + 15;
let t: TestApp;
let admin: TestPerson;

interface ListBody {
  items: Array<{ number: string }>;
  total: number;
  totalIsLowerBound: boolean;
  nextCursor: string | null;
}

beforeAll(async () => {
  t = await createTestApp({ clock: () => clock.now() });
  const f = createCaseFactory(t.db);
  admin = await f.person({ role: 'district_admin', name: '区局' });
  const reporter = await f.person({ role: 'resident' });
  const now = clock.now().getTime();
  await t.db.case.createMany({
    data: Array.from({ length: MANY }, (_, i) => ({
      number: `JH-20260301-${String(1000 + i)}`,
      text: i < 3 ? `少见的麻将馆扰民 ${i}` : `门前乱堆垃圾 ${i}`,
      status: 'dispatched',
      channel: 'web',
      reporterId: reporter.id,
      createdAt: new Date(now - (i + 1) * 60_000),
      dueAt: new Date(now + 48 * 3_600_000),
    })),
  });
});
afterAll(async () => t?.close());

const list = async (query: string) => {
  const res = await t.app.inject({ url: `/api/cases${query}`, headers: admin.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ListBody;
};

describe('a search past its counting cap', () => {
  it('the API gives the cap as a lower bound, and every page up to the last', async () => {
    const q = `?q=${encodeURIComponent('垃圾')}&pageSize=20`;
    const first = await list(q);
    expect(first).toMatchObject({ total: SEARCH_TOTAL_CAP, totalIsLowerBound: true });
    expect(first.items).toHaveLength(20);
    // Past the cap the pages still come, the total as far as the page reaches; the last has no next.
    const pages = Math.ceil((MANY - 3) / 20);
    const seen: string[] = [];
    for (let page = 1; page <= pages; page++) {
      const p = await list(`${q}&page=${page}`);
      seen.push(...p.items.map((i) => i.number));
      expect(p.nextCursor === null, `page ${page}`).toBe(page === pages);
    }
    expect(new Set(seen).size).toBe(MANY - 3);
    const last = await list(`${q}&page=${pages}`);
    expect(last).toMatchObject({ total: MANY - 3, totalIsLowerBound: false });
  });

  it('under the cap, and without a search, the total is exact', async () => {
    expect(await list(`?q=${encodeURIComponent('麻将馆')}`)).toMatchObject({ total: 3, totalIsLowerBound: false });
    // (createMany passes by the tally: a date filter has the cases counted.)
    const from = new Date(clock.now().getTime() - 30 * 86_400_000).toISOString();
    expect(await list(`?from=${from}`)).toMatchObject({ total: MANY, totalIsLowerBound: false });
  });

  it('the staff list says "超过 N 件" and offers the next page', async () => {
    const { token } = await t.app.sessions.open(admin.id);
    const res = await t.app.inject({
      url: `/?q=${encodeURIComponent('垃圾')}`,
      headers: { cookie: `gl_session=${token}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`超过 ${SEARCH_TOTAL_CAP} 件`);
    expect(res.body).not.toContain(`共 ${SEARCH_TOTAL_CAP} 件`);
    expect(res.body).toMatch(/rel="next"/);
    expect(res.body).toContain('第 1 页');
    const exact = await t.app.inject({
      url: `/?q=${encodeURIComponent('麻将馆')}`,
      headers: { cookie: `gl_session=${token}` },
    });
    expect(exact.body).toContain('共 3 件');
  });
});
