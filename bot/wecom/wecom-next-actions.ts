// Which buttons of a pressed card still apply once its step is done: the card's own case actions
// that the transition rules allow this member now (after 接单: 转派, 退回, 上报区局, 办结 …).
import type { CaseRow } from '../../core/case/case-port.ts';
import { ACTIONS, type Actor, type CaseAction } from '../../core/case/case-types.ts';
import { refusalFor } from '../../core/case/transition-rules-fns.ts';
import type { NextActions } from './wecom-card-press.ts';

/** Every field an action may require, so only role and state decide (the flow asks for the rest). */
const ANY_INPUT = {
  note: 'x',
  mode721: 'service',
  itemCode: 'x',
  departmentName: 'x',
  assigneeId: 1,
  targetCaseNumber: 'x',
  newDueAt: 'x',
} as const;

export function createNextActions(deps: {
  caseById(caseId: number): Promise<CaseRow | null>;
  actorOf(userId: string): Promise<Actor>;
}): NextActions {
  return async (userId, caseId, offered) => {
    const c = await deps.caseById(caseId);
    if (!c) return [];
    const actor = await deps.actorOf(userId);
    return offered.filter((id) => {
      const m = /^c:([a-z_]+):(\d+)$/.exec(id);
      if (!m || Number(m[2]) !== caseId || !(ACTIONS as readonly string[]).includes(m[1]!)) return false;
      return refusalFor(m[1] as CaseAction, actor, c, ANY_INPUT) === null;
    });
  };
}
