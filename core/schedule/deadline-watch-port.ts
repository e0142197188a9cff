import type { OutboundMessage } from '../messaging/outbound-types.ts';

/** The fields of an open case the deadline watch needs. */
export interface WatchedCase {
  id: number;
  number: string;
  /** The power-list matter, or '待确定' before one is chosen. */
  matter: string;
  /** Who handles it, as people read it: 万松街道城管执法队, 区市场监管局 … */
  unit: string;
  handling: string | null;
  streetId: number | null;
  departmentId: number | null;
  assigneeId: number | null;
  dueAt: Date;
}

export interface DeadlineNotice {
  personIds: number[];
  message: OutboundMessage;
  /** Rows are keyed `${dedupeKeyBase}:${channel}:${chatId}`: a re-run sends nothing twice. */
  dedupeKeyBase: string;
}

/** The once-only markers on Case. */
export type DeadlineFlag = 'remindedAt' | 'overdueNotifiedAt' | 'overdueEscalatedAt' | 'responseOverdueNotifiedAt';

/** What the deadline watch reads and writes; db/deadline-watch-store.ts implements it. */
export interface DeadlineWatchPort {
  /** Dispatched cases nobody accepted by their time to accept (受理时限), not told yet; `dueAt` is that time. */
  responseOverdue(now: Date, limit: number): Promise<WatchedCase[]>;
  /** Cases awaiting handling, due in (now, horizon], not reminded yet. */
  dueSoon(now: Date, horizon: Date, limit: number): Promise<WatchedCase[]>;
  /** Cases awaiting handling past their deadline, without an overdue notice yet. */
  overdueUnnotified(now: Date, limit: number): Promise<WatchedCase[]>;
  /** Street or department cases due at or before `dueBefore`, not escalated yet. */
  escalationDue(dueBefore: Date, limit: number): Promise<WatchedCase[]>;
  /** Ids of resolved cases, resolved at or before `resolvedBefore`, awaiting verification. */
  autoVerifyDue(resolvedBefore: Date, limit: number): Promise<number[]>;
  /** Team leads of the street, liaisons of the department, or district admins (also when nobody else is bound). */
  responsible(c: WatchedCase): Promise<number[]>;
  districtAdmins(): Promise<number[]>;
  /** Sets the flag if it is unset and enqueues the notices, in one transaction. False: it was set, nothing enqueued. */
  flagAndNotify(caseId: number, flag: DeadlineFlag, at: Date, notices: DeadlineNotice[]): Promise<boolean>;
}
