import {
  caseRollup,
  KEY_COLUMNS,
  rollupKeyOf,
  MEASURES,
  netDeltas,
  ratingRollup,
  type RollupCase,
  type RollupDelta,
} from '../core/stats/rollup-fns.ts';
import { NEVER_DUE_STATUSES } from '../core/stats/assessment-rules.ts';
import type { Engine } from './db-engine.ts';
import type { SqlTx, SqlValue } from './sql-connection.ts';
import { countTrue, districtDate } from './sql-dialect.ts';
import { CLOSED_BY_DEADLINE, HANDLED_ON_TIME, list } from './stats-sql.ts';
import { rebuildEventRollups, rollupEventsOfCaseChange } from './stats-event-rollup.ts';
import { dateOrNull } from './sql-values.ts';
import { withBlocks, withDistrictRows } from '../core/stats/rollup-blocks.ts';
import { COUNTED_721 } from '../core/stats/stats-fns.ts';
import { blockRollupSql, districtRollupSql } from './stats-rollup-blocks.ts';

/**
 * Keeps "StatsRollup" in step with the cases (core/stats/rollup-fns.ts says what a case adds).
 * Called by the case store inside the unit of work that changes the case, so a rollup never
 * disagrees with a committed case. Plain SQL (INSERT … ON CONFLICT DO UPDATE) that SQLite and
 * PostgreSQL both accept.
 */

const COLUMNS = [...KEY_COLUMNS, ...MEASURES];
const ROW = `(${COLUMNS.map(() => '?').join(', ')})`;
/**
 * One statement for `rows` rows: on PostgreSQL every statement is a round trip.
 *
 * Why an upsert even though nearly every row already exists. On PostgreSQL, ON CONFLICT DO UPDATE
 * locks the existing row and then updates it, so each row gets two WAL records (heap LOCK, then
 * HOT_UPDATE), plus a PRUNE for its page. A registration's 22 rows at 1M cases: 146 buffers and
 * 65 WAL records (22 + 22 + 21). Updating the existing rows with UPDATE … FROM (VALUES …) writes
 * no LOCK records (43 WAL records, 132 buffers). It saves no CPU, though: for the rows of 60
 * registrations replayed on one connection, the backend used 126-147 µs a call against 123-153.
 * It is also unsafe. Its join locks rows in whatever order the plan reads them, which is not
 * always key order: with 300 rows in the table the plan was a hash join over a sequential scan.
 * And a row missing from its snapshot must be inserted afterwards, out of key order. Either way
 * two units can deadlock. The safe version (update only when every row exists, otherwise this
 * upsert) cost 193-235 µs. Passing 16 arrays through unnest instead of VALUES cost 175-186 µs
 * against 117-121.
 *
 * The rollup write is not where registrations spend their time. In intake runs on a 1M copy
 * (1,000 photo reports each), leaving it out did not lower the CPU of the database's backends:
 * 16.0-16.5 s without it against 15.1-15.5 s with it. Registrations then waited on the day's
 * counter instead (its statement's mean went to 6.1-6.4 ms): the counter, the case's new number
 * and the commit are what serialise them.
 */
const upsert = (
  rows: number,
) => `INSERT INTO "StatsRollup" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES ${Array<string>(rows).fill(ROW).join(', ')}
  ON CONFLICT (${KEY_COLUMNS.map((c) => `"${c}"`).join(', ')}) DO UPDATE SET ${MEASURES.map((m) => `"${m}" = "StatsRollup"."${m}" + excluded."${m}"`).join(', ')}`;

const STATE_SELECT = `SELECT "streetId", "departmentId", "status", "post", "mode721", "reworkCount", "reopenCount", "autoVerified", "postponed",
  "createdAt", "resolvedAt", "closedAt", "dueAt", "responseDueAt" FROM "Case"`;

/** RollupCase as a raw row gives it: flags as 0/1 (or booleans), instants as stored text (or dates). */
export type StateRecord = Pick<
  RollupCase,
  'streetId' | 'departmentId' | 'status' | 'post' | 'mode721' | 'reworkCount' | 'reopenCount'
> & {
  id?: number;
  autoVerified: number | boolean;
  postponed: number | boolean;
  createdAt: string | Date;
  resolvedAt: string | Date | null;
  closedAt: string | Date | null;
  dueAt: string | Date | null;
  responseDueAt: string | Date | null;
};

/** The case as the rollups see it, from its raw row (rollupState's, or a registration's RETURNING). */
export const rollupCaseOf = (r: StateRecord): RollupCase => ({
  streetId: r.streetId,
  departmentId: r.departmentId,
  status: r.status,
  post: r.post,
  mode721: r.mode721,
  reworkCount: Number(r.reworkCount),
  reopenCount: Number(r.reopenCount),
  autoVerified: Number(r.autoVerified) === 1,
  postponed: Number(r.postponed) === 1,
  createdAt: new Date(r.createdAt),
  resolvedAt: dateOrNull(r.resolvedAt),
  closedAt: dateOrNull(r.closedAt),
  dueAt: dateOrNull(r.dueAt),
  responseDueAt: dateOrNull(r.responseDueAt),
});

/** The kinds a period sums (core/stats/rollup-blocks.ts); 'opened' and 'closed' are read per day (the trend). */
export const BLOCKED_KINDS: readonly string[] = [
  'createdByStatus',
  'createdByPost',
  'createdByMode',
  'due',
  'dueByStreet',
  'dueByDepartment',
  'rating',
];

/** The marginals of the cases due, from its rows by street and department (rebuild, and their migration). */
export const dueMarginalsSql = (): string[] =>
  [
    ['dueByStreet', '"streetId", 0'],
    ['dueByDepartment', '0, "departmentId"'],
  ].map(
    ([kind, keys]) => `INSERT INTO "StatsRollup" (${COLUMNS.map((c) => `"${c}"`).join(', ')})
SELECT '${kind}', "day", ${keys}, '', '', '', '', SUM("n"), 0, 0, 0, 0, 0, SUM("postponed"), SUM("onTime")
FROM "StatsRollup" WHERE "kind" = 'due' GROUP BY 2, 3, 4 ORDER BY 2, 3, 4`,
  );

/** The kinds also kept as the district's own rows (core/stats/rollup-blocks.ts DISTRICT_ROWS): the trend. */
export const DISTRICT_KINDS: readonly string[] = ['opened', 'closed'];

/** The district's trend rows summed from the rows per street (npm run stats:rebuild, and their migration). */
export const districtTrendRollupSql = (): string =>
  districtRollupSql('StatsRollup', KEY_COLUMNS, MEASURES, DISTRICT_KINDS);

/**
 * PostgreSQL units whose rollup rows are written last (db/case-store.ts), and what their changes
 * added up to so far. The rows a registration adds to are shared: the district's own rows (one
 * per day and kind) by every registration, a street's by every one there. A row written is locked
 * until COMMIT, and every other unit adding to it waits: written last, in one statement with the
 * day's case number (db/case-number-alloc.ts settle), the lock is held for that round trip only.
 */
const deferred = new WeakMap<SqlTx, RollupDelta[]>();

/** From now on this unit's rollup rows wait for deferredRollups (taken just before COMMIT). */
export function deferRollups(tx: SqlTx): void {
  deferred.set(tx, []);
}

/**
 * The unit's deferred rollup rows as one upsert (null: none), and stops deferring. Rows are
 * sorted by key, so any two units lock the rows they share in the same order.
 */
export function deferredRollups(tx: SqlTx): { sql: string; params: SqlValue[] } | null {
  const deltas = deferred.get(tx);
  deferred.delete(tx);
  const rows = netDeltas(deltas ?? []);
  if (!rows.length) return null;
  const keyed = rows.map((d) => [rollupKeyOf(d), d] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { sql: upsert(rows.length), params: keyed.flatMap(([, d]) => COLUMNS.map((c) => d[c])) };
}

async function apply(tx: SqlTx, deltas: readonly RollupDelta[]): Promise<void> {
  // Netted after the blocks are added: a day moved within a block leaves that block as it was,
  // and each key is written once, as a multi-row ON CONFLICT DO UPDATE requires on PostgreSQL.
  const expanded = [
    ...withDistrictRows(
      deltas.filter((d) => !BLOCKED_KINDS.includes(d.kind)),
      DISTRICT_KINDS,
    ),
    ...withBlocks(deltas.filter((d) => BLOCKED_KINDS.includes(d.kind))),
  ];
  const later = deferred.get(tx);
  if (later) {
    later.push(...expanded); // sums commute: written at the unit's end, they add up the same
    return;
  }
  const rows = netDeltas(expanded);
  if (rows.length) await tx.run(upsert(rows.length), ...rows.flatMap((d) => COLUMNS.map((c) => d[c])));
}

/** The case as the rollups see it, read before a change. */
export async function rollupState(tx: SqlTx, caseId: number): Promise<RollupCase | null> {
  const r = await tx.get<StateRecord>(`${STATE_SELECT} WHERE "id" = ?`, caseId);
  return r ? rollupCaseOf(r) : null;
}

/**
 * After a case was inserted (before = null) or updated: subtract what it added before, add what
 * it adds now. When its street changed, its ratings move with it.
 */
export async function rollupCaseChange(
  tx: SqlTx,
  caseId: number,
  before: RollupCase | null,
  /** The case as it is now, when the caller has it already (a PostgreSQL INSERT's RETURNING): not read again. */
  now?: RollupCase,
): Promise<void> {
  const after = now ?? (await rollupState(tx, caseId));
  const deltas: RollupDelta[] = [];
  if (before) deltas.push(...caseRollup(before, -1));
  if (after) deltas.push(...caseRollup(after, 1));
  if (before && after && before.streetId !== after.streetId) {
    const ratings = await tx.all<{ score: string; createdAt: string }>(
      'SELECT "score", "createdAt" FROM "Rating" WHERE "caseId" = ?',
      caseId,
    );
    for (const r of ratings) {
      deltas.push(ratingRollup({ streetId: before.streetId, score: r.score, at: new Date(r.createdAt) }, -1));
      deltas.push(ratingRollup({ streetId: after.streetId, score: r.score, at: new Date(r.createdAt) }, 1));
    }
  }
  await apply(tx, deltas);
  await rollupEventsOfCaseChange(tx, caseId, before, after);
}

/** After a rating was inserted. */
export async function rollupRating(tx: SqlTx, caseId: number, score: string, at: Date): Promise<void> {
  const c = await tx.get<{ streetId: number | null }>('SELECT "streetId" FROM "Case" WHERE "id" = ?', caseId);
  await apply(tx, [ratingRollup({ streetId: c?.streetId ?? null, score, at })]);
}

/**
 * What every case and rating adds (caseRollup, ratingRollup), as one INSERT … SELECT … GROUP BY
 * per kind: the database sums a million cases in seconds, where reading them into the process
 * in chunks took minutes on PostgreSQL (a round trip per chunk and per written row). The same
 * text as the SQLite migration's backfill, spelled for either engine; the rollup test compares
 * the result with the rollups kept in step case by case. Each kind's rows are written in key
 * order (ORDER BY its GROUP BY), so on PostgreSQL, where "StatsRollup" is kept in primary-key
 * order for the statistics' reads (migration *_stats_rollup_hot), a rebuild does not scatter them.
 */
export function rollupRebuildSql(d: Engine): string[] {
  const insert = `INSERT INTO "StatsRollup" (${COLUMNS.map((c) => `"${c}"`).join(', ')})`;
  // resolvedAt − createdAt in whole milliseconds (the columns hold milliseconds at most).
  const handlingMs =
    d === 'sqlite'
      ? `CAST(ROUND((julianday(c."resolvedAt") - julianday(c."createdAt")) * 86400000.0) AS INTEGER)`
      : `CAST(ROUND(EXTRACT(EPOCH FROM (c."resolvedAt" - c."createdAt")) * 1000) AS BIGINT)`;
  return [
    `${insert}
SELECT 'createdByStatus', ${districtDate(d, 'c."createdAt"')}, COALESCE(c."streetId", 0), 0, c."status", '', '', '',
       COUNT(*), SUM(c."reworkCount"), ${countTrue('c."reopenCount" > 0')}, COUNT(c."resolvedAt"), ${countTrue('c."autoVerified" = TRUE')},
       COALESCE(SUM(${handlingMs}), 0), 0, 0
FROM "Case" c GROUP BY 2, 3, 5 ORDER BY 2, 3, 5`,
    `${insert}
SELECT 'createdByPost', ${districtDate(d, 'c."createdAt"')}, COALESCE(c."streetId", 0), 0, '', COALESCE(c."post", ''), '', '', COUNT(*), 0, 0, 0, 0, 0, 0, 0
FROM "Case" c GROUP BY 2, 3, 6 ORDER BY 2, 3, 6`,
    `${insert}
SELECT 'createdByMode', ${districtDate(d, 'c."createdAt"')}, COALESCE(c."streetId", 0), 0, '', '', c."mode721", '', COUNT(*), 0, 0, 0, 0, 0, 0, 0
FROM "Case" c WHERE c."status" IN ${list([...COUNTED_721])} AND c."mode721" IS NOT NULL AND c."mode721" <> '' GROUP BY 2, 3, 7 ORDER BY 2, 3, 7`,
    `${insert}
SELECT 'opened', ${districtDate(d, 'c."createdAt"')}, COALESCE(c."streetId", 0), 0, '', '', '', '', COUNT(*), 0, 0, 0, 0, 0, 0, 0
FROM "Case" c GROUP BY 2, 3 ORDER BY 2, 3`,
    `${insert}
SELECT 'closed', ${districtDate(d, 'c."closedAt"')}, COALESCE(c."streetId", 0), 0, '', '', '', '', COUNT(*), 0, 0, 0, 0, 0, 0, 0
FROM "Case" c WHERE c."closedAt" IS NOT NULL GROUP BY 2, 3 ORDER BY 2, 3`,
    `${insert}
SELECT 'due', ${districtDate(d, `CASE WHEN ${CLOSED_BY_DEADLINE} THEN c."closedAt" ELSE c."dueAt" END`)}, COALESCE(c."streetId", 0), COALESCE(c."departmentId", 0), '', '', '', '',
       COUNT(*), 0, 0, 0, 0, 0, ${countTrue('c."postponed" = TRUE')}, ${countTrue(HANDLED_ON_TIME)}
FROM "Case" c WHERE c."dueAt" IS NOT NULL AND c."status" NOT IN ${list(NEVER_DUE_STATUSES)} GROUP BY 2, 3, 4 ORDER BY 2, 3, 4`,
    `${insert}
SELECT 'rating', ${districtDate(d, 'r."createdAt"')}, COALESCE(c."streetId", 0), 0, '', '', '', r."score", COUNT(*), 0, 0, 0, 0, 0, 0, 0
FROM "Rating" r JOIN "Case" c ON c."id" = r."caseId" GROUP BY 2, 3, 8 ORDER BY 2, 3, 8`,
    // Before the blocks, which then sum them too.
    ...dueMarginalsSql(),
    ...blockRollupSql(d, 'StatsRollup', KEY_COLUMNS, MEASURES, BLOCKED_KINDS),
    districtTrendRollupSql(),
  ];
}

/**
 * Recomputes every rollup from the cases, ratings and case events (`npm run stats:rebuild`): for a database
 * whose cases were written around the case store (an import, a repair by hand). Runs in the
 * caller's unit of work, so readers see the old rollups or the new ones, never a half.
 */
export async function rebuildRollups(tx: SqlTx): Promise<{ cases: number; rows: number; facts: number }> {
  await tx.run('DELETE FROM "StatsRollup"');
  let rows = 0;
  for (const stmt of rollupRebuildSql(tx.dialect)) rows += (await tx.run(stmt)).changes;
  const cases = Number((await tx.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "Case"'))?.n ?? 0);
  // The per-person and department figures' facts and rollups (db/stats-event-rollup.ts).
  const { facts } = await rebuildEventRollups(tx);
  return { cases, rows, facts };
}
