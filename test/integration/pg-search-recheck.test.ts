// The recheck of a one- or two-character search on PostgreSQL (issue 17.5): "case_search_like"
// tests each case the index of characters gives (migrations-postgres/*_case_search_chars). As a
// SQL function it ran an executor of its own per statement and call, 2 to 3.5 ms of a rare
// character's overdue page at 1M cases, and as PL/pgSQL 1 to 1.4 ms
// (*_case_search_like_plpgsql); the planner sees neither body, so the plans are unchanged. The
// results stay LIKE's, wildcards in the term included. Runs with TEST_DATABASE_URL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCases } from '../../db/case-queries.ts';
import { readerOf } from '../../db/reader-pool.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestDb, testPgServer, type TestDb } from '../helpers/test-db.ts';

const clock = createFakeClock('2026-03-02T01:00:00.000Z');

describe.skipIf(!testPgServer())('PostgreSQL: the recheck of a short search term', () => {
  let t: TestDb;
  let admin: TestPerson;

  beforeAll(async () => {
    t = await createTestDb('postgres');
    await seedReferenceData(t.db);
    const f = createCaseFactory(t.db);
    admin = await f.person({ role: 'district_admin' });
    const resident = await f.person({ role: 'resident' });
    const texts = ['露天烧烤', '烤_肉', '烧%烤', '占道经营', '烤\\炉'];
    await t.db.case.createMany({
      data: texts.map((text, i) => ({
        number: `JH-20260301-${String(1000 + i)}`,
        text,
        address: i === 3 ? '烤鸭店门前' : null,
        status: 'dispatched',
        channel: 'web',
        reporterId: resident.id,
        createdAt: new Date(clock.now().getTime() - (i + 1) * 60_000),
      })),
    });
  });

  afterAll(async () => {
    await t?.db.$disconnect();
  });

  it('runs as PL/pgSQL, not as a SQL function executed anew for each statement', async () => {
    const [row] = await readerOf(t.db)<{ language: string }>(
      `SELECT l."lanname" AS "language" FROM pg_proc p JOIN pg_language l ON l."oid" = p."prolang" WHERE p."proname" = 'case_search_like'`,
    );
    expect(row?.language).toBe('plpgsql');
  });

  it("finds exactly what LIKE finds, the term's wildcards taken literally", async () => {
    const numbers = async (q: string) =>
      (await listCases(t.db, admin.actor, { page: 1, pageSize: 20, q }, clock.now())).items.map((c) => c.number).sort();
    expect(await numbers('烤')).toEqual([
      'JH-20260301-1000',
      'JH-20260301-1001',
      'JH-20260301-1002',
      'JH-20260301-1003',
      'JH-20260301-1004',
    ]);
    expect(await numbers('_肉')).toEqual(['JH-20260301-1001']);
    expect(await numbers('%烤')).toEqual(['JH-20260301-1002']);
    expect(await numbers('\\炉')).toEqual(['JH-20260301-1004']);
    expect(await numbers('鸭')).toEqual(['JH-20260301-1003']);
    expect(await numbers('鹅')).toEqual([]);
  });
});
