import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createScheduler, dueDailySlot, type ScheduledJob } from '../../core/schedule/scheduler.ts';
import { createPrismaClient } from '../../db/prisma-client.ts';
import { createSchedulerRunStore } from '../../db/scheduler-run-store.ts';
import { silentLogger } from '../helpers/test-config.ts';
import { createTestDb } from '../helpers/test-db.ts';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.ts';

const t = await createTestDb();
afterAll(() => t.db.$disconnect());
let clock: FakeClock;
beforeEach(async () => {
  await t.db.schedulerRun.deleteMany();
  clock = createFakeClock();
});

/** 'YYYY-MM-DD HH:MM' in Shanghai time → the UTC instant. */
const shanghai = (text: string) => `${text.replace(' ', 'T')}:00+08:00`;

function countingJob(name: string, every: ScheduledJob['every'], ran: string[] = []) {
  return {
    ran,
    job: { name, every, run: async (now: Date) => void ran.push(now.toISOString()) } satisfies ScheduledJob,
  };
}
const newScheduler = (jobs: ScheduledJob[], db = t.db, logger = silentLogger()) =>
  createScheduler({ jobs, runs: createSchedulerRunStore(db), clock: clock.now, logger });

describe('scheduler', () => {
  it('runs a daily job once per Shanghai day, also across a restart', async () => {
    const digest = countingJob('digest', { dailyAt: '08:00' });
    clock.set(shanghai('2026-03-02 07:59'));
    const first = newScheduler([digest.job]);
    await first.tick();
    expect(digest.ran).toHaveLength(0);

    clock.set(shanghai('2026-03-02 08:00'));
    await first.tick();
    clock.advanceMinutes(1);
    await first.tick();
    expect(digest.ran).toHaveLength(1);

    await first.stop(); // restart: a new instance over the same database
    const second = newScheduler([digest.job]);
    clock.advanceHours(3);
    await second.tick();
    expect(digest.ran).toHaveLength(1);

    clock.set(shanghai('2026-03-03 08:00'));
    await second.tick();
    expect(digest.ran).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-03T00:00:00.000Z']);
    expect((await t.db.schedulerRun.findMany({ orderBy: { slot: 'asc' } })).map((r) => [r.job, r.slot])).toEqual([
      ['digest', '2026-03-02'],
      ['digest', '2026-03-03'],
    ]);
  });

  it('the Shanghai date decides the slot, not the UTC date', async () => {
    expect(dueDailySlot(new Date(shanghai('2026-03-02 23:30')), 18 * 60)).toBe('2026-03-02'); // 15:30 UTC
    expect(dueDailySlot(new Date(shanghai('2026-03-03 00:10')), 18 * 60)).toBeNull(); // still 2 March in UTC
    expect(dueDailySlot(new Date(shanghai('2026-03-03 00:10')), 0)).toBe('2026-03-03');
  });

  it('catches up a slot missed while the server was down, once, on the same day only', async () => {
    const digest = countingJob('digest', { dailyAt: '08:00' });
    clock.set(shanghai('2026-03-02 10:17')); // down at 08:00, back at 10:17
    const s = newScheduler([digest.job]);
    s.start();
    await s.stop();
    await s.tick();
    expect(digest.ran).toEqual([new Date(shanghai('2026-03-02 10:17')).toISOString()]);

    clock.set(shanghai('2026-03-04 07:00')); // down all of 3 March: that day is not run late
    await s.tick();
    expect(digest.ran).toHaveLength(1);
    clock.set(shanghai('2026-03-04 08:00'));
    await s.tick();
    expect(digest.ran).toHaveLength(2);
  });

  it('two processes racing for the same slot run the job once', async () => {
    const digest = countingJob('digest', { dailyAt: '08:00' });
    clock.set(shanghai('2026-03-02 08:00'));
    const otherDb = await createPrismaClient(t.url);
    await Promise.all([newScheduler([digest.job]).tick(), newScheduler([digest.job], otherDb).tick()]);
    expect(digest.ran).toHaveLength(1);
    await otherDb.$disconnect();
  });

  it('minute jobs run every tick; a failing job is logged and stops neither the others nor the loop', async () => {
    const lines: string[] = [];
    const logger = pino(
      { level: 'info' },
      new Writable({ write: (chunk, _enc, done) => void (lines.push(String(chunk)), done()) }),
    );
    const watch = countingJob('deadline-watch', 'minute');
    let failures = 0;
    const broken: ScheduledJob = {
      name: 'broken',
      every: 'minute',
      run: async () => {
        failures++;
        throw new Error('database is locked');
      },
    };
    const s = newScheduler([broken, watch.job], t.db, logger);
    await s.tick();
    clock.advanceMinutes(1);
    await s.tick();
    expect(failures).toBe(2);
    expect(watch.ran).toHaveLength(2);
    const errors = lines
      .map((l) => JSON.parse(l) as { msg: string; job: string; err: string; level: number })
      .filter((l) => l.level >= 50);
    expect(errors.map((e) => [e.job, e.err, e.msg])).toEqual([
      ['broken', 'Error: database is locked', 'scheduled job failed'],
      ['broken', 'Error: database is locked', 'scheduled job failed'],
    ]);
  });

  it('a minute job runs once per minute across processes, whichever ticks first', async () => {
    const watch = countingJob('deadline-watch', 'minute');
    const otherDb = await createPrismaClient(t.url);
    const [a, b] = [newScheduler([watch.job]), newScheduler([watch.job], otherDb)];
    clock.set('2026-03-02T02:00:10.000Z');
    await Promise.all([a.tick(), b.tick()]);
    clock.set('2026-03-02T02:00:40.000Z');
    await a.tick(); // same minute: already done by one of them
    expect(watch.ran).toHaveLength(1);
    clock.set('2026-03-02T02:01:05.000Z');
    await b.tick();
    await a.tick();
    expect(watch.ran).toEqual(['2026-03-02T02:00:10.000Z', '2026-03-02T02:01:05.000Z']);
    await otherDb.$disconnect();
  });

  it('a daily job that failed is tried again later the same day, and then only once', async () => {
    let calls = 0;
    const flaky: ScheduledJob = {
      name: 'patrol-reminder',
      every: { dailyAt: '18:00' },
      run: async () => {
        if (++calls === 1) throw new Error('busy');
      },
    };
    clock.set(shanghai('2026-03-02 18:00'));
    const s = createScheduler({
      jobs: [flaky],
      runs: createSchedulerRunStore(t.db),
      clock: clock.now,
      logger: silentLogger(),
      retryFailedAfterMs: 10 * 60_000,
    });
    await s.tick();
    expect(await t.db.schedulerRun.count()).toBe(0);
    clock.advanceMinutes(5);
    await s.tick();
    expect(calls).toBe(1);
    clock.advanceMinutes(5);
    await s.tick();
    clock.advanceMinutes(30);
    await s.tick();
    expect(calls).toBe(2);
    expect(await t.db.schedulerRun.count()).toBe(1);
  });

  it('stop() waits for a running job', async () => {
    let finished = false;
    const slow: ScheduledJob = {
      name: 'slow',
      every: 'minute',
      run: () => new Promise((r) => setTimeout(() => r(void (finished = true)), 50)),
    };
    const s = createScheduler({
      jobs: [slow],
      runs: createSchedulerRunStore(t.db),
      clock: clock.now,
      logger: silentLogger(),
      tickMs: 10,
    });
    s.start();
    await new Promise((r) => setTimeout(r, 5));
    await s.stop();
    expect(finished).toBe(true);
  });

  it('refuses a malformed daily time at start-up', () => {
    expect(() => newScheduler([countingJob('x', { dailyAt: '8:00' }).job])).toThrow('dailyAt must be HH:MM');
    expect(() => newScheduler([countingJob('x', { dailyAt: '24:00' }).job])).toThrow('dailyAt must be HH:MM');
  });
});
