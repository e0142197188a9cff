// The app's scheduler (app/create-scheduler.ts) over a test app's database and domain, with the
// test configuration, a silent logger and no delivery kick: driven by tick() in the test.
import { createAppScheduler } from '../../app/create-scheduler.ts';
import type { Domain } from '../../app/create-domain.ts';
import type { Scheduler } from '../../core/schedule/scheduler.ts';
import type { Db } from '../../db/prisma-client.ts';
import { silentLogger, testConfig } from './test-config.ts';

export interface SchedulerHost {
  db: Db;
  domain: Domain;
  dir: string;
}

export function createTestScheduler(h: SchedulerHost, env?: Record<string, string>): Scheduler {
  return createAppScheduler({
    db: h.db,
    domain: h.domain,
    config: testConfig(h.dir, env),
    logger: silentLogger(),
    kick: () => {},
  });
}

/** Every job that is due runs once, then the scheduler is stopped. */
export async function tickOnce(h: SchedulerHost): Promise<void> {
  const scheduler = createTestScheduler(h);
  await scheduler.tick();
  await scheduler.stop();
}
