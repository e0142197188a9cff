// The deadline watch's steps cost next to nothing when they have nothing to do (issue 17.5, idle
// work): checked on a real PostgreSQL, runs with TEST_DATABASE_URL (npm run test:postgres).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeadlineWatchStore } from '../../db/deadline-watch-store.ts';
import { createOutboxStore } from '../../db/outbox-store.ts';
import { sqlOf } from '../../db/prisma-client.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestDb, testPgServer, type TestDb } from '../helpers/test-db.ts';

const HOUR = 3_600_000;
const OPEN = ['triage', 'dispatched', 'accepted'];

describe.skipIf(!testPgServer())('PostgreSQL deadline watch plans', () => {
  let t: TestDb;
  const clock = createFakeClock('2026-11-29T04:00:00Z');

  beforeAll(async () => {
    t = await createTestDb('postgres');
    await seedReferenceData(t.db);
    const f = createCaseFactory(t.db);
    const resident = await f.person({ role: 'resident', name: '李四' });
    const now = clock.now().getTime();
    // Overdue and told, overdue and not yet told, not yet due.
    const told = await f.case({ reporterId: resident.id, status: 'accepted', dueAt: new Date(now - 50 * HOUR) });
    await t.db.case.update({
      where: { id: told.id },
      data: { overdueNotifiedAt: new Date(now - 50 * HOUR), overdueEscalatedAt: new Date(now - 26 * HOUR) },
    });
    await f.case({ reporterId: resident.id, status: 'accepted', dueAt: new Date(now - 30 * HOUR) });
    await f.case({ reporterId: resident.id, status: 'dispatched', dueAt: new Date(now + 30 * HOUR) });
  });

  afterAll(async () => {
    await t?.db.$disconnect();
  });

  /**
   * The plan of the step's statement as Prisma sends it (the status list and the deadline as
   * parameters, planned with their values), the scans of "Case" other than through an index forbidden.
   */
  async function planOf(where: string, params: Array<string | Date | number>): Promise<string> {
    const types = params.map((p) => (typeof p === 'string' ? 'text' : typeof p === 'number' ? 'int' : 'timestamp'));
    return sqlOf(t.db).transaction(async (tx) => {
      await tx.run('SET LOCAL enable_seqscan = off');
      await tx.run('SET LOCAL enable_bitmapscan = off');
      await tx.run(
        `PREPARE watch_step(${types.join(', ')}) AS
           SELECT "id" FROM "Case" WHERE ${where} ORDER BY "dueAt" ASC LIMIT $${params.length}`,
      );
      const literal = (p: string | Date | number) =>
        typeof p === 'number' ? String(p) : `'${typeof p === 'string' ? p : p.toISOString()}'`;
      const plan = await tx.all<{ 'QUERY PLAN': string }>(
        `EXPLAIN EXECUTE watch_step(${params.map(literal).join(', ')})`,
      );
      await tx.run('DEALLOCATE watch_step');
      return plan.map((r) => r['QUERY PLAN']).join('\n');
    });
  }

  // At 1M cases the walk of the Case_dueAt index from the oldest case tested 980,000 rows (every
  // closed case is past its deadline too), 2.4-3.4 s of the server's CPU a step, every minute.
  it('the 督办 step reads only the waiting cases not yet told', async () => {
    const now = clock.now();
    const plan = await planOf(`"status" IN ($1, $2, $3) AND "dueAt" <= $4 AND "overdueNotifiedAt" IS NULL`, [
      ...OPEN,
      now,
      20,
    ]);
    expect(plan).toMatch(/Index Scan using "Case_overdue_pending_idx"/);
    const watch = createDeadlineWatchStore(t.db, createOutboxStore(t.db, { clock: clock.now }));
    expect(await watch.overdueUnnotified(now, 20)).toHaveLength(1);
  });

  it('the 超期上报 step reads only the street and department cases not yet escalated', async () => {
    const before = new Date(clock.now().getTime() - 24 * HOUR);
    const plan = await planOf(
      `"status" IN ($1, $2, $3) AND "handling" IN ($4, $5) AND "dueAt" <= $6 AND "overdueEscalatedAt" IS NULL`,
      [...OPEN, 'street', 'department', before, 20],
    );
    expect(plan).toMatch(/Index Scan using "Case_escalation_pending_idx"/);
    const watch = createDeadlineWatchStore(t.db, createOutboxStore(t.db, { clock: clock.now }));
    expect(await watch.escalationDue(before, 20)).toHaveLength(1);
  });
});
