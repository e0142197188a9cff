import type { Period } from '../core/stats/period-fns.ts';
import { NEVER_DUE_STATUSES, PERSON_FIGURE_ROLES, REWORK_EVENT_TYPES } from '../core/stats/assessment-rules.ts';
import type {
  CaseGroupRow,
  DepartmentEventRow,
  DueRow,
  PersonRow,
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
 * - "due" (应结案数), "postponed" and "closed on time" follow core/stats/assessment-rules.ts
 *   (isDueInPeriod, isPostponed, isClosedOnTime), judged at `now`, grouped by street and by
 *   handling department;
 * - department events (部门考核): referrals to each department in the period, those the
 *   department accepted by the case's responseDueAt, and returns by the department's people;
 * - per-person figures (人员考核): team leads' and enforcers' cases resolved in the period,
 *   of those closed by the deadline and not postponed (isHandledOnTime), and of those sent back
 *   (REWORK_EVENT_TYPES) after their resolution; people only assigned in the period show zeros;
 * - ratings given within the period, attributed to the case's street;
 * - patrol findings settled on the spot within the period (721 "service"), attributed to
 *   the patrol's street, or the inspector's when the finding has no patrol.
 */

/** COUNT and SUM come back as bigint (or null over no rows). */
const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const id = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const list = (xs: readonly string[]) => `(${xs.map((x) => `'${x}'`).join(', ')})`;
/** closedByDeadline in assessment-rules.ts. */
const CLOSED_BY_DEADLINE = `(c."status" = 'closed' AND c."closedAt" IS NOT NULL AND c."dueAt" IS NOT NULL AND c."closedAt" <= c."dueAt")`;
/** isHandledOnTime in assessment-rules.ts. */
const HANDLED_ON_TIME = `(${CLOSED_BY_DEADLINE} AND c."postponed" = 0)`;

/** SQLite's modifier shifting UTC to district time for date(): keep in step with DISTRICT_OFFSET_MS. */
const DISTRICT_SHIFT = "'+8 hours'";

export async function loadStatsRows(db: Db, period: Period, streetId: number | null, now: Date): Promise<StatsRows> {
  const from = sqlDate(period.from);
  const to = sqlDate(period.to);
  // A deadline counts only once it has passed: the due branch on dueAt stops at now.
  const dueCutoff = sqlDate(new Date(Math.min(period.to.getTime(), now.getTime())));
  // Unary + keeps SQLite on the date range: the (streetId, status) index would fetch the
  // street's cases of every year to keep the few of the period.
  const street = streetId === null ? '' : ' AND +c."streetId" = ?';
  const streetArg = streetId === null ? [] : [streetId];

  // GROUP BY streetId + 0 rather than the bare column: over a long period SQLite otherwise
  // walks the (streetId, status) index to skip the sort, fetching every row in street order;
  // a range on createdAt followed by a small sort is far cheaper.
  const [groups, due, departmentEvents, people, ratings, settled, created, closed] = await Promise.all([
    db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT c."streetId" + 0 AS streetId, c."status" AS status, c."post" AS post, c."mode721" AS mode721,
              COUNT(*) AS cases, SUM(c."reworkCount") AS reworkSum, SUM(c."reopenCount" > 0) AS reopened,
              COUNT(c."resolvedAt") AS resolvedCount, SUM(c."autoVerified") AS autoVerified,
              SUM((julianday(c."resolvedAt") - julianday(c."createdAt")) * 24.0) AS hours
       FROM "Case" c WHERE c."createdAt" >= ? AND c."createdAt" < ?${street}
       GROUP BY 1, 2, 3, 4`,
      from,
      to,
      ...streetArg,
    ),
    // isDueInPeriod as two disjoint range scans: closed by the deadline within the period (on
    // closedAt), otherwise a deadline within the period that has passed (on dueAt).
    db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT streetId, departmentId, SUM(due) AS due, SUM(postponed) AS postponed, SUM(onTime) AS onTime FROM (
         SELECT c."streetId" + 0 AS streetId, c."departmentId" + 0 AS departmentId, COUNT(*) AS due,
                SUM(c."postponed") AS postponed, SUM(c."postponed" = 0) AS onTime
         FROM "Case" c WHERE c."closedAt" >= ? AND c."closedAt" < ? AND ${CLOSED_BY_DEADLINE}${street} GROUP BY 1, 2
         UNION ALL
         SELECT c."streetId" + 0, c."departmentId" + 0, COUNT(*), SUM(c."postponed"), 0
         FROM "Case" c WHERE c."dueAt" >= ? AND c."dueAt" < ? AND c."status" NOT IN ${list(NEVER_DUE_STATUSES)}
           AND NOT ${CLOSED_BY_DEADLINE}${street} GROUP BY 1, 2
       ) GROUP BY 1, 2`,
      from,
      to,
      ...streetArg,
      from,
      dueCutoff,
      ...streetArg,
    ),
    // 部门考核: referrals by the department named in the referred event; accepted in time by
    // one of its people before the case's responseDueAt; returns by its people. Unary + keeps
    // the acceptance lookup on the case's own events (caseId, id) rather than every acceptance.
    db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT d."id" AS departmentId, COUNT(*) AS referred,
              SUM(EXISTS (SELECT 1 FROM "CaseEvent" a JOIN "Person" ap ON ap."id" = a."actorId"
                          WHERE a."caseId" = e."caseId" AND a."id" > e."id" AND +a."type" = 'accepted'
                            AND ap."departmentId" = d."id" AND a."createdAt" <= c."responseDueAt")) AS acceptedInTime,
              0 AS returned
       FROM "CaseEvent" e JOIN "Case" c ON c."id" = e."caseId"
         JOIN "Department" d ON d."name" = json_extract(e."data", '$.department')
       WHERE e."type" = 'referred' AND e."createdAt" >= ? AND e."createdAt" < ?${street}
       GROUP BY 1
       UNION ALL
       SELECT ap."departmentId", 0, 0, COUNT(*)
       FROM "CaseEvent" e JOIN "Person" ap ON ap."id" = e."actorId" JOIN "Case" c ON c."id" = e."caseId"
       WHERE e."type" = 'returned' AND e."createdAt" >= ? AND e."createdAt" < ? AND ap."departmentId" IS NOT NULL${street}
       GROUP BY 1`,
      from,
      to,
      ...streetArg,
      from,
      to,
      ...streetArg,
    ),
    // 人员考核: each case counts once per person (its first resolution by them in the period).
    // Aggregated per person before joining Person; the rework lookup runs only for cases whose
    // counters say they were ever sent back, on the case's own events.
    db.$queryRawUnsafe<Record<string, unknown>[]>(
      `WITH handled AS (
         SELECT e."actorId" AS personId, e."caseId" AS caseId, MIN(e."id") AS firstId
         FROM "CaseEvent" e WHERE e."type" = 'resolved' AND e."createdAt" >= ? AND e."createdAt" < ? AND e."actorId" IS NOT NULL
           ${streetId === null ? '' : 'AND e."actorId" IN (SELECT "id" FROM "Person" WHERE "streetId" = ?)'}
         GROUP BY 1, 2
       ), agg AS (
         SELECT h.personId AS personId, COUNT(*) AS handled, SUM(${HANDLED_ON_TIME}) AS onTime,
                SUM((c."reworkCount" > 0 OR c."reopenCount" > 0)
                    AND EXISTS (SELECT 1 FROM "CaseEvent" r WHERE r."caseId" = h.caseId AND r."id" > h.firstId
                                AND +r."type" IN ${list(REWORK_EVENT_TYPES)})) AS rework
         FROM handled h JOIN "Case" c ON c."id" = h.caseId GROUP BY 1
       ), assigned AS (
         SELECT DISTINCT CAST(json_extract(e."data", '$.assigneeId') AS INTEGER) AS personId
         FROM "CaseEvent" e WHERE e."type" = 'assigned' AND e."createdAt" >= ? AND e."createdAt" < ?
       )
       SELECT p."id" AS personId, p."displayName" AS name, p."role" AS role, p."streetId" AS streetId,
              COALESCE(a.handled, 0) AS handled, COALESCE(a.onTime, 0) AS onTime, COALESCE(a.rework, 0) AS rework
       FROM "Person" p LEFT JOIN agg a ON a.personId = p."id"
       WHERE p."role" IN ${list(PERSON_FIGURE_ROLES)}
         AND (a.personId IS NOT NULL OR p."id" IN (SELECT personId FROM assigned))
         ${streetId === null ? '' : 'AND p."streetId" = ?'}`,
      from,
      to,
      ...streetArg,
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
      autoVerified: num(r.autoVerified),
      handlingHoursSum: num(r.hours),
    })),
    due: due.map((r): DueRow => ({
      streetId: id(r.streetId),
      departmentId: id(r.departmentId),
      due: num(r.due),
      postponed: num(r.postponed),
      onTime: num(r.onTime),
    })),
    departmentEvents: departmentEvents.map((r): DepartmentEventRow => ({
      departmentId: num(r.departmentId),
      referred: num(r.referred),
      acceptedInTime: num(r.acceptedInTime),
      returned: num(r.returned),
    })),
    people: people.map((r): PersonRow => ({
      personId: num(r.personId),
      name: String(r.name),
      role: String(r.role),
      streetId: id(r.streetId),
      handled: num(r.handled),
      onTime: num(r.onTime),
      rework: num(r.rework),
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

/** The departments cases are referred to (移送), in their published order. */
export async function referralDepartments(db: Db): Promise<Array<{ id: number; name: string }>> {
  return db.department.findMany({
    where: { kind: 'department' },
    orderBy: { code: 'asc' },
    select: { id: true, name: true },
  });
}
