import type { SchedulerRunPort } from '../core/schedule/scheduler.ts';
import type { Db } from './prisma-client.ts';

/** SchedulerRun rows: the (job, slot) primary key is what makes a daily run happen once. */
export function createSchedulerRunStore(db: Db): SchedulerRunPort {
  return {
    async claim(job, slot, at) {
      // ON CONFLICT DO NOTHING: two processes racing for a slot get one insert, no exception.
      const inserted = await db.$executeRaw`
        INSERT INTO "SchedulerRun" ("job", "slot", "ranAt") VALUES (${job}, ${slot}, ${at}) ON CONFLICT DO NOTHING`;
      return inserted === 1;
    },
    async release(job, slot) {
      await db.schedulerRun.deleteMany({ where: { job, slot } });
    },
  };
}
