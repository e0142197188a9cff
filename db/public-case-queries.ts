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
import { publishedCasePage } from './case-queries.ts';
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
  const found = await db.case.findMany({
    where: { id: { in: ids }, status: 'closed' },
    select: {
      id: true,
      number: true,
      post: true,
      lat: true,
      lng: true,
      outcome: true,
      createdAt: true,
      closedAt: true,
      mode721: true,
      reporterId: true,
      reporter: { select: { displayName: true } },
      item: { select: { code: true, name: true } },
      street: { select: { name: true } },
      department: { select: { name: true } },
      ratings: { orderBy: { id: 'desc' }, take: 1, select: { score: true } },
      attachments: {
        where: { publicPath: { not: null }, event: { type: 'resolved' } },
        orderBy: { id: 'asc' },
        select: { publicKey: true, ...publishFactsSelect },
      },
    },
  });
  const byId = new Map(found.map((c) => [c.id, c]));
  const items = ids
    .flatMap((id) => byId.get(id) ?? [])
    .map((c): PublicCase => {
      const score = (c.ratings[0]?.score ?? null) as RatingScore | null;
      const mode = c.mode721 as Mode721 | null;
      return {
        number: c.number,
        matter: c.item?.name ?? null,
        itemCode: c.item?.code ?? null,
        post: c.post,
        department: c.department?.name ?? null,
        street: c.street?.name ?? null,
        location: coarseLocation(c.lat, c.lng),
        outcome: c.outcome ? redactPersonalData(c.outcome, { names: [c.reporter.displayName] }) : null,
        createdDate: districtDay(c.createdAt),
        closedDate: c.closedAt ? districtDay(c.closedAt) : null,
        mode721: mode,
        mode721Label: mode ? (MODE_721_LABELS[mode] ?? null) : null,
        satisfaction: score,
        satisfactionLabel: score ? (RATING_LABELS[score] ?? null) : null,
        photos: c.attachments
          .filter((a) => isPublishablePhoto(a, c.reporterId))
          .map((a) => `/api/public/attachments/${a.publicKey}`),
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
  const [[count], rows] = await Promise.all([
    read(`SELECT COUNT(*) AS "n" FROM "Case" c WHERE c."status" IN ${inList}`, ...open),
    read(
      `SELECT c."number" AS "number", c."status" AS "status", c."lat" AS "lat", c."lng" AS "lng", c."createdAt" AS "createdAt",
              i."name" AS "itemName", s."name" AS "streetName"
       FROM "Case" c LEFT JOIN "PowerItem" i ON i."id" = c."itemId" LEFT JOIN "Street" s ON s."id" = c."streetId"
       WHERE c."status" IN ${inList} ORDER BY c."createdAt" DESC, c."id" DESC LIMIT ?`,
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
  return { items, total: Number(count?.n ?? 0) };
}
