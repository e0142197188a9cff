/** Roles people act in. */
export const ROLES = ['resident', 'inspector', 'enforcer', 'team_lead', 'dept_liaison', 'district_admin'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES: readonly Role[] = ['inspector', 'enforcer', 'team_lead', 'dept_liaison', 'district_admin'];
/** Each role as staff and residents read it (pages, exports, the staff administration). */
export const ROLE_LABELS: Record<Role, string> = {
  resident: '居民',
  inspector: '巡查员',
  enforcer: '执法队员',
  team_lead: '执法队长',
  dept_liaison: '部门联络人',
  district_admin: '区城管执法局',
};

/**
 * Case statuses of the closed loop. `resolved` (办结, by the handler) is kept apart from
 * `closed` (after verification 核查) because "closed" must mean "checked fixed".
 */
export const STATUSES = ['triage', 'dispatched', 'accepted', 'resolved', 'closed', 'rejected', 'merged'] as const;
export type CaseStatus = (typeof STATUSES)[number];
export const OPEN_STATUSES: readonly CaseStatus[] = ['triage', 'dispatched', 'accepted', 'resolved'];

export const STATUS_LABELS: Record<CaseStatus, string> = {
  triage: '待分拣',
  dispatched: '已派遣',
  accepted: '处置中',
  resolved: '已办结待核查',
  closed: '已结案',
  rejected: '不予受理',
  merged: '已合并',
};

/** The same statuses as residents read them: no 分拣 or 核查, which are the staff's words. */
export const RESIDENT_STATUS_LABELS: Record<CaseStatus, string> = {
  triage: '待确定承办单位',
  dispatched: '已交承办单位',
  accepted: '处理中',
  resolved: '已处理，待您确认',
  closed: '已结案',
  rejected: '不予受理',
  merged: '已并入其他案件',
};

export type Handling = 'street' | 'district' | 'department' | 'none';
export type Mode721 = 'service' | 'management' | 'enforcement';
export const MODE_721_LABELS: Record<Mode721, string> = {
  service: '服务（劝导）',
  management: '管理',
  enforcement: '执法（处罚）',
};

export type RatingScore = 'satisfied' | 'basic' | 'unsatisfied';
export const RATING_LABELS: Record<RatingScore, string> = {
  satisfied: '满意',
  basic: '基本满意',
  unsatisfied: '不满意',
};

/** Who is acting: resolved from a bearer token, a dashboard session or a chat identity. */
export interface Actor {
  personId: number;
  role: Role;
  streetId: number | null;
  departmentId: number | null;
  displayName: string;
}

/** The system itself (scheduler, automatic registration). */
export const SYSTEM_ACTOR = { personId: null, role: 'system' } as const;
export type AnyActor = Actor | typeof SYSTEM_ACTOR;

/** Actions a person can take on a case; each is one row of the transition table. */
export const ACTIONS = [
  'register', // 立案 after manual triage (with the chosen matter)
  'accept', // 接单
  'assign', // 转派 to a team member
  'return', // 退回: wrong street or post, with a reason
  'escalate', // 上报区局
  'refer', // 移送 to a department
  'reject', // 不予受理, reason required
  'resolve', // 办结: outcome, photos, 721 mode
  'verify', // 核查通过
  'fail_verification', // 核查不通过: back for rework (返工)
  'reopen', // 重新办理
  'merge', // duplicate of another case
  'request_postponement', // 申请缓办
] as const;
export type CaseAction = (typeof ACTIONS)[number];

export const ACTION_LABELS: Record<CaseAction, string> = {
  register: '立案派遣',
  accept: '接单',
  assign: '转派',
  return: '退回',
  escalate: '上报区局',
  refer: '移送部门',
  reject: '不予受理',
  resolve: '办结',
  verify: '核查通过',
  fail_verification: '核查不通过（返工）',
  reopen: '重新办理',
  merge: '合并重复案件',
  request_postponement: '申请缓办',
};

/** Input carried by an action; which fields are required depends on the action. */
export interface ActionInput {
  note?: string; // reason or outcome text
  itemCode?: string; // register / return: the matter chosen
  streetName?: string; // register / return: the street that should handle it
  departmentName?: string; // refer / return: the department that should handle it
  toDistrict?: boolean; // return: to the district bureau, which sorts it again
  overdue?: boolean; // escalate: by the scheduler, because the deadline passed (never from the API)
  assigneeId?: number; // assign
  mode721?: Mode721; // resolve
  attachmentIds?: number[]; // resolve / verify evidence
  targetCaseNumber?: string; // merge
  newDueAt?: string; // request_postponement (ISO date-time)
  /**
   * The person acting is answered in the chat they pressed the button in: the notice to the
   * case's followers leaves them out, so they are told once.
   */
  answeredInChat?: boolean;
}

/** The fields of a case the transition rules look at. */
export interface CaseSnapshot {
  id: number;
  number: string;
  status: CaseStatus;
  handling: Handling | null;
  streetId: number | null;
  departmentId: number | null;
  reporterId: number;
  assigneeId: number | null;
  resolvedById: number | null;
  unsatisfiedCount: number;
  /**
   * A department case only: false when nobody is bound to the department (none yet, or its
   * liaison left), so the bureau acts for it. Absent means staffed or not a department case.
   */
  departmentStaffed?: boolean;
}
