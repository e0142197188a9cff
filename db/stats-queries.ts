import type { Period } from '../core/stats/period-fns.ts';
import type {
  CaseGroupRow,
  DueRow,
  RatingRow,
  SettledFindingRow,
  StatsRows,
  TrendRow,
} from '../core/stats/stats-types.ts';
import type { Db } from './prisma-client.ts';
import { sqlDate } from './sql-values.ts';

/**
 * Statistics as GROUP BY in SQLite: a handful of scans per request whatever the number of
 * cases, folded into figures by core/stats/stats-fns.ts.
 *
 * Populations (all for the period [from, to) and the street in scope):
 * - "cases in the period" = cases created within it: counts by status and post, closure rate,
 *   average handling hours (createdAt → resolvedAt, over those resolved), rework, reopen rate
 *   and the 721 counts (over those resolved or closed);
 * - "due" (应结案数), as assessments count it: cases with a deadline that either fell due
 *   within the period or were closed within it (early closures count in the period they were
 *   closed in, so nothing finished is left out). Merged and rejected cases are never due.
 *   "Closed on time" = closed, not postponed, and resolved (办结) no later than dueAt: the
 *   handler's deadline is judged at resolution, since verification is another person's step.
 *   Postponed cases (缓办, approved by the bureau) leave the denominator: due − postponed;
 * - ratings given within the period, attributed to the case's street;
 * - patrol findings settled on the spot within the period (721 "service"), attributed to
 *   the patrol's street, or the inspector's when the finding has no patrol.
 */

/** COUNT and SUM come back as bigint (or null over no rows). */
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const id = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Merged and rejected cases are never due (they are not 应结案). */
const DUE_STATUSES = "('triage', 'dispatched', 'accepted', 'resolved', 'closed')";
const ON_TIME = `SUM(c."postponed" = 0 AND c."status" = 'closed' AND c."resolvedAt" IS NOT NULL AND c."resolvedAt" <= c."dueAt")`;

/** SQLite's modifier shifting UTC to district time for date(): keep in step with DISTRICT_OFFSET_MS. */
const DISTRICT_SHIFT = "'+8 hours'";

export async function loadStatsRows(db: Db, period: Period, streetId: number | null): Promise<StatsRows> {
  const from = sqlDate(period.from);
  const to = sqlDate(period.to);
  // Unary + keeps SQLite on the date range: the (streetId, status) index would fetch the
  // street's cases of every year to keep the few of the period.
  const street = streetId === null ? '' : ' AND +c."streetId" = ?';
  const streetArg = streetId === null ? [] : [streetId];

  // GROUP BY streetId + 0 rather than the bare column: over a long period SQLite otherwise
  // walks the (streetId, status) index to skip the sort, fetching every row in street order;
  // a range on createdAt followed by a small sort is far cheaper.
  const [groups, due, ratings, settled, created, closed] = await Promise.all([
    db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT c."streetId" + 0 AS streetId, c."status" AS status, c."post" AS post, c."mode721" AS mode721,
              COUNT(*) AS cases, SUM(c."reworkCount") AS reworkSum, SUM(c."reopenCount" > 0) AS reopened,
              COUNT(c."resolvedAt") AS resolvedCount,
              SUM((julianday(c."resolvedAt") - julianday(c."createdAt")) * 24.0) AS hours
       FROM "Case" c WHERE c."createdAt" >= ? AND c."createdAt" < ?${street}
       GROUP BY 1, 2, 3, 4`,
      from,
      to,
      ...streetArg,
    ),
    // Due = deadline in the period, plus (disjointly) closed in the period with a deadline
    // outside it: two range scans (on dueAt, on closedAt) instead of one OR over the table.
    db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT streetId, SUM(due) AS due, SUM(postponed) AS postponed, SUM(onTime) AS onTime FROM (
         SELECT c."streetId" + 0 AS streetId, COUNT(*) AS due, SUM(c."postponed") AS postponed, ${ON_TIME} AS onTime
         FROM "Case" c WHERE c."status" IN ${DUE_STATUSES} AND c."dueAt" >= ? AND c."dueAt" < ?${street} GROUP BY 1
         UNION ALL
         SELECT c."streetId" + 0, COUNT(*), SUM(c."postponed"), ${ON_TIME}
         FROM "Case" c WHERE c."closedAt" >= ? AND c."closedAt" < ? AND c."status" IN ${DUE_STATUSES}
           AND c."dueAt" IS NOT NULL AND NOT (c."dueAt" >= ? AND c."dueAt" < ?)${street} GROUP BY 1
       ) GROUP BY 1`,
      from,
      to,
      ...streetArg,
      from,
      to,
      from,
      to,
      ...streetArg,
    ),
    db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT c."streetId" AS streetId, r."score" AS score, COUNT(*) AS n
       FROM "Rating" r JOIN "Case" c ON c."id" = r."caseId"
       WHERE r."createdAt" >= ? AND r."createdAt" < ?${street}
       GROUP BY 1, 2`,
      from,
      to,
      ...streetArg,
    ),
    db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT COALESCE(p."streetId", i."streetId") AS streetId, COUNT(*) AS n
       FROM "PatrolFinding" f JOIN "Person" i ON i."id" = f."inspectorId" LEFT JOIN "Patrol" p ON p."id" = f."patrolId"
       WHERE f."outcome" = 'settled' AND f."createdAt" >= ? AND f."createdAt" < ?
         ${streetId === null ? '' : 'AND COALESCE(p."streetId", i."streetId") = ?'}
       GROUP BY 1`,
      from,
      to,
      ...streetArg,
    ),
    db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT date(c."createdAt", ${DISTRICT_SHIFT}) AS day, COUNT(*) AS n FROM "Case" c
       WHERE c."createdAt" >= ? AND c."createdAt" < ?${street} GROUP BY 1`,
      from,
      to,
      ...streetArg,
    ),
    db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT date(c."closedAt", ${DISTRICT_SHIFT}) AS day, COUNT(*) AS n FROM "Case" c
       WHERE c."closedAt" >= ? AND c."closedAt" < ?${street} GROUP BY 1`,
      from,
      to,
      ...streetArg,
    ),
  ]);

  return {
    groups: groups.map((r): CaseGroupRow => ({
      streetId: id(r.streetId),
      status: String(r.status),
      post: (r.post as string | null) ?? null,
      mode721: (r.mode721 as string | null) ?? null,
      cases: num(r.cases),
      reworkSum: num(r.reworkSum),
      reopened: num(r.reopened),
      resolvedCount: num(r.resolvedCount),
      handlingHoursSum: num(r.hours),
    })),
    due: due.map((r): DueRow => ({
      streetId: id(r.streetId),
      due: num(r.due),
      postponed: num(r.postponed),
      onTime: num(r.onTime),
    })),
    ratings: ratings.map((r): RatingRow => ({ streetId: id(r.streetId), score: String(r.score), n: num(r.n) })),
    settled: settled.map((r): SettledFindingRow => ({ streetId: id(r.streetId), n: num(r.n) })),
    createdPerDay: created.map((r): TrendRow => ({ day: String(r.day), n: num(r.n) })),
    closedPerDay: closed.map((r): TrendRow => ({ day: String(r.day), n: num(r.n) })),
  };
}

export async function streetsInScope(db: Db, streetId: number | null): Promise<Array<{ id: number; name: string }>> {
  return db.street.findMany({
    where: streetId === null ? {} : { id: streetId },
    orderBy: { code: 'asc' },
    select: { id: true, name: true },
  });
}
