// The benchmark's seeded year (bench/api-seed-*.ts) as a deployment would have left it: every case
// that fell due while waiting for its handler was told 督办 then, and escalated a day later. Seeded
// without those flags, the 1M-case database held ~93,000 cases never notified, and the deadline
// watch worked through them for hours on the process taking the intake benchmark's reports.
import { afterAll, describe, expect, it } from 'vitest';
import { seedCasesSqlite } from '../../bench/api-seed-sqlite.ts';
import { createDeadlineWatchStore } from '../../db/deadline-watch-store.ts';
import { createOutboxStore } from '../../db/outbox-store.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestDb } from '../helpers/test-db.ts';

const t = await createTestDb('sqlite');
afterAll(() => t.db.$disconnect());

describe('the seeded benchmark year', () => {
  it('leaves the deadline watch no overdue notice or escalation that was due before it ends', async () => {
    const clock = createFakeClock('2026-11-29T04:00:00Z');
    const now = clock.now();
    await seedReferenceData(t.db); // as the API benchmark's database starts (bench/api-bench-db.ts)
    await seedCasesSqlite(t.url.replace(/^file:/, ''), 3_000, now.getTime());
    const open = await t.db.case.count({ where: { status: { in: ['triage', 'dispatched', 'accepted'] } } });
    expect(open).toBeGreaterThan(100); // a year with cases still waiting, many of them overdue
    const watch = createDeadlineWatchStore(t.db, createOutboxStore(t.db, { clock: clock.now }));
    expect(await watch.overdueUnnotified(now, 10)).toEqual([]);
    expect(await watch.escalationDue(new Date(now.getTime() - 24 * 3_600_000), 10)).toEqual([]);
    // And the flags are the times a running deployment would have set them.
    const late = await t.db.case.findFirst({
      where: { status: 'accepted', overdueNotifiedAt: { not: null } },
      select: { dueAt: true, overdueNotifiedAt: true },
    });
    expect(late?.overdueNotifiedAt).toEqual(late?.dueAt);
  });

  // Seeded with every 办结 case older than AUTO_VERIFY_DAYS still 'resolved' (~41,000 of 1M) and no
  // reminder flags, the watch auto-verified 100 of them and reminded cases every minute of every
  // run: the ~200 transactions a second the PostgreSQL benchmark measured with nothing reported.
  it('leaves no reminder and no automatic verification that was due before it ends', async () => {
    const now = new Date('2026-11-29T04:00:00Z');
    const watch = createDeadlineWatchStore(t.db, createOutboxStore(t.db, { clock: () => now }));
    expect(await watch.dueSoon(now, new Date(now.getTime() + 4 * 3_600_000), 10)).toEqual([]);
    expect(await watch.autoVerifyDue(new Date(now.getTime() - 3 * 24 * 3_600_000), 10)).toEqual([]);
    // Still a few resolved within the last days, waiting for their verification.
    expect(await t.db.case.count({ where: { status: 'resolved' } })).toBeGreaterThan(0);
    // Closed by the system at the time a running deployment would have, and counted as such.
    const auto = await t.db.case.findFirst({
      where: { autoVerified: true },
      select: { resolvedAt: true, verifiedAt: true, closedAt: true },
    });
    expect(auto?.closedAt?.getTime()).toBe(auto!.resolvedAt!.getTime() + 3 * 24 * 3_600_000);
    expect(auto?.verifiedAt).toEqual(auto?.closedAt);
  });
});
