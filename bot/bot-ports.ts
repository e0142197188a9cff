import type { Actor, Role } from '../core/case/case-types.ts';
import type { Channel } from './inbound-types.ts';

/** Per-chat state of a flow; `data` is the flow's own JSON. */
export interface FlowState {
  flow: string;
  step: string;
  data: Record<string, unknown>;
  expiresAt: Date | null;
}

export interface ConversationKey {
  channel: Channel;
  chatId: string;
  userId: string;
}

export interface ConversationPort {
  load(key: ConversationKey): Promise<FlowState | null>;
  save(key: ConversationKey, state: FlowState): Promise<void>;
  clear(key: ConversationKey): Promise<void>;
  /** Drafts past their expiry, for the expiry notice. */
  expired(now: Date, limit: number): Promise<Array<ConversationKey & FlowState>>;
}

export interface Identity {
  actor: Actor;
  /** First contact: this message created the person. */
  isNew: boolean;
}

/** A chat account and its person, as stored. */
export interface ChatAccount {
  personId: number;
  role: Role;
  streetId: number | null;
  departmentId: number | null;
  displayName: string;
  /** A deactivated person keeps their chat, as a resident. */
  active: boolean;
  identityId: number;
  /** Where pushes go. */
  chatId: string;
  blocked: boolean;
}

/**
 * What a message's sender and chat held when the message arrived, read once before it is handled
 * (PostgreSQL: with the update's duplicate check, in one statement; a round trip there cost more
 * than the rows), so the handler need not read them again.
 */
export interface ChatSnapshot {
  /** The sender's account; null: none yet (a newcomer). */
  account: ChatAccount | null;
  /** The chat's flow state; null: none. */
  state: FlowState | null;
}

export interface IdentityPort {
  /**
   * The person behind a chat account; a resident is created on first contact. `known`: the
   * account as a read of this message already found it (null: none), so it is not read again.
   */
  resolve(
    channel: Channel,
    userId: string,
    chatId: string,
    displayName: string | undefined,
    known?: ChatAccount | null,
  ): Promise<Identity>;
  /** Redeems a one-time code: binds this chat account to a staff person. */
  bind(channel: Channel, userId: string, chatId: string, code: string, now: Date): Promise<Actor | null>;
}

export interface StaffDirectory {
  /**
   * Enforcers and team leads of a street, for 转派; given the case's item, those whose post
   * (岗位) covers its code or category come first.
   */
  teamMembers(
    streetId: number,
    item?: { code: string; post: string | null } | null,
  ): Promise<Array<{ personId: number; name: string }>>;
  departments(): Promise<Array<{ code: string; name: string }>>;
  /** The district's streets, for 退回 to another street and the bureau's 派遣街道. */
  streets(): Promise<Array<{ code: string; name: string }>>;
  /** People to tell about an inspector's patrol report. */
  teamLeads(streetId: number): Promise<number[]>;
}

export interface PatrolSummary {
  patrolId: number;
  startedAt: Date;
  endedAt: Date;
  findings: number;
  settled: number;
  casesOpened: number;
}

export interface PatrolPort {
  open(inspectorId: number): Promise<{ id: number; startedAt: Date } | null>;
  start(inspectorId: number, streetId: number | null, now: Date): Promise<{ id: number; startedAt: Date }>;
  /** Ends the patrol (if still open) and counts its findings; the day's report goes out later, once. */
  end(patrolId: number, now: Date): Promise<PatrolSummary>;
  recordFinding(f: {
    inspectorId: number;
    text: string;
    lat: number | null;
    lng: number | null;
    /** settled: 已劝导整改; case: 需执法; referred: a department's matter, filed as a case referred to it. */
    outcome: 'settled' | 'case' | 'referred';
    caseId: number | null;
    itemCode: string | null;
    /** The matter as the daily report prints it, and the place the inspector typed. */
    matter?: string | null;
    address?: string | null;
    attachmentIds: number[];
    now: Date;
  }): Promise<number>;
}

/** Cases as a chat user lists them. */
export interface CaseListItem {
  number: string;
  status: string;
  matter: string;
  createdAt: Date;
  dueAt: Date | null;
  overdue: boolean;
  urgent: boolean;
}

export interface CaseLookupPort {
  mine(personId: number, limit: number): Promise<CaseListItem[]>;
  queue(actor: Actor, now: Date, limit: number): Promise<CaseListItem[]>;
  /** Detail for /status: only when the person reported or follows it, or staff within their scope. */
  statusFor(
    actor: Actor,
    number: string,
  ): Promise<{
    item: CaseListItem;
    outcome: string | null;
    handler: string;
    events: Array<{ type: string; at: Date }>;
  } | null>;
}

export interface LoginLinkPort {
  create(personId: number, now: Date): Promise<string>;
}

export type { Role };
