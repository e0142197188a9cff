import { NEVER_DUE_STATUSES } from '../core/stats/assessment-rules.ts';
import { districtDay, type Period } from '../core/stats/period-fns.ts';
import type { CaseGroupRow, DueRow, RatingRow, SettledFindingRow, TrendRow } from '../core/stats/stats-types.ts';
import type { ReadQuery } from './reader-pool.ts';
import { jsonField } from './sql-dialect.ts';
import { sqlDate } from './sql-values.ts';
import type { EventSum } from './stats-event-queries.ts';
import { CLOSED_BY_DEADLINE, HANDLED_ON_TIME, idOrNull, list, num } from './stats-sql.ts';

/**
 * The minutes of a period bound inside a past hour, figured from that hour's rows kept in memory.
 * Every cold statistics request ("last 30 days" asked a moment later starts at another instant)
 * needs the figures of the minutes between its start and the next whole hour; as GROUP BY
 * statements over the cases, events and findings that was about ten sub-selects per request,
 * and on PostgreSQL their planning and execution (2–5 ms of server CPU per request) were what 16
 * clients queued on. The rows of one clock hour are few (a city's busiest hour: hundreds), so
 * they are read once per hour and scope, each with the conditions the figures test already
 * judged by the database (closed by the deadline, handled on time, sent back: the same SQL as
 * db/stats-queries.ts and stats-event-queries.ts), and any part of the hour is then a filter on
 * instants and a sum here: no statement at all. The caller caches them as long as the other
 * shared parts (STATS_CACHE_MS), and only for hours of past days, where no deadline still passes.
 */

/** A case with an instant (created, closed or deadline) inside the hour. */
interface HourCase {
  streetId: number | null;
  departmentId: number | null;
  status: string;
  post: string | null;
  mode721: string | null;
  reworkCount: number;
  reopened: number;
  autoVerified: number;
  postponed: number;
  byDeadline: number;
  mayBeDue: number;
  createdAt: number;
  resolvedAt: number | null;
  closedAt: number | null;
  dueAt: number | null;
}

/** The rows of one clock hour the figures of any part of it need (instants in milliseconds). */
export interface HourRows {
  hour: Period;
  cases: HourCase[];
  ratings: Array<{ streetId: number | null; score: string; at: number }>;
  settled: Array<{ streetId: number | null; at: number }>;
  /** 'resolved' facts (the per-person figures), with their flags as the figures judge them. */
  handled: Array<{ ownerId: number; at: number; onTime: number; rework: number }>;
  assigned: Array<{ ownerId: number; at: number }>;
  /** 'referred' and 'returned' facts of the scope. */
  departments: Array<{ kind: string; ownerId: number; at: number; accepted: number }>;
}

export const HOUR_MS = 3_600_000;

/** The clock hour `p` lies in, when it lies within one. */
export function hourOf(p: Period): Period | null {
  const from = Math.floor(p.from.getTime() / HOUR_MS) * HOUR_MS;
  if (p.to.getTime() > from + HOUR_MS) return null;
  return { from: new Date(from), to: new Date(from + HOUR_MS) };
}

export const hourRowsKey = (hour: Period, streetId: number | null, people: boolean) =>
  `hour-rows|${hour.from.toISOString()}|${streetId ?? 'district'}|${people ? 'people' : ''}`;

// Instants come back as Date (pg's parser), ISO text with an offset (SQLite) or ISO text
// without a zone, in UTC (a JSON sub-select on PostgreSQL, db/pg-read-many.ts).
const instant = (v: unknown): number =>
  v instanceof Date ? v.getTime() : Date.parse(/(Z|[+-]\d\d:?\d\d)$/.test(String(v)) ? String(v) : `${String(v)}Z`);
const instantOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : instant(v));
const flag = (cond: string) => `CASE WHEN ${cond} THEN 1 ELSE 0 END`;

/** Reads the rows of `hour` (a clock hour) for the scope, in one batch. */
export async function readHourRows(
  read: ReadQuery,
  hour: Period,
  streetId: number | null,
  withPeople: boolean,
): Promise<HourRows> {
  const [from, to] = [sqlDate(hour.from), sqlDate(hour.to)];
  const street = streetId === null ? '' : ' AND +c."streetId" = ?';
  const streetArg = streetId === null ? [] : [streetId];
  const d = read.dialect;
  // One branch per instant, each on its own index; UNION (the id keeps two alike cases apart)
  // takes a case with two instants in the hour once.
  const caseBranch = (column: string) =>
    `SELECT c."id" AS "id", c."streetId" AS "streetId", c."departmentId" AS "departmentId", c."status" AS "status",
            c."post" AS "post", c."mode721" AS "mode721", c."reworkCount" AS "reworkCount",
            ${flag('c."reopenCount" > 0')} AS "reopened", ${flag('c."autoVerified"')} AS "autoVerified",
            ${flag('c."postponed"')} AS "postponed", ${flag(CLOSED_BY_DEADLINE)} AS "byDeadline",
            ${flag(`c."status" NOT IN ${list(NEVER_DUE_STATUSES)}`)} AS "mayBeDue",
            c."createdAt" AS "createdAt", c."resolvedAt" AS "resolvedAt", c."closedAt" AS "closedAt", c."dueAt" AS "dueAt"
     FROM "Case" c WHERE c."${column}" >= ? AND c."${column}" < ?${street}`;
  const assignee = jsonField(d, 'e."data"', 'assigneeId');
  const [cases, ratings, settled, handled, assigned, departments] = await Promise.all([
    read(
      `${caseBranch('createdAt')} UNION ${caseBranch('closedAt')} UNION ${caseBranch('dueAt')}`,
      ...[from, to, ...streetArg],
      ...[from, to, ...streetArg],
      ...[from, to, ...streetArg],
    ),
    read(
      `SELECT c."streetId" AS "streetId", r."score" AS "score", r."createdAt" AS "at"
       FROM "Rating" r JOIN "Case" c ON c."id" = r."caseId" WHERE r."createdAt" >= ? AND r."createdAt" < ?${street}`,
      from,
      to,
      ...streetArg,
    ),
    read(
      `SELECT COALESCE(p."streetId", i."streetId") AS "streetId", f."createdAt" AS "at"
       FROM "PatrolFinding" f JOIN "Person" i ON i."id" = f."inspectorId" LEFT JOIN "Patrol" p ON p."id" = f."patrolId"
       WHERE f."outcome" = 'settled' AND f."createdAt" >= ? AND f."createdAt" < ?
         ${streetId === null ? '' : 'AND COALESCE(p."streetId", i."streetId") = ?'}`,
      from,
      to,
      ...streetArg,
    ),
    withPeople
      ? read(
          `SELECT f."ownerId" AS "ownerId", f."at" AS "at", ${flag(HANDLED_ON_TIME)} AS "onTime",
                  ${flag('(f."flag" AND (c."reworkCount" > 0 OR c."reopenCount" > 0))')} AS "rework"
           FROM "StatsEventFact" f JOIN "Case" c ON c."id" = f."caseId"
           WHERE f."kind" = 'resolved' AND f."at" >= ? AND f."at" < ?`,
          from,
          to,
        )
      : Promise.resolve([]),
    withPeople
      ? read(
          `SELECT CAST(${assignee} AS INTEGER) AS "ownerId", e."createdAt" AS "at"
           FROM "CaseEvent" e WHERE e."type" = 'assigned' AND e."createdAt" >= ? AND e."createdAt" < ?
             AND ${assignee} IS NOT NULL`,
          from,
          to,
        )
      : Promise.resolve([]),
    read(
      `SELECT f."kind" AS "kind", f."ownerId" AS "ownerId", f."at" AS "at", ${flag('f."flag"')} AS "accepted"
       FROM "StatsEventFact" f JOIN "Case" c ON c."id" = f."caseId"
       WHERE f."kind" IN ('referred', 'returned') AND f."at" >= ? AND f."at" < ?${streetId === null ? '' : ' AND c."streetId" = ?'}`,
      from,
      to,
      ...streetArg,
    ),
  ]);
  return {
    hour,
    cases: cases.map((r): HourCase => ({
      streetId: idOrNull(r.streetId),
      departmentId: idOrNull(r.departmentId),
      status: String(r.status),
      post: (r.post as string | null) ?? null,
      mode721: (r.mode721 as string | null) ?? null,
      reworkCount: num(r.reworkCount),
      reopened: num(r.reopened),
      autoVerified: num(r.autoVerified),
      postponed: num(r.postponed),
      byDeadline: num(r.byDeadline),
      mayBeDue: num(r.mayBeDue),
      createdAt: instant(r.createdAt),
      resolvedAt: instantOrNull(r.resolvedAt),
      closedAt: instantOrNull(r.closedAt),
      dueAt: instantOrNull(r.dueAt),
    })),
    ratings: ratings.map((r) => ({ streetId: idOrNull(r.streetId), score: String(r.score), at: instant(r.at) })),
    settled: settled.map((r) => ({ streetId: idOrNull(r.streetId), at: instant(r.at) })),
    handled: handled.map((r) => ({
      ownerId: num(r.ownerId),
      at: instant(r.at),
      onTime: num(r.onTime),
      rework: num(r.rework),
    })),
    assigned: assigned.map((r) => ({ ownerId: num(r.ownerId), at: instant(r.at) })),
    departments: departments.map((r) => ({
      kind: String(r.kind),
      ownerId: num(r.ownerId),
      at: instant(r.at),
      accepted: num(r.accepted),
    })),
  };
}

function sumBy<R, K>(xs: Iterable<R>, key: (r: R) => string, start: (r: R) => K, add: (acc: K, r: R) => void): K[] {
  const byKey = new Map<string, K>();
  for (const r of xs) {
    const k = key(r);
    let acc = byKey.get(k);
    if (!acc) byKey.set(k, (acc = start(r)));
    add(acc, r);
  }
  return [...byKey.values()];
}

/** What the cases, findings and events of `w` (a part of the rows' hour) add, as the statements over them give it. */
export function hourPartRows(rows: HourRows, w: Period, now: Date) {
  const [from, to] = [w.from.getTime(), w.to.getTime()];
  const dueCutoff = Math.min(to, now.getTime());
  const within = (at: number | null, end = to) => at !== null && at >= from && at < end;
  const created = rows.cases.filter((c) => within(c.createdAt));
  const groups = sumBy(
    created,
    (c) => `${c.streetId}\u0001${c.status}\u0001${c.post}\u0001${c.mode721}`,
    (c): CaseGroupRow & { handlingMs: number } => ({
      streetId: c.streetId,
      status: c.status,
      post: c.post,
      mode721: c.mode721,
      cases: 0,
      reworkSum: 0,
      reopened: 0,
      resolvedCount: 0,
      autoVerified: 0,
      handlingHoursSum: 0,
      handlingMs: 0,
    }),
    (g, c) => {
      g.cases += 1;
      g.reworkSum += c.reworkCount;
      g.reopened += c.reopened;
      g.autoVerified! += c.autoVerified;
      if (c.resolvedAt !== null) {
        g.resolvedCount += 1;
        g.handlingMs += c.resolvedAt - c.createdAt;
      }
    },
  ).map(({ handlingMs, ...g }): CaseGroupRow => ({ ...g, handlingHoursSum: handlingMs / HOUR_MS }));
  // isDueInPeriod: closed by the deadline within the part, or otherwise a deadline within it that has passed.
  const dueCases = rows.cases.filter((c) =>
    c.byDeadline ? within(c.closedAt) : c.mayBeDue === 1 && within(c.dueAt, dueCutoff),
  );
  const due = sumBy(
    dueCases,
    (c) => `${c.streetId}\u0001${c.departmentId}`,
    (c): DueRow => ({ streetId: c.streetId, departmentId: c.departmentId, due: 0, postponed: 0, onTime: 0 }),
    (g, c) => {
      g.due += 1;
      g.postponed += c.postponed;
      if (c.byDeadline) g.onTime += 1 - c.postponed;
    },
  );
  const ratings = sumBy(
    rows.ratings.filter((r) => within(r.at)),
    (r) => `${r.streetId}\u0001${r.score}`,
    (r): RatingRow => ({ streetId: r.streetId, score: r.score, n: 0 }),
    (g) => {
      g.n += 1;
    },
  );
  // The hour lies within one district day (days start on a whole hour, 16:00 UTC): its trend
  // is one count, whatever the instants.
  const day = districtDay(rows.hour.from);
  const perDay = (n: number): TrendRow[] => (n > 0 ? [{ day, n }] : []);
  const settled = sumBy(
    rows.settled.filter((f) => within(f.at)),
    (f) => String(f.streetId),
    (f): SettledFindingRow => ({ streetId: f.streetId, n: 0 }),
    (g) => {
      g.n += 1;
    },
  );
  const eventSum = (kind: string, ownerId: number): EventSum => ({
    kind,
    ownerId,
    n: 0,
    onTime: 0,
    rework: 0,
    acceptedInTime: 0,
  });
  const events: EventSum[] = [
    ...sumBy(
      rows.handled.filter((f) => within(f.at)),
      (f) => String(f.ownerId),
      (f) => eventSum('handled', f.ownerId),
      (g, f) => {
        g.n += 1;
        g.onTime += f.onTime;
        g.rework += f.rework;
      },
    ),
    ...sumBy(
      rows.assigned.filter((e) => within(e.at)),
      (e) => String(e.ownerId),
      (e) => eventSum('assigned', e.ownerId),
      (g) => {
        g.n += 1;
      },
    ),
    ...sumBy(
      rows.departments.filter((f) => within(f.at)),
      (f) => `${f.kind}\u0001${f.ownerId}`,
      (f) => eventSum(f.kind, f.ownerId),
      (g, f) => {
        g.n += 1;
        g.acceptedInTime += f.accepted;
      },
    ),
  ];
  return {
    cases: {
      groups,
      due,
      ratings,
      createdPerDay: perDay(created.length),
      closedPerDay: perDay(rows.cases.reduce((n, c) => n + (within(c.closedAt) ? 1 : 0), 0)),
    },
    settled,
    events,
  };
}

/** A second resolution by the same person ('reresolved' fact): counted when its first lies before the period. */
export interface RepeatRow {
  ownerId: number;
  at: number;
  prevAt: number | null;
  onTime: number;
  rework: number;
}

export const repeatRowsKey = (hour: Period, to: Date) => `repeats|${hour.from.toISOString()}|${to.toISOString()}`;

/**
 * The 'reresolved' facts any period starting within `hour` and ending at `to` may count: those
 * from the hour's start to `to` whose first resolution lies before the hour's end (a superset;
 * repeatSums() keeps a period's). Rare, so few rows, shared by every start within the hour.
 */
export async function readRepeatRows(read: ReadQuery, hour: Period, to: Date): Promise<RepeatRow[]> {
  const rows = await read(
    `SELECT f."ownerId" AS "ownerId", f."at" AS "at", f."prevAt" AS "prevAt", ${flag(HANDLED_ON_TIME)} AS "onTime",
            ${flag('(f."flag" AND (c."reworkCount" > 0 OR c."reopenCount" > 0))')} AS "rework"
     FROM "StatsEventFact" f JOIN "Case" c ON c."id" = f."caseId"
     WHERE f."kind" = 'reresolved' AND f."at" >= ? AND f."at" < ? AND f."prevAt" < ?`,
    sqlDate(hour.from),
    sqlDate(to),
    sqlDate(hour.to),
  );
  return rows.map((r) => ({
    ownerId: num(r.ownerId),
    at: instant(r.at),
    prevAt: instantOrNull(r.prevAt),
    onTime: num(r.onTime),
    rework: num(r.rework),
  }));
}

/** The period's second resolutions whose first lies before it, summed per person (as eventRowsFromFacts reads them). */
export function repeatSums(rows: readonly RepeatRow[], period: Period): EventSum[] {
  const [from, to] = [period.from.getTime(), period.to.getTime()];
  return sumBy(
    rows.filter((r) => r.at >= from && r.at < to && r.prevAt !== null && r.prevAt < from),
    (r) => String(r.ownerId),
    (r): EventSum => ({ kind: 'handled', ownerId: r.ownerId, n: 0, onTime: 0, rework: 0, acceptedInTime: 0 }),
    (g, r) => {
      g.n += 1;
      g.onTime += r.onTime;
      g.rework += r.rework;
    },
  );
}
