import type { Period } from '../core/stats/period-fns.ts';
import { PERSON_FIGURE_ROLES } from '../core/stats/assessment-rules.ts';
import type { DepartmentEventRow, PersonRow } from '../core/stats/stats-types.ts';
import type { ReadQuery } from './reader-pool.ts';
import { countTrue, jsonField } from './sql-dialect.ts';
import { sqlDate } from './sql-values.ts';
import { coverKeys, DISTRICT_ROWS } from '../core/stats/rollup-blocks.ts';
import { HANDLED_ON_TIME, list, num } from './stats-sql.ts';

/**
 * The per-person (人员考核) and department (部门考核) rows of a period from the event facts and
 * rollups (db/stats-event-rollup.ts), with the same figures as the direct statements over
 * "CaseEvent" in db/stats-queries.ts (test/integration/stats-rollups.test.ts compares them):
 * whole district days are summed from "StatsEventRollup", the hours around them read from
 * "StatsEventFact" by its (kind, at) index.
 *
 * A case counts once per person, at their first resolution in the period: that is a
 * 'resolved' fact (their first ever) inside the period, or a 'reresolved' one inside it whose
 * previous resolution lies before the period. The first kind is summed per day; the second is
 * rare (a second resolution by the same person after rework) and read per request.
 */

const SENT_BACK = `(f."flag" AND (c."reworkCount" > 0 OR c."reopenCount" > 0))`;

/** Sums per (kind, owner) over whole days: what the cache of whole-day parts keeps. */
export interface EventSum {
  kind: string;
  ownerId: number;
  n: number;
  onTime: number;
  rework: number;
  acceptedInTime: number;
}

const toEventSum = (r: Record<string, unknown>): EventSum => ({
  kind: String(r.kind),
  ownerId: num(r.ownerId),
  n: num(r.n),
  onTime: num(r.onTime),
  rework: num(r.rework),
  acceptedInTime: num(r.acceptedInTime),
});

/** The event rollups of whole district days [fromDay, toDay). */
export async function eventSumsFromRollups(
  read: ReadQuery,
  fromDay: string,
  toDay: string,
  streetId: number | null,
  withPeople: boolean,
): Promise<EventSum[]> {
  const sums = `SELECT "kind", "ownerId", SUM("n") AS n, SUM("onTime") AS "onTime", SUM("rework") AS rework,
    SUM("acceptedInTime") AS "acceptedInTime" FROM "StatsEventRollup"`;
  // The period's few day and block keys (core/stats/rollup-blocks.ts), not one key per day.
  const keys = coverKeys(fromDay, toDay);
  const inKeys = `"day" IN (${keys.map(() => '?').join(', ')})`;
  const [people, departments] = await Promise.all([
    withPeople
      ? read(`${sums} WHERE "kind" IN ('handled', 'assigned') AND ${inKeys} GROUP BY 1, 2`, ...keys)
      : Promise.resolve([]),
    // The district's from its own rows (DISTRICT_ROWS), not a sum over its streets'.
    read(
      `${sums} WHERE "kind" IN ('referred', 'returned') AND ${inKeys} AND "streetId" = ? GROUP BY 1, 2`,
      ...keys,
      streetId ?? DISTRICT_ROWS,
    ),
  ]);
  return [...people, ...departments].map(toEventSum);
}

/** The same sums for a few hours [from, to), from the facts themselves. */
export async function eventSumsOfHours(
  read: ReadQuery,
  w: Period,
  streetId: number | null,
  withPeople: boolean,
): Promise<EventSum[]> {
  const from = sqlDate(w.from);
  const to = sqlDate(w.to);
  const d = read.dialect;
  const [handled, assigned, departments] = await Promise.all([
    withPeople
      ? read(
          `SELECT 'handled' AS kind, f."ownerId" AS "ownerId", COUNT(*) AS n, ${countTrue(HANDLED_ON_TIME)} AS "onTime",
                  ${countTrue(SENT_BACK)} AS rework, 0 AS "acceptedInTime"
           FROM "StatsEventFact" f JOIN "Case" c ON c."id" = f."caseId"
           WHERE f."kind" = 'resolved' AND f."at" >= ? AND f."at" < ? GROUP BY 2`,
          from,
          to,
        )
      : Promise.resolve([]),
    withPeople
      ? read(
          `SELECT 'assigned' AS kind, CAST(${jsonField(d, 'e."data"', 'assigneeId')} AS INTEGER) AS "ownerId", COUNT(*) AS n,
                  0 AS "onTime", 0 AS rework, 0 AS "acceptedInTime"
           FROM "CaseEvent" e WHERE e."type" = 'assigned' AND e."createdAt" >= ? AND e."createdAt" < ?
             AND ${jsonField(d, 'e."data"', 'assigneeId')} IS NOT NULL GROUP BY 2`,
          from,
          to,
        )
      : Promise.resolve([]),
    read(
      `SELECT f."kind" AS kind, f."ownerId" AS "ownerId", COUNT(*) AS n, 0 AS "onTime", 0 AS rework,
              ${countTrue('f."flag"')} AS "acceptedInTime"
       FROM "StatsEventFact" f JOIN "Case" c ON c."id" = f."caseId"
       WHERE f."kind" IN ('referred', 'returned') AND f."at" >= ? AND f."at" < ?${streetId === null ? '' : ' AND c."streetId" = ?'}
       GROUP BY 1, 2`,
      from,
      to,
      ...(streetId === null ? [] : [streetId]),
    ),
  ]);
  return [...handled, ...assigned, ...departments].map(toEventSum);
}

/** The people the per-person figures name (team leads and enforcers), as read from "Person". */
export interface PersonLabel {
  id: number;
  name: string;
  role: string;
  streetId: number | null;
}

/** Every person the per-person figures may name, in the district (one street's: filter by streetId). */
export async function personLabels(read: ReadQuery, streetId: number | null = null): Promise<PersonLabel[]> {
  const rows = await read(
    `SELECT "id", "displayName" AS name, "role", "streetId" FROM "Person" WHERE "role" IN ${list(PERSON_FIGURE_ROLES)}${streetId === null ? '' : ' AND "streetId" = ?'}`,
    ...(streetId === null ? [] : [streetId]),
  );
  return rows.map((p) => ({
    id: num(p.id),
    name: String(p.name),
    role: String(p.role),
    streetId: p.streetId === null || p.streetId === undefined ? null : num(p.streetId),
  }));
}

/**
 * The event rows of a period: `whole` (sums of its whole days, possibly cached by the caller)
 * plus the facts of `hours` (the parts of the period outside those days) and the period's
 * second resolutions whose first lies before it. `everyPerson`: the district's personLabels(),
 * when the caller keeps them (the labels' cache); otherwise the scope's are read here.
 * `knownRepeats`: those second resolutions summed already (db/stats-hour-rows.ts repeatSums).
 */
export async function eventRowsFromFacts(
  read: ReadQuery,
  period: Period,
  whole: Promise<EventSum[]> | null,
  hours: readonly Period[],
  streetId: number | null,
  withPeople: boolean,
  everyPerson?: Promise<readonly PersonLabel[]>,
  knownRepeats?: Promise<EventSum[]>,
): Promise<{ departmentEvents: DepartmentEventRow[]; people: PersonRow[] }> {
  const [wholeSums, persons, repeats, ...hourSums] = await Promise.all([
    whole ?? Promise.resolve([]),
    withPeople
      ? everyPerson
        ? everyPerson.then((ps) => (streetId === null ? ps : ps.filter((p) => p.streetId === streetId)))
        : personLabels(read, streetId)
      : Promise.resolve([]),
    !withPeople
      ? Promise.resolve([])
      : knownRepeats
        ? knownRepeats
        : read(
            `SELECT 'handled' AS kind, f."ownerId" AS "ownerId", COUNT(*) AS n, ${countTrue(HANDLED_ON_TIME)} AS "onTime",
                  ${countTrue(SENT_BACK)} AS rework, 0 AS "acceptedInTime"
           FROM "StatsEventFact" f JOIN "Case" c ON c."id" = f."caseId"
           WHERE f."kind" = 'reresolved' AND f."at" >= ? AND f."at" < ? AND f."prevAt" < ? GROUP BY 2`,
            sqlDate(period.from),
            sqlDate(period.to),
            sqlDate(period.from),
          ),
    ...hours.map((w) => eventSumsOfHours(read, w, streetId, withPeople)),
  ]);
  const all: EventSum[] = [
    ...wholeSums,
    ...repeats.map((r) => ({
      kind: 'handled',
      ownerId: num(r.ownerId),
      n: num(r.n),
      onTime: num(r.onTime),
      rework: num(r.rework),
      acceptedInTime: 0,
    })),
    ...hourSums.flat(),
  ];

  const departmentEvents = all
    .filter((s) => s.kind === 'referred' || s.kind === 'returned')
    .map((s): DepartmentEventRow => ({
      departmentId: s.ownerId,
      referred: s.kind === 'referred' ? s.n : 0,
      acceptedInTime: s.kind === 'referred' ? s.acceptedInTime : 0,
      returned: s.kind === 'returned' ? s.n : 0,
    }));

  const handled = new Map<number, { n: number; onTime: number; rework: number }>();
  const assigned = new Set<number>();
  for (const s of all) {
    if (s.kind === 'assigned' && s.n > 0) assigned.add(s.ownerId);
    if (s.kind !== 'handled') continue;
    const h = handled.get(s.ownerId) ?? { n: 0, onTime: 0, rework: 0 };
    h.n += s.n;
    h.onTime += s.onTime;
    h.rework += s.rework;
    handled.set(s.ownerId, h);
  }
  const people = persons.flatMap((p): PersonRow[] => {
    const personId = p.id;
    const h = handled.get(personId);
    if (!(h && h.n > 0) && !assigned.has(personId)) return [];
    return [
      {
        personId,
        name: p.name,
        role: p.role,
        streetId: p.streetId,
        handled: h && h.n > 0 ? h.n : 0,
        onTime: h && h.n > 0 ? h.onTime : 0,
        rework: h && h.n > 0 ? h.rework : 0,
      },
    ];
  });
  return { departmentEvents, people };
}
