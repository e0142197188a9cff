import type { Actor, ActionInput, CaseAction, CaseSnapshot, CaseStatus } from './case-types.ts';
import { ACTION_LABELS, STATUS_LABELS } from './case-types.ts';

/** Refusals are for people: short Chinese sentences saying why. */
type Check = (actor: Actor, c: CaseSnapshot) => string | null;

const inStreet = (actor: Actor, c: CaseSnapshot) => c.streetId !== null && actor.streetId === c.streetId;

/** The street comprehensive enforcement centre (its team lead) or the district bureau. */
const streetCentre: Check = (a, c) =>
  a.role === 'district_admin' || (a.role === 'team_lead' && inStreet(a, c))
    ? null
    : '只有本街道执法队长或区城管执法局可以分拣、派遣此案件';

/** A department case whose department has nobody bound: the bureau acts in its place. */
const bureauForUnstaffed = (a: Actor, c: CaseSnapshot) =>
  c.handling === 'department' && c.departmentStaffed === false && a.role === 'district_admin';

/** Whoever holds the case now, by its handling level. */
const handler: Check = (a, c) => {
  if (c.handling === 'street' && a.role === 'team_lead' && inStreet(a, c)) return null;
  if (c.handling === 'district' && a.role === 'district_admin') return null;
  if (c.handling === 'department' && a.role === 'dept_liaison' && a.departmentId === c.departmentId) return null;
  if (bureauForUnstaffed(a, c)) return null;
  return '此案件不在您的职责范围内';
};

/** Resolving may also be done by the team member it was handed to. */
const handlerOrAssignee: Check = (a, c) => (c.assigneeId === a.personId ? null : handler(a, c));

const leadOfStreetCase: Check = (a, c) =>
  (c.handling === 'street' && a.role === 'team_lead' && inStreet(a, c)) ||
  (c.handling === 'district' && a.role === 'district_admin')
    ? null
    : '只有承办街道的执法队长可以转派';

/** 核查: by an inspector of the street, the reporter, or the bureau; never by whoever resolved it. */
const verifier: Check = (a, c) => {
  if (c.resolvedById !== null && a.personId === c.resolvedById) return '办结人不能核查自己办结的案件';
  if (a.personId === c.reporterId) return null;
  if (a.role === 'district_admin') return null;
  if (a.role === 'inspector' && inStreet(a, c)) return null;
  return '只有本街道巡查员、报告人或区城管执法局可以核查';
};

const reopener: Check = (a, c) =>
  a.role === 'district_admin' || (a.role === 'team_lead' && inStreet(a, c))
    ? null
    : '只有区城管执法局或本街道执法队长可以重新办理';

const need = (field: keyof ActionInput, message: string) => (input: ActionInput) => {
  const v = input[field];
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '') ? message : null;
};
const noteRequired = (message: string) => need('note', message);

interface Rule {
  from: readonly CaseStatus[];
  who: Check;
  requires?: Array<(input: ActionInput) => string | null>;
}

export const TRANSITION_RULES: Record<CaseAction, Rule> = {
  /**
   * 立案派遣: from triage by the street centre or the bureau; and the bureau may send a case it
   * holds (escalated, or meant for a department nobody is bound to) to any street.
   */
  register: {
    from: ['triage', 'dispatched', 'accepted'],
    who: (a, c) =>
      c.status === 'triage'
        ? streetCentre(a, c)
        : (c.handling === 'district' && a.role === 'district_admin') || bureauForUnstaffed(a, c)
          ? null
          : '只有区城管执法局可以改派由区局办理的案件',
    requires: [(input) => (input.itemCode || input.streetName ? null : '请选择权力清单事项')],
  },
  accept: { from: ['dispatched'], who: handler },
  assign: {
    from: ['dispatched', 'accepted'],
    who: leadOfStreetCase,
    requires: [need('assigneeId', '请选择转派的队员')],
  },
  return: {
    from: ['dispatched', 'accepted'],
    who: handler,
    requires: [noteRequired('退回须说明理由（如非本街道辖区、非本岗位事项）')],
  },
  escalate: {
    from: ['triage', 'dispatched', 'accepted'],
    who: (a, c) =>
      c.handling === 'district'
        ? '案件已由区城管执法局办理'
        : a.role === 'team_lead' && inStreet(a, c)
          ? null
          : '只有本街道执法队长可以上报区局',
    requires: [noteRequired('上报区局须说明理由（跨街道、重大复杂等）')],
  },
  refer: {
    from: ['triage', 'dispatched', 'accepted'],
    who: (a, c) =>
      bureauForUnstaffed(a, c) ? null : c.handling === 'department' ? '案件已移送部门' : streetCentre(a, c),
    requires: [need('departmentName', '请选择移送的部门')],
  },
  reject: { from: ['triage', 'dispatched'], who: streetCentre, requires: [noteRequired('不予受理须填写理由')] },
  resolve: {
    from: ['accepted'],
    who: handlerOrAssignee,
    requires: [noteRequired('办结须填写处置结果'), need('mode721', '请选择处置方式（服务、管理或执法）')],
  },
  verify: { from: ['resolved'], who: verifier },
  fail_verification: { from: ['resolved'], who: verifier, requires: [noteRequired('核查不通过须说明问题')] },
  reopen: { from: ['closed'], who: reopener, requires: [noteRequired('重新办理须说明理由')] },
  merge: {
    from: ['triage', 'dispatched'],
    who: streetCentre,
    requires: [need('targetCaseNumber', '请填写重复的原案件编号')],
  },
  request_postponement: {
    from: ['dispatched', 'accepted'],
    who: handlerOrAssignee,
    requires: [noteRequired('申请缓办须说明理由'), need('newDueAt', '请填写申请延期至的时间')],
  },
};

export interface Refusal {
  /** status: not in this step; role: not this person's to do; input: something is missing. */
  kind: 'status' | 'role' | 'input';
  message: string;
}

/** null when the actor may take the action now; otherwise why not, in Chinese. */
export function refusalFor(action: CaseAction, actor: Actor, c: CaseSnapshot, input: ActionInput): Refusal | null {
  const rule = TRANSITION_RULES[action];
  const who = rule.who(actor, c);
  // Someone with no part in the case learns nothing about its state.
  if (who && !rule.from.includes(c.status)) return { kind: 'role', message: who };
  if (!rule.from.includes(c.status))
    return {
      kind: 'status',
      message: `案件${c.number}当前状态为“${STATUS_LABELS[c.status]}”，不能${ACTION_LABELS[action]}`,
    };
  if (who) return { kind: 'role', message: who };
  for (const req of rule.requires ?? []) {
    const missing = req(input);
    if (missing) return { kind: 'input', message: missing };
  }
  return null;
}

/** The actions an actor could take on a case right now (for buttons and dashboards). */
export function availableActions(actor: Actor, c: CaseSnapshot): CaseAction[] {
  return (Object.keys(TRANSITION_RULES) as CaseAction[]).filter((action) => {
    const rule = TRANSITION_RULES[action];
    return rule.from.includes(c.status) && rule.who(actor, c) === null;
  });
}
