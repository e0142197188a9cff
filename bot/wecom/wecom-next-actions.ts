// Which buttons of a pressed card still apply once its step is done: the card's own case actions
// that the transition rules allow this member now (after 接单: 转派, 退回, 上报区局, 办结 …).
import type { CaseRow } from '../../core/case/case-port.ts';
import type { Actor } from '../../core/case/case-types.ts';
import { cardActions } from '../../core/case/case-card-fns.ts';
import type { NextActions } from './wecom-card-press.ts';

export function createNextActions(deps: {
  caseById(caseId: number): Promise<CaseRow | null>;
  actorOf(userId: string): Promise<Actor>;
}): NextActions {
  return async (userId, caseId, offered) => {
    const c = await deps.caseById(caseId);
    if (!c) return [];
    // The same rule the core's cards use: only what this member may do now.
    const allowed = new Set(cardActions(await deps.actorOf(userId), c).map((a) => `c:${a}:${caseId}`));
    return offered.filter((id) => allowed.has(id));
  };
}
