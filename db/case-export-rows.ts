import type { Actor } from '../core/case/case-types.ts';
import { listRowsAfter, type CaseListQuery } from './case-queries.ts';
import type { Db } from './prisma-client.ts';

/**
 * The columns of the case export (server/pages/export-tables.ts), read with the list's keyset
 * paging in one statement per chunk on the reader pool (db/reader-pool.ts): the export of a year of cases
 * read them through Prisma on the main thread, chunk after chunk, and held the event loop for
 * seconds. The shape is the one the Prisma include gave (names nested, dates as Date), so the
 * table is built exactly as before.
 */
export interface ExportCaseRow {
  id: number;
  number: string;
  status: string;
  text: string;
  address: string | null;
  lat: number | null;
  lng: number | null;
  handling: string | null;
  post: string | null;
  urgent: boolean;
  channel: string;
  mode721: string | null;
  outcome: string | null;
  returnCount: number;
  reworkCount: number;
  reopenCount: number;
  reporterId: number;
  streetId: number | null;
  departmentId: number | null;
  assigneeId: number | null;
  createdAt: Date;
  dueAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  street: { name: string } | null;
  department: { name: string } | null;
  item: { code: string; name: string } | null;
  assignee: { displayName: string } | null;
  reporter: { displayName: string; phone: string | null };
  /** The latest rating only, as the export shows it. */
  ratings: Array<{ score: string }>;
}

const EXPORT_COLUMNS = `c."id" AS "id", c."number" AS "number", c."status" AS "status", c."text" AS "text", c."address" AS "address",
  c."lat" AS "lat", c."lng" AS "lng", c."handling" AS "handling", c."post" AS "post", c."urgent" AS "urgent", c."channel" AS "channel",
  c."mode721" AS "mode721", c."outcome" AS "outcome", c."returnCount" AS "returnCount", c."reworkCount" AS "reworkCount",
  c."reopenCount" AS "reopenCount", c."reporterId" AS "reporterId", c."streetId" AS "streetId", c."departmentId" AS "departmentId",
  c."assigneeId" AS "assigneeId", c."createdAt" AS "createdAt", c."dueAt" AS "dueAt", c."resolvedAt" AS "resolvedAt",
  c."closedAt" AS "closedAt", s."name" AS "streetName", d."name" AS "departmentName", i."code" AS "itemCode", i."name" AS "itemName",
  a."displayName" AS "assigneeName", rp."displayName" AS "reporterName", rp."phone" AS "reporterPhone",
  (SELECT r."score" FROM "Rating" r WHERE r."caseId" = c."id" ORDER BY r."id" DESC LIMIT 1) AS "rating"
  FROM "Case" c JOIN "Person" rp ON rp."id" = c."reporterId"
  LEFT JOIN "Street" s ON s."id" = c."streetId" LEFT JOIN "Department" d ON d."id" = c."departmentId"
  LEFT JOIN "PowerItem" i ON i."id" = c."itemId" LEFT JOIN "Person" a ON a."id" = c."assigneeId"`;

const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function toRow(r: Record<string, unknown>): ExportCaseRow {
  const rating = textOrNull(r.rating);
  return {
    id: Number(r.id),
    number: String(r.number),
    status: String(r.status),
    text: String(r.text),
    address: textOrNull(r.address),
    lat: numOrNull(r.lat),
    lng: numOrNull(r.lng),
    handling: textOrNull(r.handling),
    post: textOrNull(r.post),
    urgent: r.urgent === true || Number(r.urgent) === 1,
    channel: String(r.channel),
    mode721: textOrNull(r.mode721),
    outcome: textOrNull(r.outcome),
    returnCount: Number(r.returnCount),
    reworkCount: Number(r.reworkCount),
    reopenCount: Number(r.reopenCount),
    reporterId: Number(r.reporterId),
    streetId: numOrNull(r.streetId),
    departmentId: numOrNull(r.departmentId),
    assigneeId: numOrNull(r.assigneeId),
    createdAt: date(r.createdAt),
    dueAt: dateOrNull(r.dueAt),
    resolvedAt: dateOrNull(r.resolvedAt),
    closedAt: dateOrNull(r.closedAt),
    street: r.streetName === null || r.streetName === undefined ? null : { name: String(r.streetName) },
    department: r.departmentName === null || r.departmentName === undefined ? null : { name: String(r.departmentName) },
    item:
      r.itemCode === null || r.itemCode === undefined ? null : { code: String(r.itemCode), name: String(r.itemName) },
    assignee: r.assigneeName === null || r.assigneeName === undefined ? null : { displayName: String(r.assigneeName) },
    reporter: { displayName: String(r.reporterName), phone: textOrNull(r.reporterPhone) },
    ratings: rating === null ? [] : [{ score: rating }],
  };
}

/**
 * The export's rows of one keyset page of the board (listRowsAfter: the list decides which cases
 * and in what order), read with the paging in one statement.
 */
export async function exportRowsAfter(
  db: Db,
  actor: Actor,
  query: CaseListQuery,
  cursorText: string,
  now: Date,
): Promise<{ rows: ExportCaseRow[]; nextCursor: string | null }> {
  const page = await listRowsAfter(db, actor, query, cursorText, now, EXPORT_COLUMNS);
  return { rows: page.rows.map(toRow), nextCursor: page.nextCursor };
}
