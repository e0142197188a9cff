import { coarseLocation, redactPersonalData } from '../core/case/anonymise-fns.ts';
import {
  MODE_721_LABELS,
  OPEN_STATUSES,
  RATING_LABELS,
  STATUS_LABELS,
  type CaseStatus,
  type Mode721,
  type RatingScore,
} from '../core/case/case-types.ts';
import { isPublishablePhoto } from '../core/evidence/photo-publishing-fns.ts';
import { districtDay } from '../core/stats/period-fns.ts';
import { publishedCasePage, tallySum } from './case-queries.ts';
import { unindexed } from './sql-dialect.ts';
import type { Db } from './prisma-client.ts';
import { readerOf } from './reader-pool.ts';

/**
 * 执法信息网上公示: closed cases without personal data, for the public API and the public page
 * alike. Built field by field from an allow-list (never by removing fields from a case), so a
 * column added later cannot leak by default. No names, phones, chat ids, reporter ids,
 * addresses or raw report text are published; the outcome is redacted (names, the reporter's
 * own name from the record included, phones, IDs, plates); coordinates are
 * rounded to ~100 m; only handlers' EXIF-free photo copies are listed.
 */
export interface PublicCase {
  number: string;
  matter: string | null;
  itemCode: string | null;
  post: string | null;
  department: string | null;
  street: string | null;
  location: { lat: number; lng: number } | null;
  outcome: string | null;
  createdDate: string;
  closedDate: string | null;
  mode721: Mode721 | null;
  mode721Label: string | null;
  satisfaction: RatingScore | null;
  satisfactionLabel: string | null;
  photos: string[];
}

/** The columns isPublishablePhoto() needs, for Prisma selects of attachments. */
export const publishFactsSelect = {
  publicPath: true,
  uploadedById: true,
  event: { select: { type: true, actorId: true, actorRole: true } },
} as const;

const CASES_SQL = `SELECT c."id" AS "id", c."number" AS "number", c."post" AS "post", c."lat" AS "lat", c."lng" AS "lng",
  c."outcome" AS "outcome", c."createdAt" AS "createdAt", c."closedAt" AS "closedAt", c."mode721" AS "mode721",
  c."reporterId" AS "reporterId", rp."displayName" AS "reporterName", i."code" AS "itemCode", i."name" AS "itemName",
  s."name" AS "streetName", d."name" AS "departmentName",
  (SELECT r."score" FROM "Rating" r WHERE r."caseId" = c."id" ORDER BY r."id" DESC LIMIT 1) AS "score"
  FROM "Case" c JOIN "Person" rp ON rp."id" = c."reporterId"
  LEFT JOIN "PowerItem" i ON i."id" = c."itemId" LEFT JOIN "Street" s ON s."id" = c."streetId"
  LEFT JOIN "Department" d ON d."id" = c."departmentId"
  WHERE c."status" = 'closed' AND c."id" IN`;
const PHOTOS_SQL = `SELECT a."caseId" AS "caseId", a."publicKey" AS "publicKey", a."publicPath" AS "publicPath",
  a."uploadedById" AS "uploadedById", e."type" AS "type", e."actorId" AS "actorId", e."actorRole" AS "actorRole"
  FROM "Attachment" a JOIN "CaseEvent" e ON e."id" = a."eventId"
  WHERE a."publicPath" IS NOT NULL AND e."type" = 'resolved' AND a."caseId" IN`;

const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

/**
 * One page of published cases: the ids and total (publishedCasePage), then the rows and their
 * resolution photos in two statements on the reader pool (db/reader-pool.ts). Anyone may ask,
 * so nothing here runs on the event loop but the shaping of at most a page of rows.
 */
export async function publicCases(
  db: Db,
  f: { streetId: number | null; from?: Date | undefined; to?: Date | undefined; page: number; pageSize: number },
): Promise<{ items: PublicCase[]; total: number }> {
  const { ids, total } = await publishedCasePage(db, {
    streetId: f.streetId,
    from: f.from,
    to: f.to,
    take: f.pageSize,
    skip: (f.page - 1) * f.pageSize,
  });
  if (!ids.length) return { items: [], total };
  const read = readerOf(db);
  const inList = `(${ids.map(() => '?').join(', ')})`;
  const [found, photos] = await Promise.all([
    read(`${CASES_SQL} ${inList}`, ...ids),
    read(`${PHOTOS_SQL} ${inList} ORDER BY a."id"`, ...ids),
  ]);
  const photosOf = new Map<number, Array<Record<string, unknown>>>();
  for (const a of photos) {
    const id = Number(a.caseId);
    photosOf.set(id, [...(photosOf.get(id) ?? []), a]);
  }
  const byId = new Map<number, Record<string, unknown>>(found.map((c) => [Number(c.id), c]));
  const items = ids
    .flatMap((id): Array<Record<string, unknown>> => {
      const c = byId.get(id);
      return c ? [c] : [];
    })
    .map((c): PublicCase => {
      const reporterId = Number(c.reporterId);
      const score = textOrNull(c.score) as RatingScore | null;
      const mode = textOrNull(c.mode721) as Mode721 | null;
      const outcome = textOrNull(c.outcome);
      const closedAt = c.closedAt === null || c.closedAt === undefined ? null : date(c.closedAt);
      return {
        number: String(c.number),
        matter: textOrNull(c.itemName),
        itemCode: textOrNull(c.itemCode),
        post: textOrNull(c.post),
        department: textOrNull(c.departmentName),
        street: textOrNull(c.streetName),
        location: coarseLocation(numOrNull(c.lat), numOrNull(c.lng)),
        outcome: outcome ? redactPersonalData(outcome, { names: [String(c.reporterName)] }) : null,
        createdDate: districtDay(date(c.createdAt)),
        closedDate: closedAt ? districtDay(closedAt) : null,
        mode721: mode,
        mode721Label: mode ? (MODE_721_LABELS[mode] ?? null) : null,
        satisfaction: score,
        satisfactionLabel: score ? (RATING_LABELS[score] ?? null) : null,
        photos: (photosOf.get(Number(c.id)) ?? [])
          .filter((a) =>
            isPublishablePhoto(
              {
                publicPath: textOrNull(a.publicPath),
                uploadedById: numOrNull(a.uploadedById),
                event: { type: String(a.type), actorId: numOrNull(a.actorId), actorRole: String(a.actorRole) },
              },
              reporterId,
            ),
          )
          .map((a) => `/api/public/attachments/${String(a.publicKey)}`),
      };
    });
  return { items, total };
}

/**
 * A case still being handled, as the public may see it: so a resident can tell a problem is
 * already reported. Only the matter, the street, the state and the day, and the point rounded
 * to ~100 m; never the report text, the address, the reporter or photos.
 */
export interface PublicOpenCase {
  number: string;
  matter: string | null;
  street: string | null;
  status: string;
  statusLabel: string;
  createdDate: string;
  location: { lat: number; lng: number } | null;
}

/**
 * Two plain statements on the reader pool (db/reader-pool.ts): anyone may load /public, and the
 * count over every open case plus 200 rows through Prisma held the event loop ~30 ms a visit.
 */
export async function publicOpenCases(db: Db, take: number): Promise<{ items: PublicOpenCase[]; total: number }> {
  const read = readerOf(db);
  const open = [...OPEN_STATUSES] as string[];
  const inList = `(${open.map(() => '?').join(', ')})`;
  // The count is the tally's (db/case-tally.ts); the rows walk the createdAt index newest first
  // (status unindexed): through the status index SQLite fetched and sorted every open case,
  // ~150,000 at 1M cases and over a second a visit, to keep 200.
  const [total, rows] = await Promise.all([
    tallySum(db, { text: `c."status" IN ${inList}`, params: open }),
    read(
      `SELECT c."number" AS "number", c."status" AS "status", c."lat" AS "lat", c."lng" AS "lng", c."createdAt" AS "createdAt",
              i."name" AS "itemName", s."name" AS "streetName"
       FROM "Case" c LEFT JOIN "PowerItem" i ON i."id" = c."itemId" LEFT JOIN "Street" s ON s."id" = c."streetId"
       WHERE ${unindexed(read.dialect, 'c."status"')} IN ${inList} ORDER BY c."createdAt" DESC, c."id" DESC LIMIT ?`,
      ...open,
      take,
    ),
  ]);
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  const items = rows.map((c): PublicOpenCase => {
    const status = String(c.status);
    const lat = num(c.lat);
    const lng = num(c.lng);
    return {
      number: String(c.number),
      matter: c.itemName === null || c.itemName === undefined ? null : String(c.itemName),
      street: c.streetName === null || c.streetName === undefined ? null : String(c.streetName),
      status,
      statusLabel: STATUS_LABELS[status as CaseStatus] ?? status,
      createdDate: districtDay(c.createdAt instanceof Date ? c.createdAt : new Date(String(c.createdAt))),
      location: coarseLocation(lat, lng),
    };
  });
  return { items, total };
}
