import type { Db } from './prisma-client.ts';
import { batchedReads, preparedReads, readerOf } from './reader-pool.ts';

/**
 * One case with everything its detail page shows (getCaseDetail in case-queries.ts), read by
 * four plain statements on the reader pool (db/reader-pool.ts), sent together (batchedReads:
 * one message to a reader thread; on PostgreSQL one statement instead of four connections and
 * round trips, which 16 clients queued on the pool for). The Prisma
 * include it replaces ran six queries and Prisma's row mapping on the main thread; sixteen
 * clients opening cases held the event loop for ~200 ms. The shape is the include's (names
 * nested, dates as Date, booleans as boolean), so the detail is built exactly as before.
 *
 * The case is found by its number and the same reads carry what the access rules look at
 * (whether the viewer follows it, and each photo's uploader's role), so a detail costs the
 * token and this one statement: the access check (Prisma's findUnique by number) and the
 * uploaders' roles (findMany) were two more statements and connections per request, and
 * ~0.6 ms of Prisma's event-loop time each. On PostgreSQL the statement's text is fixed and
 * prepared by name (preparedReads): parsed and planned once per connection, not per request.
 */
export interface CaseDetailRecord {
  id: number;
  number: string;
  text: string;
  lat: number | null;
  lng: number | null;
  address: string | null;
  streetId: number | null;
  departmentId: number | null;
  reporterId: number;
  assigneeId: number | null;
  handling: string | null;
  post: string | null;
  status: string;
  urgent: boolean;
  confidence: number | null;
  needsTriage: boolean;
  routingReasons: string;
  mode721: string | null;
  outcome: string | null;
  channel: string;
  externalRef: string | null;
  externalDueAt: Date | null;
  reopenCount: number;
  reworkCount: number;
  returnCount: number;
  unsatisfiedCount: number;
  postponed: boolean;
  responseDueAt: Date | null;
  dueAt: Date | null;
  createdAt: Date;
  registeredAt: Date | null;
  dispatchedAt: Date | null;
  acceptedAt: Date | null;
  resolvedAt: Date | null;
  verifiedAt: Date | null;
  closedAt: Date | null;
  street: { name: string } | null;
  department: { name: string } | null;
  item: { code: string; name: string; legalBasis: string; version: { version: string } } | null;
  reporter: { displayName: string; phone: string | null };
  assignee: { displayName: string } | null;
  mergedInto: { number: string } | null;
  events: Array<{
    id: number;
    type: string;
    fromStatus: string | null;
    toStatus: string | null;
    actorRole: string;
    note: string | null;
    createdAt: Date;
    actor: { displayName: string } | null;
  }>;
  attachments: Array<{
    publicKey: string;
    mime: string;
    size: number;
    sha256: string;
    exifTakenAt: Date | null;
    exifLat: number | null;
    exifLng: number | null;
    createdAt: Date;
    uploadedById: number | null;
  }>;
  ratings: Array<{ personId: number; score: string; comment: string | null; createdAt: Date }>;
}

/** The record and what the access rules need beyond it (case-visibility-fns.ts). */
export interface ViewedCaseRecord extends CaseDetailRecord {
  /** Whether the viewer follows the case (a CaseSubscriber row). */
  viewerFollows: boolean;
  /** Each attachment's uploader's role, in the order of `attachments` (null: no uploader). */
  uploaderRoles: Array<string | null>;
}

const DATES = [
  'externalDueAt',
  'responseDueAt',
  'dueAt',
  'registeredAt',
  'dispatchedAt',
  'acceptedAt',
  'resolvedAt',
  'verifiedAt',
  'closedAt',
] as const;
const SCALARS = [
  'id',
  'number',
  'text',
  'lat',
  'lng',
  'address',
  'streetId',
  'departmentId',
  'reporterId',
  'assigneeId',
  'handling',
  'post',
  'status',
  'urgent',
  'confidence',
  'needsTriage',
  'routingReasons',
  'mode721',
  'outcome',
  'channel',
  'externalRef',
  'reopenCount',
  'reworkCount',
  'returnCount',
  'unsatisfiedCount',
  'postponed',
  'createdAt',
  ...DATES,
] as const;

// The one-row lookups are scalar sub-selects, not joins: eight relations joined made
// PostgreSQL's planner weigh every join order, 1.5-8 ms of planning per detail at 1M cases
// (more than the statement ran), where each sub-select is planned alone (0.4 ms in all).
const CASE_SQL = `SELECT ${SCALARS.map((k) => `c."${k}" AS "${k}"`).join(', ')},
  (SELECT s."name" FROM "Street" s WHERE s."id" = c."streetId") AS "streetName",
  (SELECT d."name" FROM "Department" d WHERE d."id" = c."departmentId") AS "departmentName",
  i."code" AS "itemCode", i."name" AS "itemName", i."legalBasis" AS "itemLegalBasis", v."version" AS "itemVersion",
  rp."displayName" AS "reporterName", rp."phone" AS "reporterPhone",
  (SELECT a."displayName" FROM "Person" a WHERE a."id" = c."assigneeId") AS "assigneeName",
  (SELECT m."number" FROM "Case" m WHERE m."id" = c."mergedIntoId") AS "mergedIntoNumber",
  (SELECT COUNT(*) FROM "CaseSubscriber" f WHERE f."caseId" = c."id" AND f."personId" = ?) AS "viewerFollows"
  FROM "Case" c JOIN "Person" rp ON rp."id" = c."reporterId"
  LEFT JOIN "PowerItem" i ON i."id" = c."itemId" LEFT JOIN "PowerListVersion" v ON v."id" = i."versionId"
  WHERE c."number" = ?`;
// The other reads find the case by its number too (a unique index each way), so all four go at once.
const CASE_ID = `(SELECT k."id" FROM "Case" k WHERE k."number" = ?)`;
const EVENTS_SQL = `SELECT e."id" AS "id", e."type" AS "type", e."fromStatus" AS "fromStatus", e."toStatus" AS "toStatus",
  e."actorRole" AS "actorRole", e."note" AS "note", e."createdAt" AS "createdAt", p."displayName" AS "actorName"
  FROM "CaseEvent" e LEFT JOIN "Person" p ON p."id" = e."actorId" WHERE e."caseId" = ${CASE_ID} ORDER BY e."id"`;
const ATTACHMENTS_SQL = `SELECT a."publicKey" AS "publicKey", a."mime" AS "mime", a."size" AS "size", a."sha256" AS "sha256",
  a."exifTakenAt" AS "exifTakenAt", a."exifLat" AS "exifLat", a."exifLng" AS "exifLng", a."createdAt" AS "createdAt",
  a."uploadedById" AS "uploadedById", u."role" AS "uploaderRole"
  FROM "Attachment" a LEFT JOIN "Person" u ON u."id" = a."uploadedById" WHERE a."caseId" = ${CASE_ID} ORDER BY a."id"`;
const RATINGS_SQL = `SELECT "personId" AS "personId", "score" AS "score", "comment" AS "comment", "createdAt" AS "createdAt"
  FROM "Rating" WHERE "caseId" = ${CASE_ID} ORDER BY "id"`;

// Stored timestamps are UTC: SQLite's text carries its offset, PostgreSQL's JSON rows
// (pg-read-many.ts) carry none, and a zone-less ISO text would otherwise be read as local time.
const utcDate = (text: string): Date => new Date(/(Z|[+-]\d\d:?\d\d)$/.test(text) ? text : `${text}Z`);
const date = (v: unknown): Date => (v instanceof Date ? v : utcDate(String(v)));
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const bool = (v: unknown): boolean => v === true || Number(v) === 1;
const present = (v: unknown) => v !== null && v !== undefined;

/** The case with this number, what its detail shows and what `viewerId`'s access depends on, or null. */
export async function caseDetailRecord(db: Db, number: string, viewerId: number): Promise<ViewedCaseRecord | null> {
  // Issued together: one batch to a reader thread, one statement on PostgreSQL (pg-read-many.ts).
  const read = batchedReads(preparedReads(readerOf(db)));
  const [[c], events, attachments, ratings] = await Promise.all([
    read(CASE_SQL, viewerId, number),
    read(EVENTS_SQL, number),
    read(ATTACHMENTS_SQL, number),
    read(RATINGS_SQL, number),
  ]);
  if (!c) return null;
  const dates = Object.fromEntries(DATES.map((k) => [k, dateOrNull(c[k])])) as Record<
    (typeof DATES)[number],
    Date | null
  >;
  return {
    id: Number(c.id),
    number: String(c.number),
    text: String(c.text),
    lat: numOrNull(c.lat),
    lng: numOrNull(c.lng),
    address: textOrNull(c.address),
    streetId: numOrNull(c.streetId),
    departmentId: numOrNull(c.departmentId),
    reporterId: Number(c.reporterId),
    assigneeId: numOrNull(c.assigneeId),
    handling: textOrNull(c.handling),
    post: textOrNull(c.post),
    status: String(c.status),
    urgent: bool(c.urgent),
    confidence: numOrNull(c.confidence),
    needsTriage: bool(c.needsTriage),
    routingReasons: String(c.routingReasons),
    mode721: textOrNull(c.mode721),
    outcome: textOrNull(c.outcome),
    channel: String(c.channel),
    externalRef: textOrNull(c.externalRef),
    reopenCount: Number(c.reopenCount),
    reworkCount: Number(c.reworkCount),
    returnCount: Number(c.returnCount),
    unsatisfiedCount: Number(c.unsatisfiedCount),
    postponed: bool(c.postponed),
    createdAt: date(c.createdAt),
    ...dates,
    street: present(c.streetName) ? { name: String(c.streetName) } : null,
    department: present(c.departmentName) ? { name: String(c.departmentName) } : null,
    item: present(c.itemCode)
      ? {
          code: String(c.itemCode),
          name: String(c.itemName),
          legalBasis: String(c.itemLegalBasis),
          version: { version: String(c.itemVersion) },
        }
      : null,
    reporter: { displayName: String(c.reporterName), phone: textOrNull(c.reporterPhone) },
    assignee: present(c.assigneeName) ? { displayName: String(c.assigneeName) } : null,
    mergedInto: present(c.mergedIntoNumber) ? { number: String(c.mergedIntoNumber) } : null,
    events: events.map((e) => ({
      id: Number(e.id),
      type: String(e.type),
      fromStatus: textOrNull(e.fromStatus),
      toStatus: textOrNull(e.toStatus),
      actorRole: String(e.actorRole),
      note: textOrNull(e.note),
      createdAt: date(e.createdAt),
      actor: present(e.actorName) ? { displayName: String(e.actorName) } : null,
    })),
    attachments: attachments.map((a) => ({
      publicKey: String(a.publicKey),
      mime: String(a.mime),
      size: Number(a.size),
      sha256: String(a.sha256),
      exifTakenAt: dateOrNull(a.exifTakenAt),
      exifLat: numOrNull(a.exifLat),
      exifLng: numOrNull(a.exifLng),
      createdAt: date(a.createdAt),
      uploadedById: numOrNull(a.uploadedById),
    })),
    uploaderRoles: attachments.map((a) => textOrNull(a.uploaderRole)),
    viewerFollows: Number(c.viewerFollows) > 0,
    ratings: ratings.map((r) => ({
      personId: Number(r.personId),
      score: String(r.score),
      comment: textOrNull(r.comment),
      createdAt: date(r.createdAt),
    })),
  };
}
