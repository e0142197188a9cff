import type { Logger } from '../../config/logger.ts';
import { describeError } from '../messaging/delivery-fns.ts';
import type { ScheduledJob } from './scheduler.ts';

/** What the verification watch reads; db/verification-task-store.ts implements it. */
export interface VerificationWatchPort {
  /** Cases still resolved whose open 核查 task is due at or before `now`, oldest deadline first. */
  lapsedTasks(now: Date, limit: number): Promise<number[]>;
}

export interface VerificationWatchDeps {
  port: VerificationWatchPort;
  logger: Logger;
  /** The case service's automatic 核查 (it checks the deadline again in its transaction). */
  autoVerify(caseId: number): Promise<unknown>;
  batchSize?: number;
}

/**
 * A minute job: a 核查 task the inspector did not answer by its deadline is verified by the
 * system, marked as such. Idempotent: a verified case is no longer resolved, so it is not found again.
 */
export function createVerificationWatch(deps: VerificationWatchDeps): ScheduledJob {
  const logger = deps.logger.child({ component: 'verification-watch' });
  return {
    name: 'verification-watch',
    every: 'minute',
    async run(now) {
      let verified = 0;
      for (const caseId of await deps.port.lapsedTasks(now, deps.batchSize ?? 100)) {
        try {
          const outcome = await deps.autoVerify(caseId);
          if (outcome !== null && outcome !== false) verified++;
        } catch (err) {
          logger.error({ caseId, err: describeError(err) }, 'automatic verification failed; retrying next pass');
        }
      }
      if (verified) logger.info({ cases: verified }, 'lapsed verification tasks verified automatically');
    },
  };
}
