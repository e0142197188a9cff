import { NotFoundError } from '../errors.ts';
import type { CaseRow, CaseStore } from './case-port.ts';
import { OPEN_STATUSES } from './case-types.ts';
import type { IntakeSettings } from './case-intake-service.ts';

/**
 * 关注: a resident who finds their problem already reported follows that case instead of filing
 * it again. A follower is a CaseSubscriber row: every push to the reporter reaches them too
 * (core/case/case-notices.ts), and they see the case as the public does plus their own reports
 * (core/case/case-visibility-fns.ts, view 'follower').
 */
export interface CaseFollowDeps {
  store: CaseStore;
  clock: () => Date;
  settings: Pick<IntakeSettings, 'duplicateRadiusM' | 'duplicateWindowHours'>;
}

/** Only cases the public sees can be followed: open ones and closed ones (merged and rejected ones are gone). */
const FOLLOWABLE: readonly string[] = [...OPEN_STATUSES, 'closed'];

export function createCaseFollowService(deps: CaseFollowDeps) {
  const { store, clock, settings } = deps;
  return {
    /**
     * The open case of the same matter nearest to a WGS-84 point, by the duplicate rule (its
     * radius and window), so what a resident is offered to follow is what submitting would
     * have merged into anyway.
     */
    nearby(q: { itemCode: string; lat: number; lng: number }): Promise<CaseRow | null> {
      const since = new Date(clock().getTime() - settings.duplicateWindowHours * 3_600_000);
      // Only a look: on PostgreSQL one read, with no transaction or lock (those are registration's).
      return store.transaction((tx) =>
        tx.findOpenDuplicate({ ...q, radiusM: settings.duplicateRadiusM, since, lookOnly: true }),
      );
    },

    /** Follows a public case; following twice changes nothing. */
    follow(number: string, personId: number): Promise<CaseRow> {
      return store.transaction(async (tx) => {
        const c = await tx.getCase({ number });
        if (!c || !FOLLOWABLE.includes(c.status)) throw new NotFoundError(`没有找到可关注的案件 ${number}`);
        await tx.addSubscriber(c.id, personId);
        return c;
      });
    },
  };
}

export type CaseFollowService = ReturnType<typeof createCaseFollowService>;
