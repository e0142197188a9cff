import { MODE_721_LABELS, RATING_LABELS, type Mode721, type RatingScore } from '../../core/case/case-types.ts';
import { coarseLocation, redactPersonalData } from '../../core/case/anonymise-fns.ts';
import { districtDay } from '../../core/stats/period-fns.ts';
import type { Db } from '../../db/prisma-client.ts';

/**
 * Closed cases for the public page, by the same rules as GET /api/public/cases
 * (server/routes/public-routes.ts): built field by field from an allow-list, outcome text
 * redacted, coordinates rounded to ~100 m, only handlers' EXIF-free photo copies. No names,
 * phones, chat ids, addresses or report text are selected at all, so none can be rendered.
 */
export interface PublicCase {
  number: string;
  matter: string | null;
  post: string | null;
  department: string | null;
  street: string | null;
  location: { lat: number; lng: number } | null;
  outcome: string | null;
  createdDate: string;
  closedDate: string | null;
  mode721Label: string | null;
  satisfactionLabel: string | null;
  photos: string[];
}

export async function listPublicCases(db: Db, page: number, pageSize: number): Promise<{ items: PublicCase[]; total: number }> {
  const where = { status: 'closed' };
  const [total, rows] = await Promise.all([
    db.case.count({ where }),
    db.case.findMany({
      where,
      orderBy: [{ closedAt: 'desc' }, { id: 'desc' }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        number: true, post: true, lat: true, lng: true, outcome: true, createdAt: true, closedAt: true, mode721: true, reporterId: true,
        item: { select: { name: true } },
        street: { select: { name: true } },
        department: { select: { name: true } },
        ratings: { orderBy: { id: 'desc' }, take: 1, select: { score: true } },
        attachments: { where: { publicPath: { not: null } }, orderBy: { id: 'asc' }, select: { id: true, uploadedById: true } },
      },
    }),
  ]);
  const items = rows.map((c): PublicCase => {
    const score = (c.ratings[0]?.score ?? null) as RatingScore | null;
    const mode = c.mode721 as Mode721 | null;
    return {
      number: c.number,
      matter: c.item?.name ?? null,
      post: c.post,
      department: c.department?.name ?? null,
      street: c.street?.name ?? null,
      location: coarseLocation(c.lat, c.lng),
      outcome: c.outcome ? redactPersonalData(c.outcome) : null,
      createdDate: districtDay(c.createdAt),
      closedDate: c.closedAt ? districtDay(c.closedAt) : null,
      mode721Label: mode ? (MODE_721_LABELS[mode] ?? null) : null,
      satisfactionLabel: score ? (RATING_LABELS[score] ?? null) : null,
      // A resident's own photos could show who or where they are: handlers' photos only.
      photos: c.attachments.filter((a) => a.uploadedById !== c.reporterId).map((a) => `/api/public/attachments/${a.id}`),
    };
  });
  return { items, total };
}
