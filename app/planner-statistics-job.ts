// Planner statistics in production: analysed at start-up and each night (SQLite), or checked to
// be autovacuum's job (PostgreSQL). See db/planner-statistics.ts.
import type { Logger } from '../config/logger.ts';
import type { JobSchedule } from '../core/schedule/scheduler.ts';
import { engineOf } from '../db/db-engine.ts';
import { checkAutovacuum, optimizePlannerStatistics } from '../db/planner-statistics.ts';
import type { Db } from '../db/prisma-client.ts';

/** After migrations and the seed, before the server takes requests. */
export async function plannerStatisticsAtStartUp(db: Db, databaseUrl: string, logger: Logger): Promise<void> {
  if (engineOf(databaseUrl) === 'postgres') {
    const av = await checkAutovacuum(db);
    if (!av.server || av.tablesOff.length > 0)
      logger.warn(av, 'autovacuum is off: PostgreSQL will not ANALYZE tables as they change, and plans will suffer');
    return;
  }
  const r = await optimizePlannerStatistics(databaseUrl);
  logger.info(r, 'planner statistics checked');
}

/** The nightly job: tables that grew (or shrank) a lot since they were analysed are analysed again. */
export function plannerStatisticsJob(
  databaseUrl: string,
  logger: Logger,
): { name: string; every: JobSchedule; run: (now: Date) => Promise<void> } {
  return {
    name: 'planner-statistics',
    every: { dailyAt: '04:10' },
    run: async () => {
      const r = await optimizePlannerStatistics(databaseUrl);
      if (r?.changed) logger.info(r, 'planner statistics updated');
    },
  };
}
