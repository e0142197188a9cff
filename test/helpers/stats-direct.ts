// The statistics computed from the cases and events themselves, ignoring every rollup and cache:
// the reference test/integration/stats-rollups.test.ts checks the served figures against. Not used
// by the product, which reads the rollups and event facts (db/stats-queries.ts).
import type { Period } from '../../core/stats/period-fns.ts';
import { PERSON_FIGURE_ROLES, REWORK_EVENT_TYPES } from '../../core/stats/assessment-rules.ts';
import type { DepartmentEventRow, PersonRow, StatsRows } from '../../core/stats/stats-types.ts';
import type { Db } from '../../db/prisma-client.ts';
import { readerOf, type ReadQuery } from '../../db/reader-pool.ts';
import { countTrue, jsonField, unindexed } from '../../db/sql-dialect.ts';
import { sqlDate } from '../../db/sql-values.ts';
import { caseRowsDirect, settledRows } from '../../db/stats-queries.ts';
import { HANDLED_ON_TIME, list, num } from '../../db/stats-sql.ts';

const id = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Every row computed from the cases and events themselves, ignoring the rollups: the reference the rollups are checked against. */
export async function loadStatsRowsDirect(
  db: Db,
  period: Period,
  streetId: number | null,
  now: Date,
): Promise<StatsRows> {
  const read = readerOf(db);
  const [cases, events] = await Promise.all([
    caseRowsDirect(read, period, streetId, now),
    eventRows(read, period, streetId),
  ]);
  return { ...cases, ...events };
}

/** The event-based rows (部门考核, 人员考核, patrol findings): read from the events of the period. */
async function eventRows(
  read: ReadQuery,
  period: Period,
  streetId: number | null,
  withPeople = true,
): Promise<Pick<StatsRows, 'departmentEvents' | 'people' | 'settled'>> {
  const from = sqlDate(period.from);
  const to = sqlDate(period.to);
  const street = streetId === null ? '' : ' AND +c."streetId" = ?';
  const streetArg = streetId === null ? [] : [streetId];
  const d = read.dialect;
  const [departmentEvents, people, settled] = await Promise.all([
    // 部门考核: referrals by the department named in the referred event; accepted in time by
    // one of its people before the case's responseDueAt; returns by its people. Unary + keeps
    // the acceptance lookup on the case's own events (caseId, id) rather than every acceptance.
    read(
      `SELECT dp."id" AS "departmentId", COUNT(*) AS referred,
              ${countTrue(`EXISTS (SELECT 1 FROM "CaseEvent" a JOIN "Person" ap ON ap."id" = a."actorId"
                          WHERE a."caseId" = e."caseId" AND a."id" > e."id" AND ${unindexed(d, 'a."type"')} = 'accepted'
                            AND ap."departmentId" = dp."id" AND a."createdAt" <= c."responseDueAt")`)} AS "acceptedInTime",
              0 AS returned
       FROM "CaseEvent" e JOIN "Case" c ON c."id" = e."caseId"
         JOIN "Department" dp ON dp."name" = ${jsonField(d, 'e."data"', 'department')}
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
    !withPeople
      ? Promise.resolve([] as Record<string, unknown>[])
      : read(
          `WITH handled AS (
         SELECT e."actorId" AS personId, e."caseId" AS caseId, MIN(e."id") AS firstId
         FROM "CaseEvent" e WHERE e."type" = 'resolved' AND e."createdAt" >= ? AND e."createdAt" < ? AND e."actorId" IS NOT NULL
           ${streetId === null ? '' : 'AND e."actorId" IN (SELECT "id" FROM "Person" WHERE "streetId" = ?)'}
         GROUP BY 1, 2
       ), agg AS (
         SELECT h.personId AS personId, COUNT(*) AS handled, ${countTrue(HANDLED_ON_TIME)} AS onTime,
                ${countTrue(`(c."reworkCount" > 0 OR c."reopenCount" > 0)
                    AND EXISTS (SELECT 1 FROM "CaseEvent" r WHERE r."caseId" = h.caseId AND r."id" > h.firstId
                                AND ${unindexed(d, 'r."type"')} IN ${list(REWORK_EVENT_TYPES)})`)} AS rework
         FROM handled h JOIN "Case" c ON c."id" = h.caseId GROUP BY 1
       ), assigned AS (
         SELECT DISTINCT CAST(${jsonField(d, 'e."data"', 'assigneeId')} AS INTEGER) AS personId
         FROM "CaseEvent" e WHERE e."type" = 'assigned' AND e."createdAt" >= ? AND e."createdAt" < ?
       )
       SELECT p."id" AS "personId", p."displayName" AS name, p."role" AS role, p."streetId" AS "streetId",
              COALESCE(a.handled, 0) AS handled, COALESCE(a.onTime, 0) AS "onTime", COALESCE(a.rework, 0) AS rework
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
    settledRows(read, period, streetId),
  ]);
  return {
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
    settled,
  };
}
