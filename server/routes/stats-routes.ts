import type { FastifyInstance } from 'fastify';
import { STATUSES, type Actor } from '../../core/case/case-types.ts';
import { ForbiddenError, ValidationError } from '../../core/errors.ts';
import { resolvePeriod, type Period } from '../../core/stats/period-fns.ts';
import { ASSESSMENT_NOTES, seesPersonFigures } from '../../core/stats/assessment-rules.ts';
import {
  addFigureSums,
  computeDepartmentScorecards,
  computePersonFigures,
  dailyTrend,
  emptyFigureSums,
  figuresFromSums,
  foldFigureSums,
  streetFigureSums,
  streetFiguresFromSums,
  type FigureSums,
} from '../../core/stats/stats-fns.ts';
import { createTtlCache, type TtlCache } from '../../core/stats/ttl-cache.ts';
import type { Db } from '../../db/prisma-client.ts';
import type { HourRows, RepeatRow } from '../../db/stats-hour-rows.ts';
import { partFigureSums } from '../../db/stats-parts.ts';
import { loadStatsParts, statsLabels, type StatsLabels, type WholeDayRows } from '../../db/stats-queries.ts';
import { bearerSecurity, requireRole } from '../plugins/auth.ts';
import { errorResponses } from '../schemas.ts';
import type { ServerDeps } from '../server-deps.ts';

const int = { type: 'integer' } as const;
const rateSchema = { type: ['number', 'null'], description: '比率（0–1），无分母时为 null' } as const;
const modes = { service: int, management: int, enforcement: int } as const;

export const figuresSchema = {
  type: 'object',
  properties: {
    total: { type: 'integer', description: '期内新增案件数' },
    byStatus: { type: 'object', properties: Object.fromEntries(STATUSES.map((s) => [s, int])) },
    byPost: { type: 'object', additionalProperties: int },
    closed: int,
    autoVerified: { type: 'integer', description: '自动核查结案数（巡查员核查期限已过，系统自动核查通过）' },
    verifiedByPerson: { type: 'integer', description: '人工核查结案数 = 结案数 − 自动核查结案数' },
    closureRate: { ...rateSchema, description: '结案率 = 结案数 /（案件数 − 合并数）' },
    due: { type: 'integer', description: `应结案数：${ASSESSMENT_NOTES[0]![1]}` },
    postponed: { type: 'integer', description: ASSESSMENT_NOTES[1]![1] },
    closedOnTime: { type: 'integer', description: ASSESSMENT_NOTES[2]![1] },
    onTimeRate: { ...rateSchema, description: '按期结案率 = 按期结案数 /（应结案数 − 缓办数）' },
    avgHandlingHours: { type: ['number', 'null'], description: '平均处置时长（小时，立案至办结）' },
    reworkCount: int,
    reopened: int,
    reopenRate: { ...rateSchema, description: '重办率 = 重新办理过的案件 / 结案数' },
    ratings: { type: 'object', properties: { satisfied: int, basic: int, unsatisfied: int, total: int } },
    satisfactionRate: { ...rateSchema, description: '满意率 =（满意 + 基本满意）/ 评价数' },
    mode721: {
      type: 'object',
      description: '"721" 工作法：办结案件的处置方式，巡查现场劝导整改计为服务',
      properties: {
        ...modes,
        patrolSettled: int,
        total: int,
        shares: {
          type: ['object', 'null'],
          properties: { service: { type: 'number' }, management: { type: 'number' }, enforcement: { type: 'number' } },
        },
      },
    },
  },
} as const;

export const trendSchema = {
  type: 'array',
  items: { type: 'object', properties: { day: { type: 'string' }, created: int, closed: int } },
} as const;

export const departmentsSchema = {
  type: 'array',
  description: '部门考核：收到移送、按时受理、退回、按期结案（口径见 notes）',
  items: {
    type: 'object',
    properties: {
      department: { type: 'string' },
      referralsReceived: int,
      acceptedInTime: int,
      acceptedInTimeRate: { ...rateSchema, description: '按时受理率 = 按时受理 / 收到移送' },
      returned: int,
      due: int,
      postponed: int,
      closedOnTime: int,
      onTimeRate: { ...rateSchema, description: '按期结案率 = 按期结案数 /（应结案数 − 缓办数）' },
    },
  },
} as const;

export const peopleSchema = {
  type: 'array',
  description: '人员考核（执法队长、执法队员）：期内办结、按期、返工；仅执法队长与区局可见，其他角色为空',
  items: {
    type: 'object',
    properties: {
      person: { type: 'string' },
      role: { type: 'string' },
      street: { type: ['string', 'null'] },
      handled: int,
      onTime: int,
      rework: int,
    },
  },
} as const;

export const notesSchema = {
  type: 'array',
  description: '口径说明：[指标, 定义]',
  items: { type: 'array', items: { type: 'string' } },
} as const;

export const periodSchema = {
  type: 'object',
  properties: {
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time', description: '不含' },
  },
} as const;

export const periodQuerySchema = {
  from: { type: 'string', description: '起始日期（含），如 2026-11-01；缺省为最近 30 天' },
  to: { type: 'string', description: '截止日期（含当天）' },
} as const;

/**
 * Street roles see their own street; the bureau sees the district or one street it names. The
 * name is looked up in the cached labels (`streets`): a Prisma query per request would cost the
 * event loop more than the rest of a cold request.
 */
async function statsScope(
  streets: () => Promise<ReadonlyArray<{ id: number; name: string }>>,
  actor: Actor,
  street: string | undefined,
): Promise<number | null> {
  const idOf = async (name: string) => {
    const found = (await streets()).find((s) => s.name === name);
    if (!found) throw new ValidationError(`没有这个街道：${name}`);
    return found.id;
  };
  if (actor.role === 'district_admin') return street ? idOf(street) : null;
  if (actor.streetId === null) throw new ForbiddenError('您的账号未关联街道，无法查看统计');
  if (street && (await idOf(street)) !== actor.streetId) throw new ForbiddenError('只能查看本街道的统计');
  return actor.streetId;
}

/**
 * The figures as the UTF-8 bytes of their JSON, written once per cached figures and audience (with
 * or without the per-person figures): a cached answer costs no serialising, and a cold one
 * JSON.stringify's pass rather than the schema serializer's. The objects' keys are in the schema's
 * order. Bytes, not the string: fastify measured a string's Content-Length with
 * Buffer.byteLength and the socket encoded it again, two UTF-8 passes over every answer
 * (about 100 KB of garbage for a 30-day district answer at 1M cases); bytes are written as they are.
 */
const written = new WeakMap<object, { all?: Buffer; noPeople?: Buffer }>();
export function statsJson(s: Awaited<ReturnType<typeof statsFor>>, withPeople: boolean): Buffer {
  const known = written.get(s) ?? {};
  written.set(s, known);
  if (withPeople) return (known.all ??= Buffer.from(JSON.stringify(s)));
  return (known.noPeople ??= Buffer.from(JSON.stringify({ ...s, people: [] })));
}

/** How long statistics may lag the cases (see core/stats/ttl-cache.ts for why they are cached). */
export const STATS_CACHE_MS = 30_000;

export const statsCacheKey = (period: Period, streetId: number | null) =>
  `${streetId ?? 'district'}|${period.from.toISOString()}|${period.to.toISOString()}`;

/**
 * What the figures of different periods share for STATS_CACHE_MS: the parts of periods
 * (db/stats-queries.ts loadStatsRows) and the labels (streets, departments, people), so a
 * request that misses the figures' cache reads only its own few minutes, in one trip.
 */
export interface StatsCaches {
  wholeDays: TtlCache<WholeDayRows>;
  labels: TtlCache<StatsLabels>;
  /** The rows of the hours period bounds fall in (db/stats-hour-rows.ts): a cold request then sends no statement. */
  hourRows: TtlCache<HourRows>;
  repeats: TtlCache<RepeatRow[]>;
}

/**
 * When a cached part is computed again behind the kept one (core/stats/ttl-cache.ts): the
 * requests of a busy dashboard then never wait for the whole days' sums, and nothing is older
 * than STATS_CACHE_MS.
 */
export const STATS_REFRESH_AFTER_MS = 20_000;

const statsCache = <T>(max: number) =>
  createTtlCache<T>({ ttlMs: STATS_CACHE_MS, refreshAfterMs: STATS_REFRESH_AFTER_MS, max });

export const createStatsCaches = (): StatsCaches => ({
  wholeDays: statsCache<WholeDayRows>(200),
  labels: statsCache<StatsLabels>(1),
  hourRows: statsCache<HourRows>(200),
  repeats: statsCache<RepeatRow[]>(50),
});

/**
 * The figures of a period as judged at `now` (a deadline still ahead is not due yet).
 * `caches`: shared parts and labels, which may then lag by STATS_CACHE_MS, as the figures do.
 */
export async function statsFor(db: Db, period: Period, streetId: number | null, now: Date, caches?: StatsCaches) {
  const labels = caches ? caches.labels.get('labels', () => statsLabels(db)) : statsLabels(db);
  const persons = labels.then((l) => l.persons);
  const [{ direct, shared, events }, { streets: allStreets, departments }] = await Promise.all([
    loadStatsParts(
      db,
      period,
      streetId,
      now,
      caches
        ? { wholeDays: caches.wholeDays, hourRows: caches.hourRows, repeats: caches.repeats, persons }
        : { persons },
    ),
    labels,
  ]);
  const streets = streetId === null ? allStreets : allStreets.filter((s) => s.id === streetId);
  // The shared part's sums are folded once (db/stats-parts.ts); this request adds its own rows'.
  // Added in the rows' order (this request's, then the shared part's), as one fold over both would.
  const own = {
    totals: foldFigureSums(direct.groups, direct.due, direct.ratings, direct.settled),
    streets: streetFigureSums(direct),
  };
  const part = shared ? partFigureSums(shared) : null;
  const sum = (a: FigureSums | undefined, b: FigureSums | undefined) =>
    a && b ? addFigureSums(a, b) : (a ?? b ?? emptyFigureSums());
  const streetSums = new Map(streets.map((s) => [s.id, sum(own.streets.get(s.id), part?.streets.get(s.id))]));
  const rows = {
    due: shared ? [...direct.due, ...shared.cases.due] : direct.due,
    createdPerDay: shared ? [...direct.createdPerDay, ...shared.cases.createdPerDay] : direct.createdPerDay,
    closedPerDay: shared ? [...direct.closedPerDay, ...shared.cases.closedPerDay] : direct.closedPerDay,
    ...events,
  };
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    scope: streetId === null ? '江汉区' : (streets[0]?.name ?? ''),
    totals: figuresFromSums(part ? addFigureSums(own.totals, part.totals) : own.totals),
    streets: streetFiguresFromSums(streetSums, streets),
    departments: computeDepartmentScorecards(rows, departments),
    people: computePersonFigures(rows, allStreets),
    trend: dailyTrend(rows, period),
    notes: ASSESSMENT_NOTES.map(([k, v]) => [k, v]),
  };
}

export async function statsRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  // Same scope and period, same figures whoever asks: one cache for all staff.
  const cache = statsCache<Awaited<ReturnType<typeof statsFor>>>(500);
  // Periods that differ only inside their first or last day (every "last 30 days" request starts
  // at another instant) share their whole days' sums and the labels: the same lag as the figures' cache.
  const caches = deps.statsCaches ?? createStatsCaches();
  app.get<{ Querystring: { from?: string; to?: string; street?: string } }>(
    '/api/stats',
    {
      schema: {
        tags: ['statistics'],
        summary: '考核统计：分街道与全区合计（街道人员仅限本街道）',
        security: bearerSecurity,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...periodQuerySchema, street: { type: 'string', description: '街道名称（仅区局可选）' } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              period: periodSchema,
              scope: { type: 'string', description: '江汉区 或 街道名称' },
              totals: figuresSchema,
              streets: {
                type: 'array',
                items: { ...figuresSchema, properties: { street: { type: 'string' }, ...figuresSchema.properties } },
              },
              departments: departmentsSchema,
              people: peopleSchema,
              trend: trendSchema,
              notes: notesSchema,
            },
          },
          ...errorResponses,
        },
      },
    },
    async (req, reply) => {
      const actor = requireRole(req, ['inspector', 'enforcer', 'team_lead', 'district_admin']);
      const now = deps.domain.clock();
      const period = resolvePeriod(req.query, now);
      const streets = () => caches.labels.get('labels', () => statsLabels(deps.db)).then((l) => l.streets);
      const streetId = await statsScope(streets, actor, req.query.street);
      const s = await cache.get(statsCacheKey(period, streetId), () =>
        statsFor(deps.db, period, streetId, now, caches),
      );
      return reply.type('application/json; charset=utf-8').send(statsJson(s, seesPersonFigures(actor.role)));
    },
  );
}
