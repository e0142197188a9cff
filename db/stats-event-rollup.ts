import { REWORK_EVENT_TYPES } from '../core/stats/assessment-rules.ts';
import { withBlocks, withDistrictRows } from '../core/stats/rollup-blocks.ts';
import {
  EVENT_MEASURES,
  assigneeOf,
  eventDelta,
  handledFlags,
  netEventDeltas,
  type EventRollupDelta,
} from '../core/stats/event-rollup-fns.ts';
import type { RollupCase } from '../core/stats/rollup-fns.ts';
import { countTrue, districtDate, jsonField } from './sql-dialect.ts';
import type { SqlTx } from './sql-connection.ts';
import { dateOrNull, sqlBool, sqlDate } from './sql-values.ts';
import { blockRollupSql, districtRollupSql } from './stats-rollup-blocks.ts';

/**
 * Keeps "StatsEventFact" and "StatsEventRollup" (see the schema) in step with the case events
 * and the cases, in the unit of work that appends the event or changes the case, so the
 * per-person and department figures of a period are a sum over days plus the facts of a few
 * hours, never a scan of "CaseEvent". What each kind counts follows the direct statements of
 * test/helpers/stats-direct.ts (loadStatsRowsDirect), which test/integration/stats-rollups.test.ts
 * compares them with. One assumption: a case's events carry non-decreasing times in the order
 * they are appended (they are stamped with the clock as they happen).
 */

const REWORK = `(${REWORK_EVENT_TYPES.map((t) => `'${t}'`).join(', ')})`;

/** One statement for `rows` rows: on PostgreSQL every statement is a round trip. */
const upsert = (
  rows: number,
) => `INSERT INTO "StatsEventRollup" ("kind", "day", "ownerId", "streetId", "n", "onTime", "rework", "acceptedInTime")
  VALUES ${Array<string>(rows).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}
  ON CONFLICT ("kind", "day", "ownerId", "streetId") DO UPDATE SET "n" = "StatsEventRollup"."n" + excluded."n",
    "onTime" = "StatsEventRollup"."onTime" + excluded."onTime", "rework" = "StatsEventRollup"."rework" + excluded."rework",
    "acceptedInTime" = "StatsEventRollup"."acceptedInTime" + excluded."acceptedInTime"`;

/** Every kind is summed over periods: each day's row is also kept under its blocks (core/stats/rollup-blocks.ts). */
const EVENT_KINDS = ['handled', 'assigned', 'referred', 'returned'];

/** The event rollups' block rows summed from their day rows (npm run stats:rebuild, and the blocks' migration). */
export const eventBlockRollupSql = (d: SqlTx['dialect']): string[] =>
  blockRollupSql(d, 'StatsEventRollup', ['kind', 'day', 'ownerId', 'streetId'], EVENT_MEASURES, EVENT_KINDS);

/** The department events the district also keeps as its own rows (core/stats/rollup-blocks.ts DISTRICT_ROWS). */
const DISTRICT_EVENT_KINDS = ['referred', 'returned'];

/** The district's department-event rows summed from the rows per street, blocks included (after them). */
export const eventDistrictRollupSql = (): string =>
  districtRollupSql('StatsEventRollup', ['kind', 'day', 'ownerId', 'streetId'], EVENT_MEASURES, DISTRICT_EVENT_KINDS);

async function apply(tx: SqlTx, deltas: readonly EventRollupDelta[]): Promise<void> {
  // Netted after the district's rows and the blocks are added (each key once, as a multi-row
  // upsert requires): a case moved between streets leaves the district's rows as they were.
  const rows = netEventDeltas(withBlocks(withDistrictRows(deltas, DISTRICT_EVENT_KINDS)));
  if (rows.length)
    await tx.run(
      upsert(rows.length),
      ...rows.flatMap((d) => [d.kind, d.day, d.ownerId, d.streetId, d.n, d.onTime, d.rework, d.acceptedInTime]),
    );
}

/** Accepted by one of the referred department's people by the case's responseDueAt (as 0 or 1). */
const ACCEPTED_IN_TIME = `CASE WHEN EXISTS (SELECT 1 FROM "CaseEvent" a JOIN "Person" ap ON ap."id" = a."actorId"
  WHERE a."caseId" = f."caseId" AND a."id" > f."eventId" AND a."type" = 'accepted' AND ap."departmentId" = f."ownerId"
    AND a."createdAt" <= c."responseDueAt") THEN 1 ELSE 0 END`;

interface CaseFlags {
  streetId: number | null;
  status: string;
  closedAt: string | Date | null;
  dueAt: string | Date | null;
  postponed: number | boolean;
  reworkCount: number;
  reopenCount: number;
}

async function caseNow(tx: SqlTx, caseId: number): Promise<CaseFlags | undefined> {
  return tx.get<CaseFlags>(
    `SELECT "streetId", "status", "closedAt", "dueAt", "postponed", "reworkCount", "reopenCount" FROM "Case" WHERE "id" = ?`,
    caseId,
  );
}

const flagsOf = (c: CaseFlags) =>
  handledFlags({
    status: c.status,
    closedAt: dateOrNull(c.closedAt),
    dueAt: dateOrNull(c.dueAt),
    postponed: Number(c.postponed) === 1 || c.postponed === true,
    reworkCount: Number(c.reworkCount),
    reopenCount: Number(c.reopenCount),
  } as RollupCase);

interface FactRecord {
  eventId: number;
  kind: string;
  ownerId: number;
  at: string | Date;
  flag: number | boolean;
}
const isSet = (v: number | boolean) => v === true || Number(v) === 1;

/** Re-judges the case's referrals (a department's person accepted it, or its responseDueAt moved). */
async function refreshReferrals(tx: SqlTx, caseId: number): Promise<EventRollupDelta[]> {
  const rows = await tx.all<FactRecord & { now: number; streetId: number | null }>(
    `SELECT f."eventId", f."kind", f."ownerId", f."at", f."flag", c."streetId", ${ACCEPTED_IN_TIME} AS "now"
     FROM "StatsEventFact" f JOIN "Case" c ON c."id" = f."caseId" WHERE f."caseId" = ? AND f."kind" = 'referred'`,
    caseId,
  );
  const deltas: EventRollupDelta[] = [];
  for (const r of rows) {
    const now = Number(r.now) === 1;
    if (now === isSet(r.flag)) continue;
    await tx.run('UPDATE "StatsEventFact" SET "flag" = ? WHERE "eventId" = ?', sqlBool(now), r.eventId);
    deltas.push(
      eventDelta('referred', dateOrNull(r.at)!, r.ownerId, { streetId: r.streetId ?? 0, acceptedInTime: now ? 1 : -1 }),
    );
  }
  return deltas;
}

export interface AppendedEvent {
  id: number;
  caseId: number;
  type: string;
  actorId: number | null;
  data?: Record<string, unknown>;
  at: Date;
}

/** After an event was appended to a case (same unit of work). Events the figures do not read cost nothing. */
export async function rollupEvent(tx: SqlTx, e: AppendedEvent): Promise<void> {
  const deltas: EventRollupDelta[] = [];
  const insertFact = (kind: string, ownerId: number, prevAt: Date | null, flag: boolean) =>
    tx.run(
      `INSERT INTO "StatsEventFact" ("eventId", "caseId", "kind", "ownerId", "at", "prevAt", "flag") VALUES (?, ?, ?, ?, ?, ?, ?)`,
      e.id,
      e.caseId,
      kind,
      ownerId,
      sqlDate(e.at),
      prevAt ? sqlDate(prevAt) : null,
      sqlBool(flag),
    );
  switch (e.type) {
    case 'resolved': {
      if (e.actorId === null) return;
      const prev = await tx.get<{ at: string | Date }>(
        `SELECT "at" FROM "StatsEventFact" WHERE "caseId" = ? AND "ownerId" = ? AND "kind" IN ('resolved', 'reresolved')
         ORDER BY "eventId" DESC LIMIT 1`,
        e.caseId,
        e.actorId,
      );
      const c = await caseNow(tx, e.caseId);
      if (!c) return;
      if (prev) {
        await insertFact('reresolved', e.actorId, dateOrNull(prev.at), false);
      } else {
        await insertFact('resolved', e.actorId, null, false);
        deltas.push(eventDelta('handled', e.at, e.actorId, { n: 1, onTime: flagsOf(c).onTime }));
      }
      break;
    }
    case 'rework':
    case 'reopened': {
      // Every earlier resolution of the case has now been sent back after it.
      const facts = await tx.all<FactRecord>(
        `SELECT "eventId", "kind", "ownerId", "at", "flag" FROM "StatsEventFact"
         WHERE "caseId" = ? AND "kind" IN ('resolved', 'reresolved') AND "flag" = FALSE AND "eventId" < ?`,
        e.caseId,
        e.id,
      );
      if (!facts.length) return;
      await tx.run(
        `UPDATE "StatsEventFact" SET "flag" = TRUE WHERE "caseId" = ? AND "kind" IN ('resolved', 'reresolved') AND "flag" = FALSE AND "eventId" < ?`,
        e.caseId,
        e.id,
      );
      const c = await caseNow(tx, e.caseId);
      const reworked = c ? flagsOf(c).reworked : 0;
      for (const f of facts)
        if (f.kind === 'resolved' && reworked)
          deltas.push(eventDelta('handled', dateOrNull(f.at)!, f.ownerId, { rework: 1 }));
      break;
    }
    case 'referred': {
      const name = e.data?.department;
      if (typeof name !== 'string') return;
      const dept = await tx.get<{ id: number }>('SELECT "id" FROM "Department" WHERE "name" = ?', name);
      if (!dept) return;
      const c = await caseNow(tx, e.caseId);
      await insertFact('referred', dept.id, null, false);
      deltas.push(eventDelta('referred', e.at, dept.id, { streetId: c?.streetId ?? 0, n: 1 }));
      deltas.push(...(await refreshReferrals(tx, e.caseId)));
      break;
    }
    case 'accepted':
      if (e.actorId !== null) deltas.push(...(await refreshReferrals(tx, e.caseId)));
      break;
    case 'returned': {
      if (e.actorId === null) return;
      const p = await tx.get<{ departmentId: number | null }>(
        'SELECT "departmentId" FROM "Person" WHERE "id" = ?',
        e.actorId,
      );
      if (p?.departmentId === null || p?.departmentId === undefined) return;
      const c = await caseNow(tx, e.caseId);
      await insertFact('returned', p.departmentId, null, false);
      deltas.push(eventDelta('returned', e.at, p.departmentId, { streetId: c?.streetId ?? 0, n: 1 }));
      break;
    }
    case 'assigned': {
      const assignee = assigneeOf(e.data);
      if (assignee !== null) deltas.push(eventDelta('assigned', e.at, assignee, { n: 1 }));
      break;
    }
    default:
      return;
  }
  await apply(tx, deltas);
}

/**
 * After a case changed (same unit of work): its handlers' on-time and sent-back counts follow
 * its state, its referrals follow its responseDueAt, and its referrals and returns follow its street.
 */
export async function rollupEventsOfCaseChange(
  tx: SqlTx,
  caseId: number,
  before: RollupCase | null,
  after: RollupCase | null,
): Promise<void> {
  if (!before || !after) return;
  const b = handledFlags(before);
  const a = handledFlags(after);
  const dOnTime = a.onTime - b.onTime;
  const dReworked = a.reworked - b.reworked;
  const moved = (before.streetId ?? 0) !== (after.streetId ?? 0);
  const deadline = (before.responseDueAt?.getTime() ?? null) !== (after.responseDueAt?.getTime() ?? null);
  if (!dOnTime && !dReworked && !moved && !deadline) return;
  const deltas: EventRollupDelta[] = [];
  const facts = await tx.all<FactRecord>(
    `SELECT "eventId", "kind", "ownerId", "at", "flag" FROM "StatsEventFact" WHERE "caseId" = ?`,
    caseId,
  );
  for (const f of facts) {
    const at = dateOrNull(f.at)!;
    if (f.kind === 'resolved' && (dOnTime || dReworked))
      deltas.push(eventDelta('handled', at, f.ownerId, { onTime: dOnTime, rework: isSet(f.flag) ? dReworked : 0 }));
    if (moved && (f.kind === 'referred' || f.kind === 'returned')) {
      const accepted = f.kind === 'referred' && isSet(f.flag) ? 1 : 0;
      const kind = f.kind;
      deltas.push(
        eventDelta(kind, at, f.ownerId, { streetId: before.streetId ?? 0, n: -1, acceptedInTime: -accepted }),
        eventDelta(kind, at, f.ownerId, { streetId: after.streetId ?? 0, n: 1, acceptedInTime: accepted }),
      );
    }
  }
  await apply(tx, deltas);
  if (deadline) await apply(tx, await refreshReferrals(tx, caseId));
}

/**
 * The facts and their rollups computed from the events and cases already there, as set-based
 * statements: the migration's backfill is this text for each engine, and rebuildEventRollups
 * (npm run stats:rebuild) runs it after emptying both tables.
 */
export function eventBackfillSql(d: SqlTx['dialect']): string[] {
  const handledOnTime = `c."status" = 'closed' AND c."closedAt" IS NOT NULL AND c."dueAt" IS NOT NULL AND c."closedAt" <= c."dueAt" AND c."postponed" = FALSE`;
  const sentBack = `CASE WHEN EXISTS (SELECT 1 FROM "CaseEvent" w WHERE w."caseId" = r."caseId" AND w."id" > r."id" AND w."type" IN ${REWORK}) THEN TRUE ELSE FALSE END`;
  const facts = `INSERT INTO "StatsEventFact" ("eventId", "caseId", "kind", "ownerId", "at", "prevAt", "flag")`;
  const rollup = `INSERT INTO "StatsEventRollup" ("kind", "day", "ownerId", "streetId", "n", "onTime", "rework", "acceptedInTime")`;
  return [
    `${facts}
SELECT r."id", r."caseId", CASE WHEN r."prevAt" IS NULL THEN 'resolved' ELSE 'reresolved' END, r."actorId", r."createdAt", r."prevAt", ${sentBack}
FROM (SELECT e."id", e."caseId", e."actorId", e."createdAt",
             LAG(e."createdAt") OVER (PARTITION BY e."caseId", e."actorId" ORDER BY e."id") AS "prevAt"
      FROM "CaseEvent" e WHERE e."type" = 'resolved' AND e."actorId" IS NOT NULL) r`,
    `${facts}
SELECT e."id", e."caseId", 'referred', dp."id", e."createdAt", NULL, FALSE
FROM "CaseEvent" e JOIN "Department" dp ON dp."name" = ${jsonField(d, 'e."data"', 'department')}
WHERE e."type" = 'referred'`,
    `UPDATE "StatsEventFact" SET "flag" = TRUE WHERE "kind" = 'referred' AND EXISTS (
  SELECT 1 FROM "Case" c, "CaseEvent" a JOIN "Person" ap ON ap."id" = a."actorId"
  WHERE c."id" = "StatsEventFact"."caseId" AND a."caseId" = "StatsEventFact"."caseId" AND a."id" > "StatsEventFact"."eventId"
    AND a."type" = 'accepted' AND ap."departmentId" = "StatsEventFact"."ownerId" AND a."createdAt" <= c."responseDueAt")`,
    `${facts}
SELECT e."id", e."caseId", 'returned', ap."departmentId", e."createdAt", NULL, FALSE
FROM "CaseEvent" e JOIN "Person" ap ON ap."id" = e."actorId"
WHERE e."type" = 'returned' AND ap."departmentId" IS NOT NULL`,
    `${rollup}
SELECT 'handled', ${districtDate(d, 'f."at"')}, f."ownerId", 0, COUNT(*), ${countTrue(handledOnTime)},
       ${countTrue(`f."flag" AND (c."reworkCount" > 0 OR c."reopenCount" > 0)`)}, 0
FROM "StatsEventFact" f JOIN "Case" c ON c."id" = f."caseId" WHERE f."kind" = 'resolved' GROUP BY 2, 3`,
    `${rollup}
SELECT f."kind", ${districtDate(d, 'f."at"')}, f."ownerId", COALESCE(c."streetId", 0), COUNT(*), 0, 0, ${countTrue('f."flag"')}
FROM "StatsEventFact" f JOIN "Case" c ON c."id" = f."caseId" WHERE f."kind" IN ('referred', 'returned') GROUP BY 1, 2, 3, 4`,
    `${rollup}
SELECT 'assigned', ${districtDate(d, 'e."createdAt"')}, CAST(${jsonField(d, 'e."data"', 'assigneeId')} AS INTEGER), 0, COUNT(*), 0, 0, 0
FROM "CaseEvent" e WHERE e."type" = 'assigned' AND ${jsonField(d, 'e."data"', 'assigneeId')} IS NOT NULL GROUP BY 2, 3`,
  ];
}

/** Recomputes the event facts and rollups from the events and cases (in the caller's unit of work). */
export async function rebuildEventRollups(tx: SqlTx): Promise<{ facts: number }> {
  await tx.run('DELETE FROM "StatsEventRollup"');
  await tx.run('DELETE FROM "StatsEventFact"');
  for (const stmt of [...eventBackfillSql(tx.dialect), ...eventBlockRollupSql(tx.dialect), eventDistrictRollupSql()])
    await tx.run(stmt);
  const r = await tx.get<{ n: number }>('SELECT COUNT(*) AS "n" FROM "StatsEventFact"');
  return { facts: Number(r?.n ?? 0) };
}
