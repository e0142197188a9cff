// The deadline watch's 督办 and 超期上报 steps cost next to nothing when they have nothing to do
// (issue 17: a year of a city on one database). At 1M cases both walked Case_dueAt from the
// oldest case through every case already told or closed (all past their deadline too): 1.1-1.2 s
// a step on SQLite, on the connection intake writes through, and 2.4-3.4 s on PostgreSQL, every
// minute. Checked on the plans of the statements the store sends, never on timing, on both engines.
import { beforeAll, expect, it } from 'vitest';
import { createDeadlineWatchStore, ESCALATION_DUE_SQL, OVERDUE_UNNOTIFIED_SQL } from '../../db/deadline-watch-store.ts';
import { createOutboxStore } from '../../db/outbox-store.ts';
import { sqlOf } from '../../db/prisma-client.ts';
import { numberedPlaceholders } from '../../db/pg-sql-connection.ts';
import { sqlDate } from '../../db/sql-values.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { forEachEngine } from '../contract/engines.ts';

const HOUR = 3_600_000;
const clock = createFakeClock('2026-11-29T04:00:00Z');

forEachEngine((t) => {
  let pending = { overdue: 0, escalation: 0 };

  beforeAll(async () => {
    const { db, engine } = t();
    await seedReferenceData(db);
    const f = createCaseFactory(db);
    const resident = await f.person({ role: 'resident' });
    const now = clock.now().getTime();
    // A year's backlog in small: closed cases past their deadline (never told: closed in time),
    // waiting ones told and escalated, a district case told (never escalated), one not yet due.
    for (let i = 0; i < 40; i++)
      await f.case({ reporterId: resident.id, status: 'closed', dueAt: new Date(now - (100 + i) * HOUR) });
    for (let i = 0; i < 10; i++) {
      const told = await f.case({
        reporterId: resident.id,
        status: 'accepted',
        dueAt: new Date(now - (60 + i) * HOUR),
      });
      await db.case.update({
        where: { id: told.id },
        data: { overdueNotifiedAt: new Date(now - 50 * HOUR), overdueEscalatedAt: new Date(now - 26 * HOUR) },
      });
    }
    const district = await f.case({
      reporterId: resident.id,
      status: 'dispatched',
      handling: 'district',
      dueAt: new Date(now - 70 * HOUR),
    });
    await db.case.update({ where: { id: district.id }, data: { overdueNotifiedAt: new Date(now - 70 * HOUR) } });
    await f.case({ reporterId: resident.id, status: 'dispatched', dueAt: new Date(now + 30 * HOUR) });
    // Past its deadline, not yet told: the one case both steps have to do.
    const waiting = await f.case({
      reporterId: resident.id,
      street: '万松街道',
      status: 'accepted',
      dueAt: new Date(now - 30 * HOUR),
    });
    pending = { overdue: waiting.id, escalation: waiting.id };
    // A running Gridline plans with statistics (app/planner-statistics-job.ts; autovacuum on PostgreSQL).
    await db.$executeRawUnsafe(engine === 'sqlite' ? 'ANALYZE' : 'VACUUM ANALYZE "Case"');
  });

  /**
   * The plan of a step's statement: SQLite's EXPLAIN QUERY PLAN; PostgreSQL's for the deadline's
   * value (a prepared statement's first five runs; it keeps a generic plan only when that costs
   * no more), scans of "Case" other than through an index forbidden.
   */
  async function planOf(statement: string, dueBy: Date): Promise<string> {
    const { db, engine } = t();
    if (engine === 'sqlite') {
      const rows = await db.$queryRawUnsafe<Array<{ detail: string }>>(
        `EXPLAIN QUERY PLAN ${statement}`,
        sqlDate(dueBy),
        20,
      );
      return rows.map((r) => r.detail).join('\n');
    }
    return sqlOf(db).transaction(async (tx) => {
      await tx.run('SET LOCAL enable_seqscan = off');
      await tx.run('SET LOCAL enable_bitmapscan = off');
      await tx.run('SET LOCAL plan_cache_mode = force_custom_plan');
      await tx.run(`PREPARE watch_step(timestamp, int) AS ${numberedPlaceholders(statement)}`);
      const plan = await tx.all<{ 'QUERY PLAN': string }>(`EXPLAIN EXECUTE watch_step('${dueBy.toISOString()}', 20)`);
      await tx.run('DEALLOCATE watch_step');
      return plan.map((r) => r['QUERY PLAN']).join('\n');
    });
  }

  const expectPartialIndex = (plan: string, index: string) => {
    if (t().engine === 'sqlite') {
      // Walked in deadline order: no sort, and no other index of Case.
      expect(plan).toMatch(new RegExp(`SEARCH c USING INDEX ${index} \\(dueAt<\\?\\)`));
      expect(plan).not.toMatch(/TEMP B-TREE/);
      expect(plan).not.toMatch(/Case_dueAt_idx|Case_status_dueAt_idx|SCAN c\b/);
    } else {
      expect(plan).toMatch(new RegExp(`Index Scan using "${index}"`));
    }
  };

  it('the 督办 step reads only the waiting cases not yet told', async () => {
    const now = clock.now();
    expectPartialIndex(await planOf(OVERDUE_UNNOTIFIED_SQL, now), 'Case_overdue_pending_idx');
    const watch = createDeadlineWatchStore(t().db, createOutboxStore(t().db, { clock: clock.now }));
    const cases = await watch.overdueUnnotified(now, 20);
    expect(cases.map((c) => c.id)).toEqual([pending.overdue]);
    expect(cases[0]).toMatchObject({ unit: '万松街道城管执法队', dueAt: new Date(now.getTime() - 30 * HOUR) });
  });

  it('the 超期上报 step reads only the street and department cases not yet escalated', async () => {
    const before = new Date(clock.now().getTime() - 24 * HOUR);
    expectPartialIndex(await planOf(ESCALATION_DUE_SQL, before), 'Case_escalation_pending_idx');
    const watch = createDeadlineWatchStore(t().db, createOutboxStore(t().db, { clock: clock.now }));
    expect((await watch.escalationDue(before, 20)).map((c) => c.id)).toEqual([pending.escalation]);
  });
});
