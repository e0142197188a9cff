import {
  caseRollup,
  KEY_COLUMNS,
  MEASURES,
  netDeltas,
  ratingRollup,
  rollupKeyOf,
  type RollupCase,
  type RollupDelta,
} from '../core/stats/rollup-fns.ts';
import type { SqlTx } from './sql-connection.ts';
import { rebuildEventRollups, rollupEventsOfCaseChange } from './stats-event-rollup.ts';
import { dateOrNull } from './sql-values.ts';

/**
 * Keeps "StatsRollup" in step with the cases (core/stats/rollup-fns.ts says what a case adds).
 * Called by the case store inside the unit of work that changes the case, so a rollup never
 * disagrees with a committed case. Plain SQL (INSERT … ON CONFLICT DO UPDATE) that SQLite and
 * PostgreSQL both accept.
 */

const COLUMNS = [...KEY_COLUMNS, ...MEASURES];
const UPSERT = `INSERT INTO "StatsRollup" (${COLUMNS.map((c) => `"${c}"`).join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')})
  ON CONFLICT (${KEY_COLUMNS.map((c) => `"${c}"`).join(', ')}) DO UPDATE SET ${MEASURES.map((m) => `"${m}" = "StatsRollup"."${m}" + excluded."${m}"`).join(', ')}`;

const STATE_SELECT = `SELECT "streetId", "departmentId", "status", "post", "mode721", "reworkCount", "reopenCount", "autoVerified", "postponed",
  "createdAt", "resolvedAt", "closedAt", "dueAt", "responseDueAt" FROM "Case"`;

interface StateRecord {
  id?: number;
  streetId: number | null;
  departmentId: number | null;
  status: string;
  post: string | null;
  mode721: string | null;
  reworkCount: number;
  reopenCount: number;
  autoVerified: number;
  postponed: number;
  createdAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
  dueAt: string | null;
  responseDueAt: string | null;
}

const toState = (r: StateRecord): RollupCase => ({
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

async function apply(tx: SqlTx, deltas: readonly RollupDelta[]): Promise<void> {
  for (const d of netDeltas(deltas)) await tx.run(UPSERT, ...COLUMNS.map((c) => d[c]));
}

/** The case as the rollups see it, read before a change. */
export async function rollupState(tx: SqlTx, caseId: number): Promise<RollupCase | null> {
  const r = await tx.get<StateRecord>(`${STATE_SELECT} WHERE "id" = ?`, caseId);
  return r ? toState(r) : null;
}

/**
 * After a case was inserted (before = null) or updated: subtract what it added before, add what
 * it adds now. When its street changed, its ratings move with it.
 */
export async function rollupCaseChange(tx: SqlTx, caseId: number, before: RollupCase | null): Promise<void> {
  const after = await rollupState(tx, caseId);
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

/** Cases read per statement while rebuilding: bounded memory at a million cases. */
const CHUNK = 5000;

/**
 * Recomputes every rollup from the cases, ratings and case events (`npm run stats:rebuild`): for a database
 * whose cases were written around the case store (an import, a repair by hand). Runs in the
 * caller's unit of work, so readers see the old rollups or the new ones, never a half.
 */
export async function rebuildRollups(tx: SqlTx): Promise<{ cases: number; rows: number; facts: number }> {
  const acc = new Map<string, RollupDelta>();
  const add = (ds: readonly RollupDelta[]) => {
    for (const d of ds) {
      const key = rollupKeyOf(d);
      const a = acc.get(key);
      if (!a) acc.set(key, { ...d });
      else for (const m of MEASURES) a[m] += d[m];
    }
  };
  let cases = 0;
  for (let after = 0; ;) {
    const rows = await tx.all<StateRecord & { id: number }>(
      `${STATE_SELECT.replace('SELECT ', 'SELECT "id", ')} WHERE "id" > ? ORDER BY "id" LIMIT ${CHUNK}`,
      after,
    );
    if (!rows.length) break;
    for (const r of rows) add(caseRollup(toState(r)));
    cases += rows.length;
    after = rows[rows.length - 1]!.id;
  }
  for (let after = 0; ;) {
    const rows = await tx.all<{ id: number; score: string; createdAt: string; streetId: number | null }>(
      `SELECT r."id", r."score", r."createdAt", c."streetId" FROM "Rating" r JOIN "Case" c ON c."id" = r."caseId"
       WHERE r."id" > ? ORDER BY r."id" LIMIT ${CHUNK}`,
      after,
    );
    if (!rows.length) break;
    for (const r of rows) add([ratingRollup({ streetId: r.streetId, score: r.score, at: new Date(r.createdAt) })]);
    after = rows[rows.length - 1]!.id;
  }
  await tx.run('DELETE FROM "StatsRollup"');
  const rows = [...acc.values()].filter((d) => MEASURES.some((m) => d[m] !== 0));
  for (const d of rows) await tx.run(UPSERT, ...COLUMNS.map((c) => d[c]));
  // The per-person and department figures' facts and rollups (db/stats-event-rollup.ts).
  const { facts } = await rebuildEventRollups(tx);
  return { cases, rows: rows.length, facts };
}
