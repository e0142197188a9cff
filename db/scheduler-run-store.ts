import type { SchedulerRunPort } from '../core/schedule/scheduler.ts';
import type { Db } from './prisma-client.ts';

/** The slot of a minute job's single row (daily slots are dates). */
const MINUTE_SLOT = 'minute';

/** SchedulerRun rows: the (job, slot) primary key is what makes a daily run happen once. */
export function createSchedulerRunStore(db: Db): SchedulerRunPort {
  return {
    async claim(job, slot, at) {
      // ON CONFLICT DO NOTHING: two processes racing for a slot get one insert, no exception.
      const inserted = await db.$executeRaw`
        INSERT INTO "SchedulerRun" ("job", "slot", "ranAt") VALUES (${job}, ${slot}, ${at}) ON CONFLICT DO NOTHING`;
      return inserted === 1;
    },
    async claimMinute(job, minute) {
      // One row per minute job, holding the minute it last ran: a process moves it to its own
      // minute or finds it there already. Any other minute counts, so a clock set back still runs.
      const claimed = await db.$executeRaw`
        INSERT INTO "SchedulerRun" ("job", "slot", "ranAt") VALUES (${job}, ${MINUTE_SLOT}, ${minute})
        ON CONFLICT ("job", "slot") DO UPDATE SET "ranAt" = excluded."ranAt" WHERE "SchedulerRun"."ranAt" <> excluded."ranAt"`;
      return claimed === 1;
    },
    async release(job, slot) {
      await db.schedulerRun.deleteMany({ where: { job, slot } });
    },
  };
}
