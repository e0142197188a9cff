// Issue 19 (sustained load), planner statistics: a production SQLite database, created by
// `npm start`, gets statistics at start-up and each night, so plans that depend on them are the
// analysed benchmark's; connections already open (the writer's) use them at once. On PostgreSQL
// autovacuum does the analysing: start-up checks it is on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plannerStatisticsAtStartUp } from '../../app/planner-statistics-job.ts';
import { checkAutovacuum } from '../../db/planner-statistics.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { silentLogger } from '../helpers/test-config.ts';
import { tickOnce } from '../helpers/test-scheduler.ts';

// 04:15 in Wuhan: the nightly statistics job (04:10) has come due.
const clock = createFakeClock('2026-03-01T20:15:00.000Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ clock: clock.now });
});
afterAll(async () => t.close());

const STREETS = ['民族街道', '花楼水塔街道', '民权街道', '满春街道', '民意街道', '新华街道'];
// Filters one street's open cases by status and deadline: without statistics SQLite guesses
// that (status, dueAt) narrows it most; with them it knows a street is the narrower filter here.
const PLAN = `EXPLAIN QUERY PLAN SELECT "id" FROM "Case" WHERE "streetId" = 1 AND "status" = 'dispatched' AND "dueAt" < '2026-03-20T00:00:00.000+00:00'`;
const planOf = async () =>
  (await t.db.$queryRawUnsafe<Array<{ detail: string }>>(PLAN)).map((r) => r.detail).join('; ');
const caseStats = async () =>
  (
    await t.db.$queryRawUnsafe<Array<{ n: number | bigint }>>(
      `SELECT count(*) AS "n" FROM sqlite_schema s WHERE s."name" = 'sqlite_stat1'
         AND EXISTS (SELECT 1 FROM sqlite_stat1 WHERE "tbl" = 'Case')`,
    )
  ).map((r) => Number(r.n))[0];

describe.skipIf(process.env.TEST_ENGINE === 'postgres')('SQLite planner statistics', () => {
  it('started on a fresh database, once cases exist the nightly job analyses them and the open connection plans with the statistics', async () => {
    await plannerStatisticsAtStartUp(t.db, t.url, silentLogger());
    const f = createCaseFactory(t.db);
    const reporter = await f.person({ role: 'resident' });
    // 300 open cases, all but a few dispatched, in six streets, due over a month.
    for (let i = 0; i < 300; i++)
      await f.case({
        reporterId: reporter.id,
        street: STREETS[i % STREETS.length]!,
        status: i % 10 === 0 ? 'accepted' : 'dispatched',
        createdAt: new Date(Date.UTC(2026, 1, 1, 0, i)),
        dueAt: new Date(Date.UTC(2026, 2, 1 + (i % 30))),
      });
    expect(await caseStats()).toBe(0);
    const before = await planOf();

    await tickOnce(t);

    expect(await caseStats()).toBe(1);
    const after = await planOf();
    // With statistics the street narrows more than the status does: the plan starts from one of
    // the indexes that lead with streetId ((streetId, status) or the list's covering one).
    expect({ before, after }).toEqual({
      before: expect.stringContaining('Case_status_dueAt_idx') as string,
      after: expect.stringMatching(/INDEX Case_streetId_\w+ \(streetId=\?/) as string,
    });
  });
});

describe.skipIf(process.env.TEST_ENGINE !== 'postgres')('PostgreSQL planner statistics', () => {
  it('autovacuum, which analyses tables as they change, is on for the server and every table', async () => {
    expect(await checkAutovacuum(t.db)).toEqual({ server: true, tablesOff: [] });
  });
});
