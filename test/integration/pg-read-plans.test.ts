// What the 1M-case targets (issue 17.5) need from PostgreSQL's planner and sessions, checked on a
// real server: runs with TEST_DATABASE_URL (npm run test:postgres), skipped without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleCaseSql } from '../../db/case-queries.ts';
import { sqlOf } from '../../db/prisma-client.ts';
import { attachReaderPool, readerOf, type ReadQuery } from '../../db/reader-pool.ts';
import { loadStatsRows } from '../../db/stats-queries.ts';
import { parseBound } from '../../core/stats/period-fns.ts';
import { seedReferenceData } from '../../db/seed.ts';
import type { SqlValue } from '../../db/sql-connection.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createTestDb, testPgServer, type TestDb } from '../helpers/test-db.ts';

describe.skipIf(!testPgServer())('PostgreSQL read plans', () => {
  let t: TestDb;
  let lead: TestPerson;

  beforeAll(async () => {
    t = await createTestDb('postgres');
    await seedReferenceData(t.db);
    const f = createCaseFactory(t.db);
    lead = await f.person({ role: 'team_lead', street: '万松街道', name: '张队长' });
    const resident = await f.person({ role: 'resident', name: '李四' });
    // Visible to the lead: a case of the street, one the lead reported elsewhere, one the lead follows.
    await f.case({ reporterId: resident.id, street: '万松街道' });
    await f.case({ reporterId: lead.id, street: '北湖街道' });
    const followed = await f.case({ reporterId: resident.id, street: '北湖街道' });
    await t.db.caseSubscriber.create({ data: { caseId: followed.id, personId: lead.id } });
    // Not visible.
    await f.case({ reporterId: resident.id, street: '北湖街道' });
  });

  afterAll(async () => {
    await t?.db.$disconnect();
  });

  // At 1M cases the per-person and department statistics cost more than JIT's threshold, and
  // compiling them took 0.4 s to 5 s (16 clients, a loaded machine) per query, more than
  // running them: Gridline's statements are short, so its sessions do without.
  it('every session Gridline opens runs without JIT compilation (both pools)', async () => {
    const [viaReader] = await readerOf(t.db)<{ jit: string }>('SHOW jit');
    expect(viaReader?.jit).toBe('off');
    const [viaPrisma] = await t.db.$queryRawUnsafe<Array<{ jit: string }>>('SHOW jit');
    expect(viaPrisma?.jit).toBe('off');
  });

  // A text search's first page (LIMIT 21) at 1M cases was planned as a Gather Merge of two
  // parallel workers, whose start cost more than the walk itself (33 ms against 10-17 ms).
  it('every session Gridline opens plans without parallel workers (both pools)', async () => {
    const show = 'SELECT current_setting(\'max_parallel_workers_per_gather\') AS "workers"';
    const [viaReader] = await readerOf(t.db)<{ workers: string }>(show);
    expect(viaReader?.workers).toBe('0');
    const [viaPrisma] = await t.db.$queryRawUnsafe<Array<{ workers: string }>>(show);
    expect(viaPrisma?.workers).toBe('0');
  });

  // A case detail is four such reads at once: each a transaction (BEGIN, statement, COMMIT) held
  // a pooled connection for three round trips, and 16 clients queued on the pool.
  it('a long read is one statement on its own, not a transaction around it', async () => {
    const [row] = await readerOf(t.db)<{ alone: boolean }>('SELECT now() = statement_timestamp() AS alone');
    expect(row?.alone).toBe(true);
  });

  // `id IN (SELECT …)` inside an OR is a filter PostgreSQL cannot answer from an index, so a
  // team lead's scope (street OR own reports OR followed cases) scanned all 1M cases to count
  // them (0.4–1.4 s); `id = ANY (ARRAY(SELECT …))` lets each arm use its index.
  it("a team lead's scope is counted through the indexes, with the same answer", async () => {
    const scope = visibleCaseSql(lead.actor, false, 'postgres');
    const count = `SELECT COUNT(*) AS n FROM "Case" c WHERE ${scope.text}`;
    const [row] = await readerOf(t.db)<{ n: number }>(count, ...(scope.params as SqlValue[]));
    expect(Number(row?.n)).toBe(3);
    // A handful of rows would be scanned whatever the statement: forbid the scan, and the plan
    // shows whether anything else could answer it.
    const plan = await sqlOf(t.db).transaction(async (tx) => {
      await tx.run('SET LOCAL enable_seqscan = off');
      return tx.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${count}`, ...(scope.params as SqlValue[]));
    });
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).not.toMatch(/Seq Scan on "Case"/);
    expect(text).toMatch(/BitmapOr/);
  });

  // A period's whole days are sums over a few rollup keys (core/stats/rollup-blocks.ts), whose
  // rows lay scattered over the heap: at 1M cases the created marginals of 30 days were 1,428
  // rows on 485 heap pages (3.1 ms), the due rows 923 on 215 (1.7 ms), the department events 839
  // on 461 (1.3 ms). The event rollups' covering index answers their sums from the index alone
  // (0.4 ms), once vacuum has marked the pages of past days all-visible. "StatsRollup"'s rows are
  // updated by every registration, so no index carries its counters (they would keep every
  // update from being HOT, *_stats_rollup_hot): its sums read the heap through the primary key,
  // whose order CLUSTER gave the heap (30 days at 1M cases: 207 buffers; index-only, 239).
  it("a period's whole days are summed through the rollups' keys, not from scattered rows", async () => {
    const f = createCaseFactory(t.db);
    const resident = await f.person({ role: 'resident', name: '王五' });
    for (let i = 0; i < 6; i++)
      await f.case({
        reporterId: resident.id,
        street: '万松街道',
        department: '公安',
        status: i % 2 ? 'closed' : 'dispatched',
        createdAt: new Date(Date.UTC(2026, 9, 3 + i * 5, 2)),
        dueAt: new Date(Date.UTC(2026, 9, 5 + i * 5, 2)),
      });
    await t.db.$executeRawUnsafe('VACUUM ANALYZE "StatsRollup"');
    await t.db.$executeRawUnsafe('VACUUM ANALYZE "StatsEventRollup"');
    // Every statement a district's and a street's 30 whole past days send, as sent.
    const base = readerOf(t.db);
    const sent: Array<{ sql: string; args: SqlValue[] }> = [];
    const logged: ReadQuery = Object.assign(
      <T>(sql: string, ...args: SqlValue[]) => {
        sent.push({ sql, args });
        return base<T>(sql, ...args);
      },
      { dialect: 'postgres' as const },
    );
    attachReaderPool(t.db, { all: logged, close: async () => {} });
    const period = { from: parseBound('2026-10-01', 'from'), to: parseBound('2026-10-30', 'to') };
    const now = new Date('2026-11-20T04:00:00Z');
    await loadStatsRows(t.db, period, null, now);
    await loadStatsRows(t.db, period, await f.streetId('万松街道'), now);
    const sums = sent.filter((s) => /FROM "Stats(Event)?Rollup"/.test(s.sql));
    expect(sums.length).toBeGreaterThanOrEqual(10);
    // A test's few rows are cheaper to read through the primary key whatever the statement: the
    // plans are asked with the event rollups' (and the scans of every row) out of the way, in a
    // transaction rolled back, so they show whether another index answers each sum alone (at 1M
    // cases the planner picks it by itself: prisma/migrations-postgres/*_stats_rollup_covering).
    const plans: string[] = [];
    const undo = new Error('roll back');
    await sqlOf(t.db)
      .transaction(async (tx) => {
        await tx.run('SET LOCAL enable_seqscan = off');
        await tx.run('SET LOCAL enable_bitmapscan = off');
        await tx.run('ALTER TABLE "StatsEventRollup" DROP CONSTRAINT "StatsEventRollup_pkey"');
        for (const { sql, args } of sums)
          plans.push(
            (await tx.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, ...args)).map((r) => r['QUERY PLAN']).join('\n'),
          );
        throw undo;
      })
      .catch((e: unknown) => {
        if (e !== undo) throw e;
      });
    sums.forEach(({ sql }, i) =>
      expect(plans[i], sql).toMatch(
        sql.includes('"StatsEventRollup"')
          ? /Index Only Scan using "StatsEventRollup_kind_day_covering_idx"/
          : /Index Scan using "StatsRollup_pkey"/,
      ),
    );
    const [clustered] = await t.db.$queryRawUnsafe<Array<{ index: string }>>(
      `SELECT indexrelid::regclass::text AS "index" FROM pg_index WHERE indrelid = '"StatsRollup"'::regclass AND indisclustered`,
    );
    expect(clustered?.index).toBe('"StatsRollup_pkey"');
  });
});
