// Rollup rows updated in place on PostgreSQL (prisma/migrations-postgres/*_stats_rollup_hot):
// runs with TEST_DATABASE_URL (npm run test:postgres), skipped without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf } from '../../db/prisma-client.ts';
import { rebuildRollups, rollupCaseChange, rollupState } from '../../db/stats-rollup.ts';
import { MEASURES } from '../../core/stats/rollup-fns.ts';
import { DISTRICT_ROWS } from '../../core/stats/rollup-blocks.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createTestDb, testPgServer, type TestDb } from '../helpers/test-db.ts';

/**
 * Every registration adds to ~17 "StatsRollup" rows. While an index carried the counters, each
 * addition changed an indexed column, so none was a HOT update: at 1M cases 0 of 19,886 in 1,000
 * intake reports, each a new heap tuple and an entry in both indexes. Without counters in any
 * index, and with room left on each page (fillfactor), they are updated in place.
 */
describe.skipIf(!testPgServer())('PostgreSQL rollup rows', () => {
  let t: TestDb;

  beforeAll(async () => {
    t = await createTestDb('postgres');
    await seedReferenceData(t.db);
  });

  afterAll(async () => {
    await t?.db.$disconnect();
  });

  it('no index of "StatsRollup" holds a counter, and its pages keep room for new versions', async () => {
    const columns = await t.db.$queryRawUnsafe<Array<{ index: string; column: string }>>(
      `SELECT i.indexrelid::regclass::text AS "index", a.attname AS "column"
       FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
       WHERE i.indrelid = '"StatsRollup"'::regclass`,
    );
    expect(columns.length).toBeGreaterThan(0);
    expect(columns.filter((c) => (MEASURES as string[]).includes(c.column))).toEqual([]);
    const [table] = await t.db.$queryRawUnsafe<Array<{ options: string[] | null }>>(
      `SELECT reloptions AS "options" FROM pg_class WHERE oid = '"StatsRollup"'::regclass`,
    );
    expect(table?.options).toContain('fillfactor=80');
  });

  it("a case's status changes update its rollup rows in place (HOT)", async () => {
    const f = createCaseFactory(t.db);
    const resident = await f.person({ role: 'resident', name: '李四' });
    const c = await f.case({
      reporterId: resident.id,
      street: '万松街道',
      status: 'dispatched',
      createdAt: new Date(Date.UTC(2026, 9, 3, 2)),
    });
    // One unit on one connection: its statistics reach pg_stat_user_tables when it commits,
    // flushed at once (pg_stat_force_next_flush), not after the backend's idle delay.
    await sqlOf(t.db).transaction(async (tx) => {
      const before = (await rollupState(tx, c.id))!;
      const closed = { ...before, status: 'closed' };
      await rollupCaseChange(tx, c.id, before, closed);
      await rollupCaseChange(tx, c.id, closed, before);
      await tx.get('SELECT pg_stat_force_next_flush()');
    });
    const [stats] = await t.db.$queryRawUnsafe<Array<{ updated: bigint; hot: bigint }>>(
      `SELECT n_tup_upd AS "updated", n_tup_hot_upd AS "hot" FROM pg_stat_user_tables WHERE relname = 'StatsRollup'`,
    );
    // The two changes update 8 rows at least (the status's day and its 3 blocks, each twice).
    expect(Number(stats?.updated)).toBeGreaterThanOrEqual(8);
    expect(Number(stats?.hot)).toBeGreaterThanOrEqual(8);
  });

  it("a rebuild (npm run stats:rebuild) writes each kind's day rows in primary-key order, as the table is clustered", async () => {
    const f = createCaseFactory(t.db);
    const resident = await f.person({ role: 'resident', name: '王五' });
    // Days and streets given out of order, so rows written as grouped would not be in key order by chance.
    for (const [day, street] of [
      [9, '万松街道'],
      [2, '北湖街道'],
      [5, '万松街道'],
      [2, '万松街道'],
      [7, '北湖街道'],
    ] as const)
      await f.case({
        reporterId: resident.id,
        street,
        status: 'dispatched',
        createdAt: new Date(Date.UTC(2026, 9, day, 2)),
      });
    await sqlOf(t.db).transaction((tx) => rebuildRollups(tx));
    // The district's trend rows (DISTRICT_ROWS) are summed from the street rows afterwards: a run of their own.
    const kinds = await t.db.$queryRawUnsafe<Array<{ kind: string; inOrder: boolean; n: bigint }>>(
      `SELECT "kind", "streetId" = ${DISTRICT_ROWS} AS "district", array_agg(ctid ORDER BY "day", "streetId", "departmentId", "status", "post", "mode721", "score")
                      = array_agg(ctid ORDER BY ctid) AS "inOrder", COUNT(*) AS "n"
       FROM "StatsRollup" WHERE "day" NOT LIKE 'b%' GROUP BY 1, 2`,
    );
    expect(kinds.filter((k) => Number(k.n) > 1).length).toBeGreaterThanOrEqual(3);
    expect(kinds.filter((k) => !k.inOrder)).toEqual([]);
  });
});
