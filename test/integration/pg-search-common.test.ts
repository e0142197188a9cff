// A district-wide search for a common word on PostgreSQL (issue 17.5: p99 97-106 ms at 1M cases,
// 16 clients): the statement that counts its matches (up to SEARCH_TOTAL_CAP, the newest first)
// brings each one's sort keys; where those settle the first page (the overdue segment's first rows
// among them, as for a team lead: pg-lead-search), the page is ordered from them and its rows read
// by id, instead of the page's own walk of the district's newest cases testing the LIKE again
// (垃圾: the overdue ones among them). Where the newest matches hold fewer overdue ones than the
// page (垃圾, 噪声, 广告 at 1M), the overdue ones are walked in the same statement. Same answers as LIKE on every page, by cursor too. Runs with
// TEST_DATABASE_URL, skipped without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCases } from '../../db/case-queries.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import type { RecordedRead } from '../helpers/counting-reader.ts';
import type { TestPerson } from '../helpers/case-factory.ts';
import { expectPagesAsLike, likeMatchesPg } from '../helpers/search-pages.ts';
import { pgSearchWorld } from '../helpers/pg-search-world.ts';
import { testPgServer, type TestDb } from '../helpers/test-db.ts';

const HOUR = 3_600_000;
const N = 24_000;
const clock = createFakeClock('2026-03-02T01:00:00.000Z');
/** 5%: 'many'; the newest 201 matches hold ~100 overdue ones. */
const COMMON = '占道经营';
/** 5%: 'many'; none of the newest 3,000 cases' matches is overdue: the newest 201 hold ~4. */
const OLD_OVERDUE = '噪音扰民';
// Scattered, not every 20th case: ANALYZE's histogram of the searched text (pgSearchBreadth) holds
// every 24th case of this table, which never meets i % 20 === 9.
const isOld = (i: number) => i % 20 !== 3 && (i * 7919) % 1009 < 53;

describe.skipIf(!testPgServer())('PostgreSQL: a common word district-wide', () => {
  let t: TestDb;
  let admin: TestPerson;
  let seen: RecordedRead[];

  beforeAll(async () => {
    const now = clock.now().getTime();
    // The newest 3,000 cases are open, two in three overdue (OLD_OVERDUE's none); the older mostly
    // closed, one in 13 overdue.
    ({ t, admin, seen } = await pgSearchWorld(N, (i, reporterId) => {
      const open = i < 3000 || i % 13 === 0;
      const overdue = i < 3000 ? i % 3 !== 0 && !isOld(i) : open;
      return {
        number: `JH-20260228-${String(10000 + i)}`,
        text: i % 20 === 3 ? `${COMMON} ${i}` : isOld(i) ? `${OLD_OVERDUE} ${i}` : `批量${i % 10}`,
        address: `青年路${i % 50}号`,
        status: open ? 'dispatched' : 'closed',
        channel: 'web',
        reporterId,
        createdAt: new Date(now - 2 * HOUR - i * 60_000),
        dueAt: new Date(now + (overdue ? -48 : 48) * HOUR),
      };
    }));
  }, 180_000); // 24,000 cases through the search indexes: slow under load

  afterAll(async () => {
    await t?.db.$disconnect();
  });

  it('the same cases, order, totals and cursors as LIKE, on every page and by cursor', async () => {
    for (const term of [COMMON, OLD_OVERDUE])
      await expectPagesAsLike(t.db, admin.actor, term, await likeMatchesPg(t.db, term, clock.now()), clock.now());
  }, 120_000);

  it('a first page settled by the newest matches searches once, then reads the page by id', async () => {
    seen.length = 0;
    const page = await listCases(t.db, admin.actor, { q: COMMON, page: 1, pageSize: 20 }, clock.now());
    expect(page.items.length).toBe(20);
    // Not counting the read of ANALYZE's sample (pgSearchBreadth), once in 1,000 searches.
    const list = seen.filter((s) => !/pg_stats/.test(s.sql));
    const searches = list.filter((s) => /LIKE/.test(s.sql));
    // The plain LIKE ('many', walked newest first), once.
    expect(searches.length, list.map((s) => s.sql).join('\n')).toBe(1);
    expect(searches[0]!.sql).toMatch(/COALESCE\(\(c\."text" LIKE/);
    expect(list.length).toBe(2);
    // The page's rows by id: one text whatever their number, prepared by name (planned once per
    // connection: the list's joins took ~1 ms to plan, twice its execution).
    const byId = list.find((s) => !/LIKE/.test(s.sql))!;
    expect(byId.prepared).toBe(true);
    expect(byId.args).toEqual([expect.stringMatching(/^\{\d+(,\d+){19}\}$/)]);
  });

  it('fewer overdue matches among the newest than a page: the overdue ones are walked in the same statement', async () => {
    for (const page of [1, 2]) {
      seen.length = 0;
      const p = await listCases(t.db, admin.actor, { q: OLD_OVERDUE, page, pageSize: 20 }, clock.now());
      expect(p.items.length).toBe(20);
      const list = seen.filter((s) => !/pg_stats/.test(s.sql));
      const searches = list.filter((s) => /LIKE/.test(s.sql));
      // One search (the newest matches, and the overdue ones as a second arm), then the rows by id.
      expect(searches.length, list.map((s) => s.sql).join('\n')).toBe(1);
      expect(searches[0]!.sql).toMatch(/UNION ALL/);
      expect(list.length).toBe(2);
    }
  });
});
