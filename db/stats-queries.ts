import { startOfDistrictDay, districtDay, type Period } from '../core/stats/period-fns.ts';
import { NEVER_DUE_STATUSES } from '../core/stats/assessment-rules.ts';
import type {
  CaseGroupRow,
  DueRow,
  RatingRow,
  SettledFindingRow,
  StatsRows,
  TrendRow,
} from '../core/stats/stats-types.ts';
import type { Db } from './prisma-client.ts';
import { batchedReads, readerOf, type ReadQuery } from './reader-pool.ts';
import { countTrue, districtDate, hoursBetween } from './sql-dialect.ts';
import { sqlDate } from './sql-values.ts';
import { CLOSED_BY_DEADLINE, idOrNull, list, num } from './stats-sql.ts';
import {
  eventRowsFromFacts,
  eventSumsFromRollups,
  eventSumsOfHours,
  personLabels,
  type EventSum,
  type PersonLabel,
} from './stats-event-queries.ts';
import { mergedOnce } from './stats-parts.ts';
import {
  hourOf,
  hourPartRows,
  hourRowsKey,
  readHourRows,
  readRepeatRows,
  repeatRowsKey,
  repeatSums,
  type HourRows,
  type RepeatRow,
} from './stats-hour-rows.ts';
import type { TtlCache } from '../core/stats/ttl-cache.ts';
import { coverKeys, DISTRICT_ROWS } from '../core/stats/rollup-blocks.ts';

/**
 * Statistics rows, folded into figures by core/stats/stats-fns.ts. The case-state populations
 * of whole past days are summed from the rollups (db/stats-rollup.ts); the hours around them,
 * and the event-based populations, are GROUP BY over the cases and events below. Every
 * statement goes through readerOf(db) (db/reader-pool.ts): off the event loop when a pool is
 * attached.
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

/** The case-state rows of [from, to) computed from the cases themselves (db/stats-rollup.ts sums the same per day). */
export async function caseRowsDirect(
  read: ReadQuery,
  period: Period,
  streetId: number | null,
  now: Date,
): Promise<Pick<StatsRows, 'groups' | 'due' | 'ratings' | 'createdPerDay' | 'closedPerDay'>> {
  const from = sqlDate(period.from);
  const to = sqlDate(period.to);
  // A deadline counts only once it has passed: the due branch on dueAt stops at now.
  const dueCutoff = sqlDate(new Date(Math.min(period.to.getTime(), now.getTime())));
  // Unary + keeps SQLite on the date range: the (streetId, status) index would fetch the
  // street's cases of every year to keep the few of the period.
  const street = streetId === null ? '' : ' AND +c."streetId" = ?';
  const streetArg = streetId === null ? [] : [streetId];
  const d = read.dialect;

  // Output names are quoted: PostgreSQL folds bare ones to lower case.
  // GROUP BY streetId + 0 rather than the bare column: over a long period SQLite otherwise
  // walks the (streetId, status) index to skip the sort, fetching every row in street order;
  // a range on createdAt followed by a small sort is far cheaper.
  const [groups, due, ratings, created, closed] = await Promise.all([
    read(
      `SELECT c."streetId" + 0 AS "streetId", c."status" AS status, c."post" AS post, c."mode721" AS mode721,
              COUNT(*) AS cases, SUM(c."reworkCount") AS "reworkSum", ${countTrue('c."reopenCount" > 0')} AS reopened,
              COUNT(c."resolvedAt") AS "resolvedCount", ${countTrue('c."autoVerified"')} AS "autoVerified",
              SUM(${hoursBetween(d, 'c."createdAt"', 'c."resolvedAt"')}) AS hours
       FROM "Case" c WHERE c."createdAt" >= ? AND c."createdAt" < ?${street}
       GROUP BY 1, 2, 3, 4`,
      from,
      to,
      ...streetArg,
    ),
    // isDueInPeriod as two disjoint range scans: closed by the deadline within the period (on
    // closedAt), otherwise a deadline within the period that has passed (on dueAt).
    read(
      `SELECT "streetId", "departmentId", SUM(due) AS due, SUM(postponed) AS postponed, SUM("onTime") AS "onTime" FROM (
         SELECT c."streetId" + 0 AS "streetId", c."departmentId" + 0 AS "departmentId", COUNT(*) AS due,
                ${countTrue('c."postponed"')} AS postponed, ${countTrue('c."postponed" = FALSE')} AS "onTime"
         FROM "Case" c WHERE c."closedAt" >= ? AND c."closedAt" < ? AND ${CLOSED_BY_DEADLINE}${street} GROUP BY 1, 2
         UNION ALL
         SELECT c."streetId" + 0, c."departmentId" + 0, COUNT(*), ${countTrue('c."postponed"')}, 0
         FROM "Case" c WHERE c."dueAt" >= ? AND c."dueAt" < ? AND c."status" NOT IN ${list(NEVER_DUE_STATUSES)}
           AND NOT ${CLOSED_BY_DEADLINE}${street} GROUP BY 1, 2
       ) AS t GROUP BY 1, 2`,
      from,
      to,
      ...streetArg,
      from,
      dueCutoff,
      ...streetArg,
    ),
    read(
      `SELECT c."streetId" AS "streetId", r."score" AS score, COUNT(*) AS n
       FROM "Rating" r JOIN "Case" c ON c."id" = r."caseId"
       WHERE r."createdAt" >= ? AND r."createdAt" < ?${street}
       GROUP BY 1, 2`,
      from,
      to,
      ...streetArg,
    ),
    read(
      `SELECT ${districtDate(d, 'c."createdAt"')} AS day, COUNT(*) AS n FROM "Case" c
       WHERE c."createdAt" >= ? AND c."createdAt" < ?${street} GROUP BY 1`,
      from,
      to,
      ...streetArg,
    ),
    read(
      `SELECT ${districtDate(d, 'c."closedAt"')} AS day, COUNT(*) AS n FROM "Case" c
       WHERE c."closedAt" >= ? AND c."closedAt" < ?${street} GROUP BY 1`,
      from,
      to,
      ...streetArg,
    ),
  ]);

  return {
    groups: groups.map((r): CaseGroupRow => ({
      streetId: idOrNull(r.streetId),
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
      streetId: idOrNull(r.streetId),
      departmentId: idOrNull(r.departmentId),
      due: num(r.due),
      postponed: num(r.postponed),
      onTime: num(r.onTime),
    })),
    ratings: ratings.map((r): RatingRow => ({ streetId: idOrNull(r.streetId), score: String(r.score), n: num(r.n) })),
    createdPerDay: created.map((r): TrendRow => ({ day: String(r.day), n: num(r.n) })),
    closedPerDay: closed.map((r): TrendRow => ({ day: String(r.day), n: num(r.n) })),
  };
}

/** Patrol findings settled on the spot within the period (721 "service"), by street. */
export async function settledRows(
  read: ReadQuery,
  period: Period,
  streetId: number | null,
): Promise<SettledFindingRow[]> {
  const rows = await read(
    `SELECT COALESCE(p."streetId", i."streetId") AS "streetId", COUNT(*) AS n
     FROM "PatrolFinding" f JOIN "Person" i ON i."id" = f."inspectorId" LEFT JOIN "Patrol" p ON p."id" = f."patrolId"
     WHERE f."outcome" = 'settled' AND f."createdAt" >= ? AND f."createdAt" < ?
       ${streetId === null ? '' : 'AND COALESCE(p."streetId", i."streetId") = ?'}
     GROUP BY 1`,
    sqlDate(period.from),
    sqlDate(period.to),
    ...(streetId === null ? [] : [streetId]),
  );
  return rows.map((r): SettledFindingRow => ({ streetId: idOrNull(r.streetId), n: num(r.n) }));
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * A part of a period that lies before today split into its whole hours (`middle`, which no
 * passing deadline changes any more, so it may be shared for the cache's lifetime) and the
 * minutes at either end (`edges`, read per request); null when there is no whole hour in it.
 */
function hourAligned(h: Period, today: Date): { middle: Period; edges: Period[] } | null {
  if (h.to.getTime() > today.getTime()) return null;
  const from = Math.ceil(h.from.getTime() / HOUR_MS) * HOUR_MS;
  const to = Math.floor(h.to.getTime() / HOUR_MS) * HOUR_MS;
  if (from >= to) return null;
  const edges: Period[] = [];
  if (h.from.getTime() < from) edges.push({ from: h.from, to: new Date(from) });
  if (to < h.to.getTime()) edges.push({ from: new Date(to), to: h.to });
  return { middle: { from: new Date(from), to: new Date(to) }, edges };
}

/**
 * The rows of whole district days [fromDay, toDay) summed from "StatsRollup" (db/stats-rollup.ts):
 * the figures' sums from the period's few day and block keys (core/stats/rollup-blocks.ts), the
 * daily trend from the per-day 'opened' and 'closed' rows (a row per street and day, and the
 * district's own).
 */
async function caseRowsFromRollups(
  read: ReadQuery,
  fromDay: string,
  toDay: string,
  streetId: number | null,
): Promise<Pick<StatsRows, 'groups' | 'due' | 'ratings' | 'createdPerDay' | 'closedPerDay'>> {
  const street = streetId === null ? '' : ' AND "streetId" = ?';
  const keys = coverKeys(fromDay, toDay);
  const inKeys = `"day" IN (${keys.map(() => '?').join(', ')})${street}`;
  const keyArgs = streetId === null ? keys : [...keys, streetId];
  // The trend of the district from its own rows (DISTRICT_ROWS), one per day and kind.
  const args = [fromDay, toDay, streetId ?? DISTRICT_ROWS];
  const range = `"day" >= ? AND "day" < ? AND "streetId" = ?`;
  // The three marginals of the cases created (core/stats/rollup-fns.ts), each summed over its own
  // two keys and only its own measures (the post and mode rows carry counts alone): one statement
  // grouping all three by five columns and summing six measures of every row cost SQLite 2.6
  // times as much (its sorter compares every key column of each of ~1,400 rows for 30 days).
  // Each row says by its part which figures it carries (CaseGroupRow.part). In the order of the
  // kinds' names, as the one statement grouped them: the figures' keys come out in the same order.
  const marginal = (kind: string, column: string) =>
    read(
      `SELECT "streetId", "${column}" AS "key", SUM("n") AS cases FROM "StatsRollup"
       WHERE "kind" = '${kind}' AND ${inKeys} GROUP BY 1, 2 ORDER BY 1, 2`,
      ...keyArgs,
    );
  const [byMode, byPost, byStatus, due, ratings, perDay] = await Promise.all([
    marginal('createdByMode', 'mode721'),
    marginal('createdByPost', 'post'),
    read(
      `SELECT "streetId", "status" AS "key", SUM("n") AS cases, SUM("reworkSum") AS "reworkSum",
              SUM("reopened") AS reopened, SUM("resolvedCount") AS "resolvedCount", SUM("autoVerified") AS "autoVerified",
              SUM("handlingMs") AS "handlingMs"
       FROM "StatsRollup" WHERE "kind" = 'createdByStatus' AND ${inKeys} GROUP BY 1, 2 ORDER BY 1, 2`,
      ...keyArgs,
    ),
    // A street's by department; the district's by street and by department (its two marginals,
    // core/stats/rollup-fns.ts), not by both.
    streetId === null
      ? read(
          `SELECT "kind", "streetId", "departmentId", SUM("n") AS due, SUM("postponed") AS postponed, SUM("onTime") AS "onTime"
           FROM "StatsRollup" WHERE "kind" IN ('dueByStreet', 'dueByDepartment') AND ${inKeys} GROUP BY 1, 2, 3`,
          ...keyArgs,
        )
      : read(
          `SELECT "kind", "streetId", "departmentId", SUM("n") AS due, SUM("postponed") AS postponed, SUM("onTime") AS "onTime"
           FROM "StatsRollup" WHERE "kind" = 'due' AND ${inKeys} GROUP BY 1, 2, 3`,
          ...keyArgs,
        ),
    read(
      `SELECT "streetId", "score", SUM("n") AS n FROM "StatsRollup" WHERE "kind" = 'rating' AND ${inKeys} GROUP BY 1, 2`,
      ...keyArgs,
    ),
    read(
      `SELECT "kind", "day", SUM("n") AS n FROM "StatsRollup" WHERE "kind" IN ('opened', 'closed') AND ${range} GROUP BY 1, 2`,
      ...args,
    ),
  ]);
  const key = (v: unknown) => (num(v) === 0 ? null : num(v));
  const text = (v: unknown) => (v === '' || v === null || v === undefined ? null : String(v));
  const group = (part: NonNullable<CaseGroupRow['part']>, r: Record<string, unknown>): CaseGroupRow => ({
    streetId: key(r.streetId),
    status: part === 'status' ? String(r.key) : '',
    post: part === 'post' ? text(r.key) : null,
    mode721: part === 'mode' ? text(r.key) : null,
    cases: num(r.cases),
    reworkSum: num(r.reworkSum),
    reopened: num(r.reopened),
    resolvedCount: num(r.resolvedCount),
    autoVerified: num(r.autoVerified),
    handlingHoursSum: num(r.handlingMs) / 3_600_000,
    part,
  });
  return {
    groups: [
      ...byMode.map((r) => group('mode', r)),
      ...byPost.map((r) => group('post', r)),
      ...byStatus.map((r) => group('status', r)),
    ].filter((g) => g.cases !== 0),
    due: due.map((r): DueRow => ({
      streetId: key(r.streetId),
      departmentId: key(r.departmentId),
      due: num(r.due),
      postponed: num(r.postponed),
      onTime: num(r.onTime),
      ...(r.kind === 'due' ? {} : { part: r.kind === 'dueByStreet' ? 'street' : 'department' }),
    })),
    ratings: ratings.map((r): RatingRow => ({ streetId: key(r.streetId), score: String(r.score), n: num(r.n) })),
    createdPerDay: perDay
      .filter((r) => r.kind === 'opened')
      .map((r): TrendRow => ({ day: String(r.day), n: num(r.n) })),
    closedPerDay: perDay.filter((r) => r.kind === 'closed').map((r): TrendRow => ({ day: String(r.day), n: num(r.n) })),
  };
}

type CaseRows = Awaited<ReturnType<typeof caseRowsDirect>>;

function concatRows(parts: readonly CaseRows[]): CaseRows {
  return {
    groups: parts.flatMap((p) => p.groups),
    due: parts.flatMap((p) => p.due),
    ratings: parts.flatMap((p) => p.ratings),
    createdPerDay: parts.flatMap((p) => p.createdPerDay),
    closedPerDay: parts.flatMap((p) => p.closedPerDay),
  };
}

/** The whole-day part of a period's rows: what a cache of whole-day parts keeps (server routes). */
export interface WholeDayRows {
  cases: CaseRows;
  events: EventSum[];
  /** Patrol findings settled within the part (read from the findings: they have no rollup). */
  settled: SettledFindingRow[];
}

export const wholeDaysKey = (fromDay: string, toDay: string, streetId: number | null, people: boolean) =>
  `${fromDay}|${toDay}|${streetId ?? 'district'}|${people ? 'people' : ''}`;

/**
 * The rows of a period. Whole district days that ended before today come from the rollups
 * (a sum over days, whatever the number of cases or events); the rest (a period bound inside a
 * day, and today, whose deadlines are still passing) from the cases and event facts of those few
 * hours. Every statement runs on the reader pool when one is attached (db/reader-pool.ts), off
 * the event loop. `wholeDays`, when given, shares the whole-day part between periods that differ
 * only within their first or last day (each "last 30 days" request starts at another instant):
 * the figures then lag the rollups by at most that cache's lifetime, as the figures' own cache
 * does (today's part also by at most a minute of deadlines passing). The same cache keeps the
 * whole hours of a bound inside a past day, and each shared part's settled patrol findings, so
 * a request reads only the minutes before the next whole hour and any hours after today; with
 * `hourRows`, those minutes too come from memory (db/stats-hour-rows.ts).
 */
export async function loadStatsRows(
  db: Db,
  period: Period,
  streetId: number | null,
  now: Date,
  opts: StatsLoadOptions = {},
): Promise<StatsRows> {
  const { direct, shared, events } = await loadStatsParts(db, period, streetId, now, opts);
  const cases = shared ? concatRows([direct, shared.cases]) : direct;
  return { ...cases, ...events, settled: shared ? [...direct.settled, ...shared.settled] : direct.settled };
}

export interface StatsLoadOptions {
  people?: boolean;
  wholeDays?: TtlCache<WholeDayRows>;
  /**
   * The rows of the clock hours that period bounds fall in, and the second resolutions a period
   * starting in an hour may count (db/stats-hour-rows.ts): with them a bound's minutes inside a
   * past day are figured in memory, and a cold request sends no statement once they are cached.
   */
  hourRows?: TtlCache<HourRows>;
  repeats?: TtlCache<RepeatRow[]>;
  /** The district's personLabels(), when the caller keeps them. */
  persons?: Promise<readonly PersonLabel[]>;
}

/**
 * A period's rows as loadStatsRows() reads them, before they are put together: the rows of
 * this request's own hours (`direct`), the shared parts summed into one (`shared`, the same
 * object for every request that shares them: the figures' sums of it can be kept with it,
 * db/stats-parts.ts), and the event rows of the whole period.
 */
export async function loadStatsParts(
  db: Db,
  period: Period,
  streetId: number | null,
  now: Date,
  opts: StatsLoadOptions = {},
): Promise<{
  direct: CaseRows & { settled: SettledFindingRow[] };
  shared: WholeDayRows | null;
  events: Pick<StatsRows, 'departmentEvents' | 'people'>;
}> {
  // Every statement below is issued before the first await: one trip to the reader threads, or
  // one statement on PostgreSQL (db/pg-read-many.ts).
  const base = readerOf(db);
  const read = batchedReads(base);
  // The sums over rollup keys (and the few rows of a first hour's second resolutions) plan alike
  // whatever the keys: on PostgreSQL they go as one named prepared statement, parsed and planned
  // once per connection (ReadQuery.prepared), where their planning was about a fifth of the
  // server's CPU for 30 whole days never asked before. The reads over the cases' hours stay
  // unnamed, planned for their instants. Without a prepared reader (SQLite) both are one batch.
  const readSums = base.prepared ? batchedReads(base.prepared) : read;
  // Per-person figures are skipped for callers that never show them (the public statistics).
  const withPeople = opts.people ?? true;
  const fromDayStart = startOfDistrictDay(period.from);
  const a = fromDayStart.getTime() === period.from.getTime() ? period.from : new Date(fromDayStart.getTime() + DAY_MS);
  const b = new Date(Math.min(startOfDistrictDay(period.to).getTime(), startOfDistrictDay(now).getTime()));
  const hours: Period[] = [];
  const wholeParts: Array<Promise<WholeDayRows>> = [];
  if (a.getTime() < b.getTime()) {
    if (period.from.getTime() < a.getTime()) hours.push({ from: period.from, to: a });
    const [fromDay, toDay] = [districtDay(a), districtDay(b)];
    const days = { from: a, to: b };
    const load = async (): Promise<WholeDayRows> => {
      const [cases, events, settled] = await Promise.all([
        caseRowsFromRollups(readSums, fromDay, toDay, streetId),
        eventSumsFromRollups(readSums, fromDay, toDay, streetId, withPeople),
        settledRows(readSums, days, streetId),
      ]);
      return { cases, events, settled };
    };
    wholeParts.push(
      opts.wholeDays ? opts.wholeDays.get(wholeDaysKey(fromDay, toDay, streetId, withPeople), load) : load(),
    );
  } else if (period.from.getTime() < b.getTime()) {
    hours.push({ from: period.from, to: b });
  }
  const today = startOfDistrictDay(now);
  const tomorrow = new Date(today.getTime() + DAY_MS);
  if (b.getTime() === today.getTime() && period.from.getTime() <= today.getTime() && period.to >= tomorrow) {
    // The whole of today: its rollups too, less the deadlines still ahead today, which are not
    // due yet; then any days after it. Shared like the whole days, but judged anew each minute.
    const load = () => todayFromRollups(read, streetId, now, withPeople);
    const minute = Math.floor(now.getTime() / 60_000);
    wholeParts.push(
      opts.wholeDays
        ? opts.wholeDays.get(`today|${minute}|${wholeDaysKey(districtDay(today), '', streetId, withPeople)}`, load)
        : load(),
    );
    if (tomorrow.getTime() < period.to.getTime()) hours.push({ from: tomorrow, to: period.to });
  } else if (b.getTime() < period.to.getTime()) {
    hours.push({ from: new Date(Math.max(b.getTime(), period.from.getTime())), to: period.to });
  }
  // The hour-aligned middle of a period bound inside a past day is shared like the whole days:
  // periods whose start differs by less than an hour (a "cold" request per millisecond, or a
  // dashboard asking from "now − 30 days") then each read only the minutes up to the next hour.
  const direct: Period[] = [];
  for (const h of hours) {
    const split = opts.wholeDays ? hourAligned(h, today) : null;
    if (!split) {
      direct.push(h);
      continue;
    }
    direct.push(...split.edges);
    const mid = split.middle;
    const load = async (): Promise<WholeDayRows> => {
      const [cases, events, settled] = await Promise.all([
        caseRowsDirect(read, mid, streetId, now),
        eventSumsOfHours(read, mid, streetId, withPeople),
        settledRows(read, mid, streetId),
      ]);
      return { cases, events, settled };
    };
    const key = `hours|${mid.from.toISOString()}|${mid.to.toISOString()}|${streetId ?? 'district'}|${withPeople ? 'people' : ''}`;
    wholeParts.push(opts.wholeDays!.get(key, load));
  }
  // The minutes of a bound inside a past hour, from that hour's rows (db/stats-hour-rows.ts)
  // when the caller keeps them; the rest (today's hours, hours after it) by statements.
  const viaSql: Period[] = [];
  const inMemory: Array<Promise<ReturnType<typeof hourPartRows>>> = [];
  for (const w of direct) {
    const hour = opts.hourRows && w.to.getTime() <= today.getTime() ? hourOf(w) : null;
    if (!hour) {
      viaSql.push(w);
      continue;
    }
    const rows = opts.hourRows!.get(hourRowsKey(hour, streetId, withPeople), () =>
      readHourRows(read, hour, streetId, withPeople),
    );
    inMemory.push(rows.then((r) => hourPartRows(r, w, now)));
  }
  // The period's second resolutions, from the rows every start within its first hour shares.
  const firstHour = hourOf({ from: period.from, to: period.from });
  const repeats =
    opts.repeats && withPeople && firstHour
      ? opts.repeats
          .get(repeatRowsKey(firstHour, period.to), () => readRepeatRows(readSums, firstHour, period.to))
          .then((rows) => repeatSums(rows, period))
      : undefined;
  // The shared parts summed once (db/stats-parts.ts): a request then adds its few direct rows
  // to one set of rows instead of concatenating and folding every part's rows again.
  const shared = wholeParts.length ? Promise.all(wholeParts).then(mergedOnce) : null;
  const memoryParts = Promise.all(inMemory);
  const whole =
    shared || inMemory.length
      ? Promise.all([shared, memoryParts]).then(([w, m]) => [...(w?.events ?? []), ...m.flatMap((p) => p.events)])
      : null;
  // The period's parts (direct hours, and the shared whole days, today and hours) partition it:
  // the settled findings are summed per part like the cases, so a shared part's need not be read again.
  const [caseParts, events, settledParts, sharedRows, memory] = await Promise.all([
    Promise.all(viaSql.map((h) => caseRowsDirect(read, h, streetId, now))),
    eventRowsFromFacts(read, period, whole, viaSql, streetId, withPeople, opts.persons, repeats),
    Promise.all(viaSql.map((h) => settledRows(read, h, streetId))),
    shared,
    memoryParts,
  ]);
  return {
    direct: {
      ...concatRows([...caseParts, ...memory.map((m) => m.cases)]),
      settled: [...settledParts.flat(), ...memory.flatMap((m) => m.settled)],
    },
    shared: sharedRows,
    events,
  };
}

/**
 * Today from the rollups: exact for every kind but "due", whose day counts every deadline of
 * today, passed or not; the cases whose deadline is still ahead today (and that were not closed
 * by it) are taken off again, a short range on dueAt.
 */
async function todayFromRollups(
  read: ReadQuery,
  streetId: number | null,
  now: Date,
  withPeople: boolean,
): Promise<WholeDayRows> {
  const today = startOfDistrictDay(now);
  const tomorrow = new Date(today.getTime() + DAY_MS);
  const [day, nextDay] = [districtDay(today), districtDay(tomorrow)];
  const street = streetId === null ? '' : ' AND +c."streetId" = ?';
  const [cases, events, settled, ahead] = await Promise.all([
    caseRowsFromRollups(read, day, nextDay, streetId),
    eventSumsFromRollups(read, day, nextDay, streetId, withPeople),
    settledRows(read, { from: today, to: tomorrow }, streetId),
    read(
      `SELECT c."streetId" + 0 AS "streetId", c."departmentId" + 0 AS "departmentId", COUNT(*) AS due,
              ${countTrue('c."postponed"')} AS postponed
       FROM "Case" c WHERE c."dueAt" >= ? AND c."dueAt" < ? AND c."status" NOT IN ${list(NEVER_DUE_STATUSES)}
         AND NOT ${CLOSED_BY_DEADLINE}${street} GROUP BY 1, 2`,
      sqlDate(now),
      sqlDate(tomorrow),
      ...(streetId === null ? [] : [streetId]),
    ),
  ]);
  const notYetDue = ahead.map((r): DueRow => ({
    streetId: idOrNull(r.streetId),
    departmentId: idOrNull(r.departmentId),
    due: -num(r.due),
    postponed: -num(r.postponed),
    onTime: 0,
  }));
  return { cases: { ...cases, due: [...cases.due, ...notYetDue] }, events, settled };
}

// The names the figures are labelled with: small tables, read on the reader pool like the rows
// (through Prisma each read would cost its query compiler a few milliseconds on the event loop).
async function streetRows(read: ReadQuery, streetId: number | null): Promise<Array<{ id: number; name: string }>> {
  const rows = await read(
    `SELECT "id", "name" FROM "Street"${streetId === null ? '' : ' WHERE "id" = ?'} ORDER BY "code"`,
    ...(streetId === null ? [] : [streetId]),
  );
  return rows.map((r) => ({ id: num(r.id), name: String(r.name) }));
}

async function departmentRows(read: ReadQuery): Promise<Array<{ id: number; name: string }>> {
  const rows = await read(`SELECT "id", "name" FROM "Department" WHERE "kind" = 'department' ORDER BY "code"`);
  return rows.map((r) => ({ id: num(r.id), name: String(r.name) }));
}

export function streetsInScope(db: Db, streetId: number | null): Promise<Array<{ id: number; name: string }>> {
  return streetRows(readerOf(db), streetId);
}

/** The departments cases are referred to (移送), in their published order. */
export function referralDepartments(db: Db): Promise<Array<{ id: number; name: string }>> {
  return departmentRows(readerOf(db));
}

/** Every label the figures need: the streets (in code order), the referral departments, the people. */
export interface StatsLabels {
  streets: Array<{ id: number; name: string }>;
  departments: Array<{ id: number; name: string }>;
  persons: PersonLabel[];
}

/** The labels in one trip to the reader threads (a caller may keep them as long as it keeps figures). */
export async function statsLabels(db: Db): Promise<StatsLabels> {
  const read = batchedReads(readerOf(db));
  const [streets, departments, persons] = await Promise.all([
    streetRows(read, null),
    departmentRows(read),
    personLabels(read),
  ]);
  return { streets, departments, persons };
}
