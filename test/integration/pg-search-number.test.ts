// A number fragment's search on PostgreSQL (issue 17.5: at 1M cases, 16 clients, p99 96-163 ms for
// a district admin's and a team lead's, where every other search met 100 ms). Through the trigram
// index, a fragment of a case number (JH-YYYYMMDD-SEQ: 260227-10) intersected the lists of its
// digit trigrams, which every case number feeds (~300-500 index pages, 5-7 ms a statement). A
// number-shaped term now goes through the index of six-character pieces of such runs
// (migrations-postgres/*_case_search_number) and the same LIKE rechecks them: checked on the plan
// of each statement the list sends, and its answers against LIKE's over the three columns (a
// fragment starting mid-date, one in a text or an address, pieces present in a case but not
// together). Runs with TEST_DATABASE_URL, skipped without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCases, listCasesAfter } from '../../db/case-queries.ts';
import { likePattern, pgNumberGrams } from '../../db/case-text-search.ts';
import { sqlOf } from '../../db/prisma-client.ts';
import { readerOf } from '../../db/reader-pool.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import type { RecordedRead } from '../helpers/counting-reader.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { pgSearchWorld } from '../helpers/pg-search-world.ts';
import { testPgServer, type TestDb } from '../helpers/test-db.ts';

const HOUR = 3_600_000;
const clock = createFakeClock('2026-03-02T01:00:00.000Z');
const N = 3000;
const day = (i: number) => `202602${String(20 + (i % 8)).padStart(2, '0')}`;

describe.skipIf(!testPgServer())('PostgreSQL: a number fragment', () => {
  let t: TestDb;
  let admin: TestPerson;
  let lead: TestPerson;
  let seen: RecordedRead[];

  beforeAll(async () => {
    const now = clock.now().getTime();
    ({ t, admin, seen } = await pgSearchWorld(
      N,
      (i, reporterId) => ({
        number: `JH-${day(i)}-${1000 + i}`,
        // Some texts and addresses quote numbers or hold runs of digits and letters.
        text:
          i % 97 === 3
            ? `重复上报,见 JH-${day(i + 1)}-${1000 + i}`
            : i % 89 === 5
              ? `车牌 鄂A-${i}X9`
              : `占道经营${i % 10}`,
        address: i % 83 === 1 ? `民意四路${day(i + 3).slice(2)}-1${i % 10}号` : `民意四路${i % 50}号`,
        status: i % 3 === 0 ? 'dispatched' : 'closed',
        channel: 'web',
        reporterId,
        createdAt: new Date(now - 2 * HOUR - i * 60_000),
        dueAt: new Date(now + (i % 2 === 0 ? 48 : -48) * HOUR),
      }),
      { vacuum: true },
    ));
    const f = createCaseFactory(t.db);
    lead = await f.person({ role: 'team_lead', street: '万松街道', name: '张队长' });
    await t.db.$executeRawUnsafe(`UPDATE "Case" SET "streetId" = $1 WHERE "id" % 3 = 0`, await f.streetId('万松街道'));
    await t.db.$executeRawUnsafe('VACUUM ANALYZE "Case"');
  });

  afterAll(async () => {
    await t?.db.$disconnect();
  });

  it('a number-shaped term has its pieces; any other term has none', () => {
    expect(pgNumberGrams('260227-10')).toEqual(['260227', '60227-', '0227-1', '227-10']);
    expect(pgNumberGrams('JH-2026')).toEqual(['JH-202', 'H-2026']);
    expect(pgNumberGrams('0000000')).toEqual(['000000']);
    for (const term of ['12345', 'abcdefg', '鄂A-12345', '2026 12', '2026_1207', '2026%1207'])
      expect(pgNumberGrams(term), term).toBeNull();
  });

  it("the search statements of an admin's and a team lead's list go through the index of number pieces", async () => {
    for (const actor of [admin.actor, lead.actor]) {
      seen.length = 0;
      const page = await listCases(t.db, actor, { page: 1, pageSize: 20, q: '260227-11' }, clock.now());
      expect(page.total).toBeGreaterThan(0);
      const searches = seen.filter((s) => /LIKE|case_search/.test(s.sql));
      expect(searches.length).toBeGreaterThan(0);
      for (const { sql, args } of searches) {
        const plan = await sqlOf(t.db).transaction(async (tx) => {
          await tx.run('SET LOCAL enable_seqscan = off');
          return tx.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, ...args);
        });
        const text = plan.map((r) => r['QUERY PLAN']).join('\n');
        expect(text, sql).toMatch(/Bitmap Index Scan on "Case_search_number_idx"/);
        expect(text, sql).not.toMatch(/Case_search_trgm/);
      }
    }
  });

  it('finds exactly what LIKE finds over number, text and address, page after page, with its total', async () => {
    const terms = [
      '260227-11', // mid-date into the sequence: numbers, a quoted number, an address
      '260227-1', // more: an eighth of the cases (a common term's walk)
      '0226-100', // shorter, across the date's end
      'JH-20260221', // the prefix and a whole date
      '-1003', // the sequence alone (under six characters: the trigram index)
      '鄂A-1', // not number-shaped: the trigram index
      '227-1', // five characters
      '0221-1006', // one case's number, and a quoted one
      '60227-1X', // no such run
      'a-2026022', // lower case: LIKE is case-sensitive here
    ];
    for (const q of terms) {
      for (const actor of [admin.actor, lead.actor]) {
        const listed: string[] = [];
        const first = await listCases(t.db, actor, { page: 1, pageSize: 20, q }, clock.now());
        const total = first.total;
        let page: { items: Array<{ number: string }>; nextCursor: string | null } = first;
        for (;;) {
          listed.push(...page.items.map((c) => c.number));
          if (!page.nextCursor) break;
          page = await listCasesAfter(t.db, actor, { page: 1, pageSize: 20, q }, page.nextCursor, clock.now());
        }
        const scope =
          actor === lead.actor ? `AND c."streetId" = (SELECT "streetId" FROM "Person" WHERE "id" = ${lead.id})` : '';
        const rows = await readerOf(t.db)<{ number: string }>(
          `SELECT c."number" AS "number" FROM "Case" c WHERE (c."number" LIKE ? ESCAPE '\\' OR c."text" LIKE ? ESCAPE '\\' OR COALESCE(c."address", '') LIKE ? ESCAPE '\\') ${scope}`,
          likePattern(q),
          likePattern(q),
          likePattern(q),
        );
        expect(new Set(listed).size, q).toBe(listed.length);
        expect([...listed].sort(), `${q}`).toEqual(rows.map((r) => r.number).sort());
        expect(Math.min(total, 200), q).toBe(Math.min(rows.length, 200));
      }
    }
  });
});
