// A text search's overdue cases on PostgreSQL (issue 17.5): the overdue segment of a rare word's
// list (烤, 露天烧烤: ~7,000 of 1M cases) came from every match ANDed with a bitmap of the
// 107,000 open cases (32-50 ms a page at 1M). The search's two indexes over the open cases alone
// (migrations-postgres/*_case_search_open) answer it from a tenth as many entries. Checked on the
// plan of the statement the list sends, over a table where most cases are closed, as a year's
// are; runs with TEST_DATABASE_URL, skipped without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCases } from '../../db/case-queries.ts';
import { sqlOf } from '../../db/prisma-client.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import type { RecordedRead } from '../helpers/counting-reader.ts';
import type { TestPerson } from '../helpers/case-factory.ts';
import { pgSearchWorld } from '../helpers/pg-search-world.ts';
import { testPgServer, type TestDb } from '../helpers/test-db.ts';

const HOUR = 3_600_000;
const clock = createFakeClock('2026-03-02T01:00:00.000Z');

describe.skipIf(!testPgServer())('PostgreSQL: a search of the overdue cases', () => {
  let t: TestDb;
  let admin: TestPerson;
  let seen: RecordedRead[];

  beforeAll(async () => {
    const now = clock.now().getTime();
    // 4,000 closed cases, 200 open ones (half of them overdue); one word in a few of each.
    // A year's cases are merged into the search indexes; these 4,200 just written would be partly
    // in their pending lists (up to 256kB each, *_case_search_pending), which the planner costs as
    // read whole: on a table this small that tipped it to the index of all cases (so: VACUUM).
    ({ t, admin, seen } = await pgSearchWorld(
      4200,
      (i, reporterId) => ({
        number: `JH-20260228-${String(10000 + i)}`,
        text: i % 150 === 7 ? `露天烧烤 ${i}` : `占道经营${i % 10}`,
        address: `民意四路${i % 50}号`,
        status: i < 4000 ? 'closed' : i % 2 === 0 ? 'dispatched' : 'accepted',
        channel: 'web',
        reporterId,
        createdAt: new Date(now - 2 * HOUR - i * 30_000),
        dueAt: new Date(now + (i % 3 === 0 ? 48 : -48) * HOUR),
      }),
      { vacuum: true },
    ));
  });

  afterAll(async () => {
    await t?.db.$disconnect();
  });

  it('a rare word, three characters or one: the overdue matches come through the index of open cases', async () => {
    for (const term of ['露天烧烤', '烤']) {
      seen.length = 0;
      const page = await listCases(t.db, admin.actor, { page: 1, pageSize: 20, q: term, overdue: true }, clock.now());
      expect(page.total, term).toBeGreaterThan(0);
      const searches = seen.filter((s) => /LIKE|case_search_grams/.test(s.sql));
      expect(searches.length, term).toBeGreaterThan(0);
      for (const { sql, args } of searches) {
        // A table this small is cheapest scanned: forbid it, and the plan says which index answers.
        const plan = await sqlOf(t.db).transaction(async (tx) => {
          await tx.run('SET LOCAL enable_seqscan = off');
          return tx.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, ...args);
        });
        expect(plan.map((r) => r['QUERY PLAN']).join('\n'), `${term}: ${sql}`).toMatch(
          /Bitmap Index Scan on "Case_search_(trgm|chars)_open_idx"/,
        );
      }
    }
  });
});
