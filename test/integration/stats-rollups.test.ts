import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseStatus } from '../../core/case/case-types.ts';
import { districtDay, parseBound, type Period } from '../../core/stats/period-fns.ts';
import {
  computeDepartmentScorecards,
  computeFigures,
  computePersonFigures,
  computeStreetFigures,
  dailyTrend,
} from '../../core/stats/stats-fns.ts';
import type { StatsRows } from '../../core/stats/stats-types.ts';
import { createCaseStore } from '../../db/case-store.ts';
import { createOutboxStore } from '../../db/outbox-store.ts';
import { createPrismaClient, sqlOf } from '../../db/prisma-client.ts';
import { attachReaderPool, readerOf } from '../../db/reader-pool.ts';
import type { SqlValue } from '../../db/sql-connection.ts';
import { districtDate } from '../../db/sql-dialect.ts';
import { MIGRATIONS_DIR, PG_MIGRATIONS_DIR } from '../../db/schema-engine.ts';
import { loadStatsRows, referralDepartments, streetsInScope, type WholeDayRows } from '../../db/stats-queries.ts';
import { createTtlCache } from '../../core/stats/ttl-cache.ts';
import { coverKeys } from '../../core/stats/rollup-blocks.ts';
import { createStatsCaches, statsFor } from '../../server/routes/stats-routes.ts';
import type { HourRows, RepeatRow } from '../../db/stats-hour-rows.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { loadStatsRowsDirect } from '../helpers/stats-direct.ts';
import { rebuildRollups, rollupRebuildSql } from '../../db/stats-rollup.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createTestDb, defaultTestEngine, type TestDb } from '../helpers/test-db.ts';

/**
 * The statistics read whole past days from "StatsRollup" and the rest from the cases. Here a
 * varied, deterministic data set (three streets, several items, every status, two months, cases
 * on either side of a Shanghai midnight, postponements, rework, ratings, departments) is written,
 * part of it changed afterwards through the case store, and every figure is compared with the
 * same figures computed from the cases directly, for several periods and scopes.
 */
const NOW = new Date('2026-11-20T04:00:00Z'); // 12:00 in Shanghai
const HOUR = 3_600_000;
const STREETS = ['万松街道', '北湖街道', '唐家墩街道'];
const ITEMS = ['HW-001', 'SR-001', 'YS-GA-001', null];
const STATUSES: CaseStatus[] = [
  'triage',
  'dispatched',
  'accepted',
  'resolved',
  'closed',
  'closed',
  'merged',
  'rejected',
];

let t: TestDb;
const ids: number[] = [];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const eventSnapshot = async () =>
  (
    await t.db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT 'fact' AS t, "eventId", "caseId", "kind", "ownerId", "at", "prevAt", CASE WHEN "flag" THEN 1 ELSE 0 END AS flag, 0 AS n, 0 AS "onTime", 0 AS rework, 0 AS "acceptedInTime", '' AS day, 0 AS "streetId"
       FROM "StatsEventFact"
       UNION ALL
       SELECT 'rollup', 0, 0, "kind", "ownerId", NULL, NULL, 0, "n", "onTime", "rework", "acceptedInTime", "day", "streetId"
       FROM "StatsEventRollup" WHERE "n" <> 0 OR "onTime" <> 0 OR "rework" <> 0 OR "acceptedInTime" <> 0
       ORDER BY 1, 2, 4, 13, 5, 14`,
    )
  ).map((r) =>
    JSON.stringify(r, (_k, v: unknown) =>
      typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString() : v,
    ),
  );

const snapshot = async () =>
  (
    await t.db.$queryRawUnsafe<Record<string, unknown>[]>(
      `SELECT "kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened",
              "resolvedCount", CAST("handlingMs" AS TEXT) AS handlingMs, "postponed", "onTime"
       FROM "StatsRollup"
       WHERE "n" <> 0 OR "reworkSum" <> 0 OR "reopened" <> 0 OR "resolvedCount" <> 0 OR "handlingMs" <> 0 OR "postponed" <> 0 OR "onTime" <> 0
       ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`,
    )
  ).map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));

beforeAll(async () => {
  t = await createTestDb();
  await seedReferenceData(t.db);
  const f = createCaseFactory(t.db);
  const resident = await f.person({ role: 'resident' });
  const rand = rng(20261120);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const start = Date.parse('2026-09-25T00:00:00Z');
  for (let i = 0; i < 240; i++) {
    const createdAt = new Date(start + rand() * (NOW.getTime() + 2 * HOUR - start));
    const status = pick(STATUSES);
    const done = status === 'resolved' || status === 'closed';
    const dueAt = rand() < 0.9 ? new Date(createdAt.getTime() + (12 + rand() * 200) * HOUR) : null;
    const resolvedAt = done ? new Date(createdAt.getTime() + rand() * 150 * HOUR) : null;
    const c = await f.case({
      reporterId: resident.id,
      street: rand() < 0.05 ? null : pick(STREETS),
      department: rand() < 0.2 ? pick(['市场监管', '公安']) : null,
      itemCode: pick(ITEMS),
      status,
      mode721: done ? pick(['service', 'management', 'enforcement']) : null,
      postponed: rand() < 0.1,
      reworkCount: rand() < 0.1 ? 1 : 0,
      reopenCount: rand() < 0.05 ? 1 : 0,
      autoVerified: status === 'closed' && rand() < 0.3,
      createdAt,
      dueAt,
      responseDueAt: new Date(createdAt.getTime() + 24 * HOUR),
      resolvedAt,
      closedAt: status === 'closed' ? new Date(resolvedAt!.getTime() + rand() * 60 * HOUR) : null,
    });
    ids.push(c.id);
    if (status === 'closed' && rand() < 0.5)
      await f.rating(c.id, resident.id, pick(['satisfied', 'basic', 'unsatisfied']), c.closedAt!);
  }
  // Either side of Shanghai midnight (16:00Z): one district day apart.
  for (const at of [
    '2026-11-09T15:59:59.999Z',
    '2026-11-09T16:00:00.000Z',
    '2026-10-31T15:59:59.999Z',
    '2026-10-31T16:00:00.000Z',
  ])
    ids.push(
      (
        await f.case({
          reporterId: resident.id,
          street: STREETS[0]!,
          itemCode: 'HW-001',
          status: 'closed',
          mode721: 'service',
          createdAt: at,
          dueAt: at,
          resolvedAt: at,
          closedAt: at,
        })
      ).id,
    );

  // Deadlines later today (not due yet, unless closed by them) and earlier today (due).
  const inHours = (h: number) => new Date(NOW.getTime() + h * HOUR);
  for (const [status, dueAt, closedAt] of [
    ['accepted', inHours(3), null],
    ['closed', inHours(5), inHours(-1)],
    ['closed', inHours(-2), inHours(-1)],
    ['rejected', inHours(1), null],
    ['accepted', inHours(-3), null],
  ] as const)
    ids.push(
      (
        await f.case({
          reporterId: resident.id,
          street: STREETS[1]!,
          department: '公安',
          itemCode: 'HW-001',
          status,
          createdAt: inHours(-30),
          dueAt,
          resolvedAt: closedAt,
          closedAt,
        })
      ).id,
    );

  // Patrol findings settled on the spot (721 service), with and without a patrol, in every part of
  // a period: whole days, today, and the hours around a bound inside a day.
  const inspector = await f.person({ role: 'inspector', street: STREETS[1]! });
  for (let i = 0; i < 60; i++) {
    const at = new Date(start + rand() * (NOW.getTime() - start));
    await f.finding({
      inspectorId: inspector.id,
      outcome: rand() < 0.8 ? 'settled' : 'case',
      createdAt: at,
      ...(rand() < 0.5 ? { patrolStreet: pick(STREETS) } : {}),
    });
  }
  for (const at of [
    '2026-10-15T07:30:12.345Z',
    '2026-10-15T07:45:00Z',
    '2026-10-15T09:10:00Z',
    '2026-11-12T09:50:00Z',
    '2026-11-20T02:00:00Z',
  ])
    await f.finding({ inspectorId: inspector.id, outcome: 'settled', createdAt: at, patrolStreet: STREETS[0]! });

  // Changes after the fact, through the case store: every kind of column the figures read.
  const outbox = createOutboxStore(t.db, { clock: () => NOW });
  const store = createCaseStore(t.db, (tx, people, msg, key, caseId) =>
    outbox.enqueueForPeople(tx, people, msg, key, caseId),
  );
  const wansong = await f.streetId(STREETS[0]!);
  const beihu = await f.streetId(STREETS[1]!);

  // The events the per-person and department figures read, appended through the case store in
  // each case's time order: assignments and resolutions by enforcers and team leads (a second
  // resolution by the same person after 核查不通过, on another day), 重新办理, referrals to
  // departments accepted in time or late by their liaisons, and returns.
  const people = [
    ...(await Promise.all(STREETS.map((street) => f.person({ role: 'enforcer', street })))),
    ...(await Promise.all(STREETS.map((street) => f.person({ role: 'team_lead', street })))),
    await f.person({ role: 'enforcer', street: STREETS[0]! }),
  ];
  const liaison = {
    市场监管: await f.person({ role: 'dept_liaison', department: '市场监管' }),
    公安: await f.person({ role: 'dept_liaison', department: '公安' }),
  };
  const departmentName = new Map([
    [await f.departmentId('市场监管'), '市场监管' as const],
    [await f.departmentId('公安'), '公安' as const],
  ]);
  const append = (caseId: number, type: string, actorId: number | null, at: Date, data: Record<string, unknown> = {}) =>
    store.transaction((tx) =>
      tx.appendEvent({ caseId, type, fromStatus: null, toStatus: null, actorId, actorRole: 'enforcer', data, at }),
    );
  for (const [k, id] of ids.entries()) {
    const c = (await t.db.case.findUniqueOrThrow({ where: { id } }))!;
    const who = people[k % people.length]!;
    const t0 = c.createdAt.getTime();
    const dept = c.departmentId === null ? undefined : departmentName.get(c.departmentId);
    if (dept) {
      await append(id, 'referred', null, new Date(t0 + HOUR), { department: dept });
      if (k % 3 !== 2) await append(id, 'accepted', liaison[dept].id, new Date(t0 + (k % 2 ? 2 : 40) * HOUR));
      if (k % 5 === 0) await append(id, 'returned', liaison[dept].id, new Date(t0 + 41 * HOUR), { to: 'centre' });
    }
    if (k % 4 !== 3) await append(id, 'assigned', null, new Date(t0 + 2 * HOUR), { assigneeId: who.id });
    if (!c.resolvedAt) continue;
    const r = c.resolvedAt.getTime();
    await append(id, 'resolved', who.id, new Date(r));
    if (k % 5 === 0) await append(id, 'resolved', people[(k + 1) % people.length]!.id, new Date(r + 10 * 60_000));
    if (k % 6 === 0) {
      await store.transaction((tx) => tx.updateCase(id, { reworkCount: c.reworkCount + 1 }));
      await append(id, 'rework', null, new Date(r + HOUR));
      await append(id, 'resolved', who.id, new Date(r + 30 * HOUR));
    }
    if (k % 9 === 0) {
      await append(id, 'reopened', null, new Date(r + 50 * HOUR));
      await store.transaction((tx) => tx.updateCase(id, { reopenCount: c.reopenCount + 1 }));
    }
  }

  for (const [k, id] of ids.entries()) {
    if (k % 7 === 0)
      await store.transaction(async (tx) => {
        const c = (await tx.getCase({ id }))!;
        await tx.updateCase(id, {
          status: 'closed',
          closedAt: new Date((c.resolvedAt ?? c.createdAt).getTime() + 5 * HOUR),
          resolvedAt: c.resolvedAt ?? new Date(c.createdAt.getTime() + 3 * HOUR),
          mode721: 'management',
        });
        await tx.insertRating({ caseId: id, personId: resident.id, score: 'basic', comment: null, at: NOW });
      });
    if (k % 11 === 0)
      await store.transaction(async (tx) => {
        await tx.updateCase(id, { streetId: k % 2 ? wansong : beihu, postponed: true, reworkCount: 2 });
      });
    if (k % 13 === 0)
      await store.transaction(async (tx) => {
        const c = (await tx.getCase({ id }))!;
        await tx.updateCase(id, {
          dueAt: new Date(c.createdAt.getTime() + 30 * HOUR),
          status: 'accepted',
          closedAt: null,
        });
      });
    if (k % 17 === 0)
      await store.transaction(async (tx) => {
        const c = (await tx.getCase({ id }))!;
        await tx.updateCase(id, { responseDueAt: new Date(c.createdAt.getTime() + 60 * HOUR), reopenCount: 1 });
      });
  }
});

afterAll(async () => {
  await t.db.$disconnect();
});

async function figures(load: typeof loadStatsRows, period: Period, streetId: number | null, now = NOW) {
  const rows: StatsRows = await load(t.db, period, streetId, now);
  const [streets, departments, allStreets] = await Promise.all([
    streetsInScope(t.db, streetId),
    referralDepartments(t.db),
    streetsInScope(t.db, null),
  ]);
  return {
    totals: computeFigures(rows.groups, rows.due, rows.ratings, rows.settled),
    streets: computeStreetFigures(rows, streets),
    departments: computeDepartmentScorecards(rows, departments),
    people: computePersonFigures(rows, allStreets),
    trend: dailyTrend(rows, period),
  };
}

/** The statements after '-- Backfill' in a migration of this engine (or SQLite's), that match `keep`. */
function backfillOf(suffix: string, keep: RegExp, engine = defaultTestEngine()): string[] {
  const dir = engine === 'sqlite' ? MIGRATIONS_DIR : PG_MIGRATIONS_DIR;
  const folder = readdirSync(dir).find((d) => d.endsWith(suffix))!;
  const migration = readFileSync(path.join(dir, folder, 'migration.sql'), 'utf8');
  return migration
    .slice(migration.indexOf('-- Backfill'))
    .split('\n')
    .filter((line) => !line.startsWith('--'))
    .join('\n')
    .split(';')
    .filter((x) => keep.test(x));
}

const p = (from: string, to: string): Period => ({ from: parseBound(from, 'from'), to: parseBound(to, 'to') });

/**
 * A second client on the test's database whose reader records each statement (and its values)
 * on its way through, for the tests that check what a statistic sends.
 */
async function recordedReads() {
  const db = await createPrismaClient(t.url);
  const base = readerOf(db);
  const sent: Array<{ sql: string; args: SqlValue[] }> = [];
  const read = Object.assign(
    <T>(sql: string, ...args: SqlValue[]) => {
      sent.push({ sql, args });
      return base<T>(sql, ...args);
    },
    { dialect: base.dialect },
  );
  attachReaderPool(db, { all: read, close: async () => {} });
  return { db, base, sent };
}

describe('statistics from rollups', () => {
  const periods: Array<[string, Period]> = [
    ['November (today inside)', p('2026-11-01', '2026-11-30')],
    ['October (whole past days)', p('2026-10-01', '2026-10-31')],
    ['two months and more', p('2026-09-20', '2026-11-20')],
    ['bounds inside days', { from: new Date('2026-10-15T07:30:00Z'), to: new Date('2026-11-19T23:59:00Z') }],
    ['one past day', p('2026-11-10', '2026-11-10')],
    [
      'two hours across a Shanghai midnight',
      { from: new Date('2026-11-09T15:00:00Z'), to: new Date('2026-11-09T17:00:00Z') },
    ],
  ];

  it('equal the figures computed from the cases directly, for every period and scope', async () => {
    const scopes = [null, await createCaseFactory(t.db).streetId(STREETS[0]!)];
    for (const [name, period] of periods)
      for (const streetId of scopes) {
        const fromRollups = await figures(loadStatsRows, period, streetId);
        const direct = await figures(loadStatsRowsDirect, period, streetId);
        expect(fromRollups, `${name}, ${streetId ?? 'district'}`).toEqual(direct);
      }
    // The data set is not trivial: the periods above see cases, ratings and due cases.
    const nov = await figures(loadStatsRows, periods[0]![1], null);
    expect(nov.totals.total).toBeGreaterThan(50);
    expect(nov.totals.due).toBeGreaterThan(10);
    expect(nov.totals.ratings.total).toBeGreaterThan(5);
    expect(nov.totals.autoVerified).toBeGreaterThan(0);
    // … and the per-person and department figures: handled, on time, sent back, referrals
    // accepted in time, returns, people only assigned.
    const sum = <T>(xs: T[], k: (x: T) => number) => xs.reduce((n, x) => n + k(x), 0);
    expect(sum(nov.people, (p) => p.handled)).toBeGreaterThan(20);
    expect(sum(nov.people, (p) => p.onTime)).toBeGreaterThan(3);
    expect(sum(nov.people, (p) => p.rework)).toBeGreaterThan(2);
    expect(sum(nov.departments, (d) => d.referralsReceived)).toBeGreaterThan(5);
    expect(sum(nov.departments, (d) => d.acceptedInTime)).toBeGreaterThan(2);
    expect(sum(nov.departments, (d) => d.returned)).toBeGreaterThan(0);
    expect(nov.totals.mode721.patrolSettled).toBeGreaterThan(5);
  });

  it('put the cases either side of Shanghai midnight on their own district days', async () => {
    const { trend } = await figures(loadStatsRows, p('2026-11-09', '2026-11-10'), null);
    const direct = await figures(loadStatsRowsDirect, p('2026-11-09', '2026-11-10'), null);
    expect(trend).toEqual(direct.trend);
    const rollup = await t.db.$queryRawUnsafe<Array<{ day: string }>>(
      `SELECT DISTINCT "day" FROM "StatsRollup" WHERE "kind" = 'opened' AND "day" IN ('2026-11-09', '2026-11-10')`,
    );
    expect(rollup.map((r) => r.day).sort()).toEqual(['2026-11-09', '2026-11-10']);
  });

  it("share the whole hours of a bound inside a past day, and its hour's rows: a start a millisecond later reads no case", async () => {
    // A second client on the same database whose reads are recorded on their way through.
    const db = await createPrismaClient(t.url);
    const base = readerOf(db);
    const spans: number[] = [];
    const read = Object.assign(
      <T>(sql: string, ...args: SqlValue[]) => {
        if (sql.includes('FROM "Case" c WHERE c."createdAt" >= ?')) {
          const at = args.filter((a): a is string => typeof a === 'string' && /^\d{4}-\d\d-\d\dT/.test(a));
          const ms = at.map((a) => Date.parse(a));
          spans.push(Math.max(...ms) - Math.min(...ms));
        }
        return base<T>(sql, ...args);
      },
      { dialect: base.dialect },
    );
    attachReaderPool(db, { all: read, close: async () => {} });
    try {
      const clock = createFakeClock(NOW);
      const ttl = { ttlMs: 30_000, max: 50, clock: () => clock.now().getTime() };
      const wholeDays = createTtlCache<WholeDayRows>(ttl);
      const hourRows = createTtlCache<HourRows>(ttl);
      const repeats = createTtlCache<RepeatRow[]>(ttl);
      const caches = { ...createStatsCaches(), wholeDays, hourRows, repeats };
      const cached: typeof loadStatsRows = (_db, period, streetId, now) =>
        loadStatsRows(db, period, streetId, now, { wholeDays, hourRows, repeats });
      const streetId = await createCaseFactory(t.db).streetId(STREETS[0]!);
      const start = Date.parse('2026-10-15T07:30:12.345Z'); // 15:30 in Shanghai
      for (const scope of [null, streetId])
        for (const [i, to] of [new Date('2026-11-20T16:00:00Z'), new Date('2026-11-12T09:45:00Z')].entries()) {
          spans.length = 0;
          const period = { from: new Date(start + i), to };
          expect(await figures(cached, period, scope)).toEqual(await figures(loadStatsRowsDirect, period, scope));
          // The first start reads the cases of the hours around its bounds.
          expect(spans).toContain(HOUR);
          const later = { from: new Date(start + i + 1), to };
          spans.length = 0;
          expect(await figures(cached, later, scope)).toEqual(await figures(loadStatsRowsDirect, later, scope));
          // The minutes before the next whole hour (and after the last, at the end) come from
          // those hours' rows, kept: no case is read again.
          expect(spans).toEqual([]);
          // The API's figures from the same shared parts, summed once and kept (db/stats-parts.ts),
          // with the labels cached: those of the cases themselves, for a third start too.
          for (const at of [later, { from: new Date(start + i + 2), to }]) {
            const api = await statsFor(db, at, scope, NOW, caches);
            const { totals, streets, departments, people, trend } = api;
            expect({ totals, streets, departments, people, trend }).toEqual(
              await figures(loadStatsRowsDirect, at, scope),
            );
          }
        }
    } finally {
      await db.$disconnect();
    }
  });

  it("figure the minutes of a bound from its hour's rows as the statements over the cases do, starting or ending at any recorded instant", async () => {
    // Every instant the figures test (created, closed, deadline, rating, fact, assignment, finding)
    // before today, as a period's start, a millisecond after it, and as a period's end: each is
    // a part of an hour that the rows kept in memory must cut exactly where the statements do.
    const today = Date.parse('2026-11-19T16:00:00Z');
    const raw = await t.db.$queryRawUnsafe<Array<{ at: string | Date }>>(
      `SELECT "createdAt" AS "at" FROM "Case" UNION SELECT "closedAt" FROM "Case" WHERE "closedAt" IS NOT NULL
       UNION SELECT "dueAt" FROM "Case" WHERE "dueAt" IS NOT NULL UNION SELECT "createdAt" FROM "Rating"
       UNION SELECT "at" FROM "StatsEventFact" UNION SELECT "createdAt" FROM "PatrolFinding"
       UNION SELECT "createdAt" FROM "CaseEvent" WHERE "type" = 'assigned'`,
    );
    const instants = [...new Set(raw.map((r) => new Date(r.at).getTime()))]
      .filter((at) => at > Date.parse('2026-09-26T00:00:00Z') && at < today)
      .sort((a, b) => a - b);
    const sample = instants.filter((_, i) => i % Math.ceil(instants.length / 40) === 0);
    expect(sample.length).toBeGreaterThan(30);
    const clock = createFakeClock(NOW);
    const ttl = { ttlMs: 30_000, max: 500, clock: () => clock.now().getTime() };
    const opts = {
      wholeDays: createTtlCache<WholeDayRows>(ttl),
      hourRows: createTtlCache<HourRows>(ttl),
      repeats: createTtlCache<RepeatRow[]>(ttl),
    };
    const cached: typeof loadStatsRows = (db, period, streetId, now) => loadStatsRows(db, period, streetId, now, opts);
    const streetId = await createCaseFactory(t.db).streetId(STREETS[1]!);
    const end = new Date('2026-11-20T16:00:00Z');
    for (const at of sample)
      for (const scope of [null, streetId])
        for (const period of [
          { from: new Date(at), to: end },
          { from: new Date(at + 1), to: end },
          { from: new Date(at - 40 * 24 * HOUR), to: new Date(at) },
        ]) {
          const name = `${period.from.toISOString()}–${period.to.toISOString()}, ${scope ?? 'district'}`;
          expect(await figures(cached, period, scope), name).toEqual(await figures(loadStatsRowsDirect, period, scope));
        }
    // The hours' rows were used: one kept per hour a bound fell in, not a statement per period.
    expect(opts.hourRows.size).toBeGreaterThan(20);
  });

  // Grouped together by all five key columns, with six sums of every row, the three marginals of
  // the cases created cost SQLite 2.6 times as much as each summed on its own (30 days at 1M
  // cases: ~1,400 rows through its sorter); the figures are the same, in the same order.
  it('sum each marginal of the cases created on its own: one kind, grouped by street and its own column', async () => {
    const { db, sent } = await recordedReads();
    try {
      for (const streetId of [null, await createCaseFactory(t.db).streetId(STREETS[0]!)]) {
        sent.length = 0;
        const period = p('2026-10-01', '2026-10-31');
        const viaRead: typeof loadStatsRows = (_db, ...rest) => loadStatsRows(db, ...rest);
        expect(await figures(viaRead, period, streetId)).toEqual(await figures(loadStatsRowsDirect, period, streetId));
        const created = sent.map((s) => s.sql).filter((sql) => /createdBy/.test(sql));
        expect(created, sent.map((s) => s.sql).join('\n')).toHaveLength(3);
        for (const sql of created) {
          expect(sql.match(/createdBy\w+/g), sql).toHaveLength(1);
          expect(sql, sql).toMatch(/GROUP BY 1, 2 ORDER BY 1, 2$/);
        }
      }
    } finally {
      await db.$disconnect();
    }
  });

  // The patrol findings settled on the spot (721 "service") have no rollup: a period's are counted
  // from the findings. Through the index on their instant each finding of the period was fetched
  // from the table to see its outcome (30 days at 1M cases: 1,700 findings for 570 settled; 1.0 ms
  // of SQLite CPU, 1.4 ms on PostgreSQL); an index led by the outcome that carries the columns
  // the count reads answers it alone (0.2 and 0.6 ms).
  it("count a period's settled patrol findings from an index alone", async () => {
    const { db, base, sent } = await recordedReads();
    try {
      await loadStatsRows(db, p('2026-10-01', '2026-10-31'), null, NOW);
      const settled = sent.filter((s) => /FROM "PatrolFinding"/.test(s.sql));
      expect(settled.length).toBeGreaterThan(0);
      const index = 'PatrolFinding_outcome_createdAt_patrolId_inspectorId_idx';
      for (const { sql, args } of settled) {
        if (base.dialect === 'sqlite') {
          const plan = await base<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...args);
          expect(plan.map((r) => r.detail).join('\n'), sql).toContain(`COVERING INDEX ${index}`);
          continue;
        }
        // A test's few findings are cheaper to read whatever the statement: the plan is asked with
        // the other indexes on the findings and the scans of every row out of the way (in a
        // transaction rolled back), so it shows whether the index alone answers.
        await db.$executeRawUnsafe('VACUUM ANALYZE "PatrolFinding"');
        const undo = new Error('roll back');
        let plan = '';
        await sqlOf(db)
          .transaction(async (tx) => {
            await tx.run('SET LOCAL enable_seqscan = off');
            await tx.run('SET LOCAL enable_bitmapscan = off');
            await tx.run('DROP INDEX "PatrolFinding_createdAt_idx"');
            await tx.run('DROP INDEX "PatrolFinding_inspectorId_createdAt_idx"');
            plan = (await tx.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, ...args))
              .map((r) => r['QUERY PLAN'])
              .join('\n');
            throw undo;
          })
          .catch((e: unknown) => {
            if (e !== undo) throw e;
          });
        expect(plan, sql).toContain(`Index Only Scan using "${index}"`);
      }
    } finally {
      await db.$disconnect();
    }
  });

  // The district's daily trend and department figures are sums over every street: from the rows
  // per street they read 12 times the rows they give (30 days at 1M cases: 744 trend rows for 62,
  // 839 department rows for 10). Rows kept for the whole district (streetId -1) give them as read.
  it("read the district's trend, department events and cases due from the district's own rows", async () => {
    const { db, sent } = await recordedReads();
    try {
      const period = p('2026-10-01', '2026-10-31');
      const viaRead: typeof loadStatsRows = (_db, ...rest) => loadStatsRows(db, ...rest);
      expect(await figures(viaRead, period, null)).toEqual(await figures(loadStatsRowsDirect, period, null));
      const summed = sent.filter((s) => /'opened'|'referred'/.test(s.sql) && /Rollup"/.test(s.sql));
      expect(summed, sent.map((s) => s.sql).join('\n')).toHaveLength(2);
      for (const { sql, args } of summed) {
        expect(sql).toMatch(/AND "streetId" = \?/);
        expect(args.at(-1), sql).toBe(-1);
      }
      // The cases due: per street and per department, not per street and department (923 rows for
      // 30 days at 1M cases, where the figures need 84 and 70).
      const due = sent.filter((s) => /"StatsRollup"/.test(s.sql) && /'due/.test(s.sql));
      expect(due.map((s) => s.sql.match(/'due\w*'/g)).flat()).toEqual(["'dueByStreet'", "'dueByDepartment'"]);
    } finally {
      await db.$disconnect();
    }
  });

  it('sum whole days from blocks of 4, 16 and 64 days; a wrong block or trend row shows in the figures', async () => {
    // Judged later, so every day of the data lies before today and the period covers a 64-day block.
    const later = new Date('2027-01-10T04:00:00Z');
    // A: a block of 16 days then one of 64; B: blocks of 4 around one of 16.
    const periods = { A: ['2026-09-24', '2026-12-12'], B: ['2026-10-02', '2026-10-29'] } as const;
    const keysOf = (x: keyof typeof periods, prefix: string) => {
      const ks = coverKeys(periods[x][0], districtDay(parseBound(periods[x][1], 'to'))).filter((k) =>
        k.startsWith(prefix),
      );
      expect(ks.length, `${x} ${prefix}`).toBeGreaterThan(0);
      return ks.map((k) => `'${k}'`).join(', ');
    };
    const period = (x: keyof typeof periods) => p(periods[x][0], periods[x][1]);
    const scopes = [null, await createCaseFactory(t.db).streetId(STREETS[0]!)];
    for (const x of ['A', 'B'] as const)
      for (const streetId of scopes)
        expect(await figures(loadStatsRows, period(x), streetId, later), `${x}, ${streetId ?? 'district'}`).toEqual(
          await figures(loadStatsRowsDirect, period(x), streetId, later),
        );

    // One wrong row of each kind a period reads: the figures differ, and agree again once it is put right.
    const wrong: Array<[keyof typeof periods, string, string]> = [
      ['A', 'StatsRollup', `"kind" = 'createdByStatus' AND "day" IN (${keysOf('A', 'b64:')})`],
      ['A', 'StatsRollup', `"kind" = 'createdByPost' AND "day" IN (${keysOf('A', 'b16:')})`],
      ['B', 'StatsRollup', `"kind" = 'createdByMode' AND "day" IN (${keysOf('B', 'b4:')})`],
      ['A', 'StatsRollup', `"kind" = 'dueByStreet' AND "day" IN (${keysOf('A', 'b16:')})`],
      ['B', 'StatsRollup', `"kind" = 'dueByDepartment' AND "departmentId" <> 0 AND "day" IN (${keysOf('B', 'b4:')})`],
      ['B', 'StatsRollup', `"kind" = 'rating' AND "day" IN (${keysOf('B', 'b4:')})`],
      ['B', 'StatsRollup', `"kind" = 'opened' AND "day" >= '2026-10-02' AND "day" < '2026-10-30'`],
      ['A', 'StatsEventRollup', `"kind" = 'handled' AND "day" IN (${keysOf('A', 'b64:')})`],
      ['B', 'StatsEventRollup', `"kind" = 'referred' AND "day" IN (${keysOf('B', 'b16:')})`],
    ];
    for (const [x, table, where] of wrong) {
      const direct = await figures(loadStatsRowsDirect, period(x), null, later);
      const row = (
        await t.db.$queryRawUnsafe<Record<string, unknown>[]>(
          `SELECT * FROM "${table}" WHERE ${where} AND "n" > 0 ORDER BY "n" DESC LIMIT 1`,
        )
      )[0];
      expect(row, where).toBeDefined();
      const match = Object.entries(row!)
        .filter(
          ([k]) =>
            ![
              'n',
              'reworkSum',
              'reopened',
              'resolvedCount',
              'autoVerified',
              'handlingMs',
              'postponed',
              'onTime',
              'rework',
              'acceptedInTime',
            ].includes(k),
        )
        .map(([k, v]) => `"${k}" = ${typeof v === 'string' ? `'${v}'` : String(v)}`)
        .join(' AND ');
      await t.db.$executeRawUnsafe(`UPDATE "${table}" SET "n" = "n" + 1 WHERE ${match}`);
      expect(await figures(loadStatsRows, period(x), null, later), where).not.toEqual(direct);
      await t.db.$executeRawUnsafe(`UPDATE "${table}" SET "n" = "n" - 1 WHERE ${match}`);
      expect(await figures(loadStatsRows, period(x), null, later), where).toEqual(direct);
    }
  });

  it('kept in step with every change equal a rebuild from the cases, and the migration backfill', async () => {
    const incremental = await snapshot();
    const events = await eventSnapshot();
    expect(incremental.length).toBeGreaterThan(50);
    expect(events.length).toBeGreaterThan(100);
    await sqlOf(t.db).transaction((tx) => rebuildRollups(tx));
    expect(await snapshot()).toEqual(incremental);
    expect(await eventSnapshot()).toEqual(events);

    // The event facts' backfill, on either engine: the migration's statements from the events,
    // then the blocks' migration's, which sums the day rows into their blocks.
    await t.db.$executeRawUnsafe('DELETE FROM "StatsEventRollup"');
    await t.db.$executeRawUnsafe('DELETE FROM "StatsEventFact"');
    for (const stmt of [
      ...backfillOf('_stats_event_rollups', /INSERT|UPDATE/),
      ...backfillOf('_stats_rollup_blocks', /INSERT INTO "StatsEventRollup"/),
      ...backfillOf('_stats_rollup_district_rows', /INSERT INTO "StatsEventRollup"/),
    ])
      await t.db.$executeRawUnsafe(stmt);
    expect(await eventSnapshot()).toEqual(events);

    // The day rows' backfill is SQLite's (its migration filled the rollups of existing databases);
    // PostgreSQL databases began with the rollups table, filled by stats:rebuild as it was then
    // (the created rows by street, status, post and mode). The blocks' migration, on either
    // engine, turns those into today's rows: marginals, opened, blocks.
    await t.db.$executeRawUnsafe('DELETE FROM "StatsRollup"');
    if (defaultTestEngine() === 'sqlite')
      for (const stmt of backfillOf('_stats_rollups', /INSERT/)) await t.db.$executeRawUnsafe(stmt);
    else {
      for (const stmt of rollupRebuildSql('postgres').filter((x) => !/'opened'|'created|'b\d+:'|'dueBy/.test(x)))
        await t.db.$executeRawUnsafe(stmt);
      await t.db
        .$executeRawUnsafe(`INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score",
          "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
        SELECT 'created', ${districtDate('postgres', 'c."createdAt"')}, COALESCE(c."streetId", 0), 0, c."status", COALESCE(c."post", ''),
               COALESCE(c."mode721", ''), '', COUNT(*), SUM(c."reworkCount"), COUNT(*) FILTER (WHERE c."reopenCount" > 0),
               COUNT(c."resolvedAt"), COUNT(*) FILTER (WHERE c."autoVerified"),
               COALESCE(SUM(CAST(ROUND(EXTRACT(EPOCH FROM (c."resolvedAt" - c."createdAt")) * 1000) AS BIGINT)), 0), 0, 0
        FROM "Case" c GROUP BY 2, 3, 5, 6, 7`);
    }
    for (const stmt of [
      ...backfillOf('_stats_rollup_blocks', /INSERT INTO "StatsRollup"|DELETE FROM "StatsRollup"/),
      ...backfillOf('_stats_rollup_district_rows', /INSERT INTO "StatsRollup"/),
      ...backfillOf('_stats_rollup_due_marginals', /INSERT INTO "StatsRollup"/),
    ])
      await t.db.$executeRawUnsafe(stmt);
    expect(await snapshot()).toEqual(incremental);
  });
});
