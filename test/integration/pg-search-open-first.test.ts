// A district-wide search for a rare word on PostgreSQL (issue 17.5): its first page searched the
// index twice, all its matches for the capped count (201 fetched) and the open ones for the
// overdue page. A word with more open matches than the cap (露天烧烤: ~750 of its 7,154 at 1M
// cases) has its total from them, and its overdue page, in one search of the open cases
// (db/case-queries.ts pgOpenMatches). Same answers: checked against the cases as written. Runs
// with TEST_DATABASE_URL, skipped without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCases } from '../../db/case-queries.ts';
import { sqlOf } from '../../db/prisma-client.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import type { RecordedRead } from '../helpers/counting-reader.ts';
import type { TestPerson } from '../helpers/case-factory.ts';
import { pgSearchWorld } from '../helpers/pg-search-world.ts';
import { testPgServer, type TestDb } from '../helpers/test-db.ts';

const HOUR = 3_600_000;
const N = 25_000;
const clock = createFakeClock('2026-03-02T01:00:00.000Z');

// Case i: the word in about one case of 100, scattered (ANALYZE's sample must meet it), open for
// those and a fifth of the others; overdue when its deadline passed (two in three); newest first
// by i.
const hasWord = (i: number) => (i * 7919) % 1009 < 10;
const isOpen = (i: number) => hasWord(i) || i % 10 < 2;
const dueIn = (i: number) => (i % 3 === 0 ? 48 : -48) * HOUR;
const numberOf = (i: number) => `JH-20260228-${String(10000 + i)}`;

describe.skipIf(!testPgServer())('PostgreSQL: a rare word district-wide', () => {
  let t: TestDb;
  let admin: TestPerson;
  let seen: RecordedRead[];

  beforeAll(async () => {
    const now = clock.now().getTime();
    const matters = ['占道经营', '垃圾堆放', '噪声扰民', '违规广告', '渣土撒漏', '油烟污染', '共享单车'];
    ({ t, admin, seen } = await pgSearchWorld(N, (i, reporterId) => ({
      number: numberOf(i),
      text: hasWord(i) ? `露天烧烤${i % 7}` : `${matters[i % 7]}${i % 11}`,
      address: `民意四路${i % 50}号`,
      status: isOpen(i) ? (i % 2 === 0 ? 'dispatched' : 'accepted') : 'closed',
      channel: 'web',
      reporterId,
      createdAt: new Date(now - 2 * HOUR - i * 60_000),
      dueAt: new Date(now + dueIn(i)),
    })));
  });

  afterAll(async () => {
    await t?.db.$disconnect();
  });

  it('its first page and capped total come from one search of the open cases, with the same answer', async () => {
    seen.length = 0;
    const page = await listCases(t.db, admin.actor, { page: 1, pageSize: 20, q: '露天烧烤' }, clock.now());
    // ~250 matches (1%), all open, two in three overdue: the newest 20 overdue ones, "more than 200".
    const overdue = Array.from({ length: N }, (_, i) => i).filter((i) => hasWord(i) && dueIn(i) < 0);
    expect(page.items.map((c) => c.number)).toEqual(overdue.slice(0, 20).map(numberOf));
    expect(page.total).toBe(200);
    expect(page.totalIsLowerBound).toBe(true);
    expect(page.nextCursor).not.toBeNull();
    const searches = seen.filter((s) => /LIKE/.test(s.sql));
    expect(searches.map((s) => s.sql)).toHaveLength(1);
    const plan = await sqlOf(t.db).transaction(async (tx) => {
      await tx.run('SET LOCAL enable_seqscan = off');
      return tx.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${searches[0]!.sql}`, ...searches[0]!.args);
    });
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Bitmap Index Scan on "Case_search_trgm_open_idx"/);
    expect(text).not.toMatch(/"Case_search_trgm_idx"/);
  });

  it('a page past the overdue matches goes on with the newest of the rest, as before', async () => {
    // The page that ends the overdue matches and begins the rest (page 9 of 20 cases: ~165 overdue).
    const overdue = Array.from({ length: N }, (_, i) => i).filter((i) => hasWord(i) && dueIn(i) < 0);
    const rest = Array.from({ length: N }, (_, i) => i).filter((i) => hasWord(i) && dueIn(i) >= 0);
    const at = Math.floor(overdue.length / 20);
    expect(overdue.length % 20).toBeGreaterThan(0);
    expect(at * 20 + 20).toBeLessThanOrEqual(200);
    const page = await listCases(t.db, admin.actor, { page: at + 1, pageSize: 20, q: '露天烧烤' }, clock.now());
    expect(page.items.map((c) => c.number)).toEqual([...overdue, ...rest].slice(at * 20, at * 20 + 20).map(numberOf));
    expect(page.total).toBe(200);
    expect(page.totalIsLowerBound).toBe(true);
  });
});
