// What the 1M-case targets (issue 17.5) need from PostgreSQL's planner and sessions, checked on a
// real server: runs with TEST_DATABASE_URL (npm run test:postgres), skipped without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { visibleCaseSql } from '../../db/case-queries.ts';
import { sqlOf } from '../../db/prisma-client.ts';
import { readerOf } from '../../db/reader-pool.ts';
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
});
