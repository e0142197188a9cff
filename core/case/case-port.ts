import type { AttachmentOwnership } from '../evidence/attachment-access-fns.ts';
import type { OutboundMessage } from '../messaging/outbound-types.ts';
import type { Actor, CaseSnapshot, CaseStatus, Handling, Mode721, RatingScore } from './case-types.ts';

/** A power-list item as a case records it: the exact version it was routed with. */
export interface ItemRef {
  id: number;
  code: string;
  name: string;
  version: string;
  level: 'street' | 'district' | 'department';
  post: string | null;
  department: string | null;
  legalBasis: string;
  responseHours: number;
  handlingHours: number;
  timeBasis: 'working' | 'clock';
  urgent: boolean;
  mode721: Mode721;
}

export interface CaseRow extends CaseSnapshot {
  text: string;
  lat: number | null;
  lng: number | null;
  address: string | null;
  post: string | null;
  urgent: boolean;
  itemId: number | null;
  item: ItemRef | null;
  streetName: string | null;
  departmentName: string | null;
  /** Only to redact it from texts residents and the public read; never a message placeholder. */
  reporterName: string | null;
  dueAt: Date | null;
  responseDueAt: Date | null;
  createdAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  outcome: string | null;
  mode721: Mode721 | null;
  mergedIntoId: number | null;
  reopenCount: number;
  reworkCount: number;
  returnCount: number;
  /** The deadline of a handed-over order (12345 办理时限), null for reports. */
  externalDueAt: Date | null;
}

export interface NewCase {
  number: string;
  text: string;
  lat: number | null;
  lng: number | null;
  address: string | null;
  streetId: number | null;
  itemId: number | null;
  handling: Handling;
  post: string | null;
  departmentId: number | null;
  status: CaseStatus;
  urgent: boolean;
  confidence: number;
  needsTriage: boolean;
  routingReasons: string[];
  channel: string;
  reporterId: number;
  mergedIntoId: number | null;
  createdAt: Date;
  registeredAt: Date | null;
  dispatchedAt: Date | null;
  responseDueAt: Date | null;
  dueAt: Date | null;
  /** A handed-over order (12345 工单); null for reports. A second insert of the same source and ref is a ConflictError. */
  external?: { source: string; ref: string; receivedAt: Date; dueAt: Date } | null;
}

export type CasePatch = Partial<{
  status: CaseStatus;
  /** WGS-84; changed only when staff confirm a case's point (确认位置). */
  lat: number | null;
  lng: number | null;
  handling: Handling;
  post: string | null;
  streetId: number | null;
  departmentId: number | null;
  itemId: number | null;
  assigneeId: number | null;
  needsTriage: boolean;
  mode721: Mode721;
  outcome: string;
  registeredAt: Date;
  dispatchedAt: Date;
  acceptedAt: Date | null;
  resolvedAt: Date | null;
  verifiedAt: Date;
  closedAt: Date | null;
  responseDueAt: Date | null;
  dueAt: Date | null;
  postponed: boolean;
  reopenCount: number;
  reworkCount: number;
  returnCount: number;
  unsatisfiedCount: number;
  mergedIntoId: number;
  remindedAt: Date | null;
  overdueNotifiedAt: Date | null;
  overdueEscalatedAt: Date | null;
  responseOverdueNotifiedAt: Date | null;
  /** Closed by the scheduler after the inspector's verification deadline, not by a person. */
  autoVerified: boolean;
}>;

export interface NewEvent {
  caseId: number;
  type: string;
  fromStatus: CaseStatus | null;
  toStatus: CaseStatus | null;
  actorId: number | null;
  actorRole: string;
  note?: string | null;
  data?: Record<string, unknown>;
  attachmentIds?: number[];
  at: Date;
}

/** One recorded step of a case, as a history line needs it. */
export interface CaseStep {
  type: string;
  note: string | null;
  actorRole: string;
  data: Record<string, unknown>;
  at: Date;
}

export interface Notice {
  personIds: number[];
  message: OutboundMessage;
  /** Unique per notice, so re-running a step never sends it twice. */
  dedupeKey: string;
  caseId: number;
}

/** A place staff confirmed (see core/geo/place-memory.ts), as stored. */
export interface NewPlaceCorrection {
  streetId: number;
  lat: number | null;
  lng: number | null;
  /** Normalised place keys joined by | (core/geo/place-key-fns.ts), or null. */
  placeText: string | null;
  source: string;
  caseId: number | null;
  actorId: number | null;
  at: Date;
}

/** Everything a case use-case reads and writes inside one transaction. */
export interface CaseTx {
  nextCaseNumber(prefix: string, day: string): Promise<string>;
  activeItem(code: string): Promise<ItemRef | null>;
  streetIdByName(name: string): Promise<number | null>;
  departmentIdByName(name: string): Promise<number | null>;
  insertCase(data: NewCase): Promise<CaseRow>;
  getCase(ref: { id: number } | { number: string }): Promise<CaseRow | null>;
  updateCase(id: number, patch: CasePatch): Promise<CaseRow>;
  appendEvent(event: NewEvent): Promise<number>;
  /** Several events at once, in this order (their ids, in the same order): one round trip on PostgreSQL. */
  appendEvents(events: readonly NewEvent[]): Promise<number[]>;
  findOpenDuplicate(q: {
    itemCode: string;
    lat: number;
    lng: number;
    radiusM: number;
    since: Date;
    /**
     * Only looking (an offer to follow): no turn is taken. A registration takes turns with the
     * others near the same point (PostgreSQL: locks held until its unit commits), so the second of
     * two reports at once sees the first's case; a look registers nothing and needs no turn.
     */
    lookOnly?: boolean;
  }): Promise<CaseRow | null>;
  addSubscriber(caseId: number, personId: number): Promise<void>;
  /** Uploader and case of the given photos (missing ids are simply absent), for assertAttachable. */
  attachmentOwnership(ids: readonly number[]): Promise<AttachmentOwnership[]>;
  /** Cases (merged duplicates included) this person reported since `since`, and the oldest one's time. */
  reportedSince(reporterId: number, since: Date): Promise<{ count: number; oldest: Date | null }>;
  /** The first photos of the report (images of its 报告 event, oldest first), for the case card. */
  reportPhotos(caseId: number, limit: number): Promise<number[]>;
  /** The people as actors (active ones only, in the order asked): a card's buttons are computed per reader. */
  actorsOf(personIds: readonly number[]): Promise<Actor[]>;
  /** Reporter and followers of merged duplicates. */
  followers(caseId: number): Promise<number[]>;
  /** Photos attached to the case's latest 办结 (resolved) event, oldest first: the outcome's evidence. */
  resolutionPhotos(caseId: number): Promise<number[]>;
  /** Who holds a case at a handling level: street team leads, department liaisons or district admins. */
  handlers(handling: Handling, streetId: number | null, departmentId: number | null): Promise<number[]>;
  personInStreet(personId: number, streetId: number, roles: string[]): Promise<boolean>;
  /** Whether anybody (an active liaison) is bound to the department: nobody means nobody would act. */
  departmentStaffed(departmentId: number): Promise<boolean>;
  /** The case's events, oldest first, for the short history an escalation carries. */
  history(caseId: number): Promise<CaseStep[]>;
  /** Ratings this person gave the case since it was (last) closed. */
  ratingsSince(caseId: number, personId: number, since: Date): Promise<number>;
  setLatestRatingComment(caseId: number, personId: number, comment: string): Promise<boolean>;
  insertRating(r: {
    caseId: number;
    personId: number;
    score: RatingScore;
    comment: string | null;
    at: Date;
  }): Promise<void>;
  insertPostponement(p: {
    caseId: number;
    requestedById: number;
    reason: string;
    newDueAt: Date;
    at: Date;
  }): Promise<number>;
  decidePostponement(
    id: number,
    d: { approved: boolean; decidedById: number; at: Date },
  ): Promise<{ caseId: number; newDueAt: Date; status: string } | null>;
  notify(notice: Notice): Promise<void>;
  insertPlaceCorrection(p: NewPlaceCorrection): Promise<void>;
  /** 核查 tasks (db/verification-task-ops.ts). */
  casePhotoPoints(caseId: number): Promise<CasePhotoPoints>;
  openVerificationTask(t: NewVerificationTask): Promise<number | null>;
  /** The case's open task, if any. */
  verificationTask(caseId: number): Promise<VerificationTaskRow | null>;
  finishVerificationTask(caseId: number, outcome: VerificationOutcome, at: Date): Promise<void>;
}

/** A photo with the point its EXIF says it was taken at (WGS-84), or none. */
export interface PhotoPoint {
  id: number;
  lat: number | null;
  lng: number | null;
}

/** The report's photos (before) and the latest 办结's photos (after), oldest first. */
export interface CasePhotoPoints {
  report: PhotoPoint[];
  resolution: PhotoPoint[];
}

export type VerificationOutcome = 'verified' | 'failed' | 'auto' | 'superseded';

export interface NewVerificationTask {
  caseId: number;
  streetId: number | null;
  /** Never given the task: whoever resolved the case. */
  excludePersonIds: number[];
  dueAt: Date;
  distanceM: number | null;
  warning: string | null;
  at: Date;
}

export interface VerificationTaskRow {
  id: number;
  caseId: number;
  inspectorId: number | null;
  dueAt: Date;
  distanceM: number | null;
  warning: string | null;
}

export interface CaseStore {
  transaction<T>(fn: (tx: CaseTx) => Promise<T>): Promise<T>;
}
