import type { FastifyInstance } from 'fastify';
import { isPublishedCase } from '../../core/case/case-visibility-fns.ts';
import { NotFoundError } from '../../core/errors.ts';
import { STAFF_ROLES } from '../../core/case/case-types.ts';
import {
  parseBound,
  PUBLIC_STATS_MONTHS,
  resolvePeriod,
  resolvePublicPeriod,
  type Period,
} from '../../core/stats/period-fns.ts';
import { PUBLIC_NOTES } from '../../core/stats/assessment-rules.ts';
import { computeDepartmentScorecards, computeFigures, dailyTrend } from '../../core/stats/stats-fns.ts';
import { createTtlCache, type TtlCache } from '../../core/stats/ttl-cache.ts';
import { streetIdByName } from '../../db/case-queries.ts';
import { isPublishablePhoto } from '../../core/evidence/photo-publishing-fns.ts';
import { publicCases, publicOpenCases, publishFactsSelect } from '../../db/public-case-queries.ts';
import { loadStatsRows, referralDepartments, type WholeDayRows } from '../../db/stats-queries.ts';
import { errorResponses } from '../schemas.ts';
import type { ServerDeps } from '../server-deps.ts';
import { attachmentKeyParams, binaryResponse } from './case-read-routes.ts';
import { streamOf } from './stored-file-stream.ts';
import {
  STATS_CACHE_MS,
  departmentsSchema,
  figuresSchema,
  notesSchema,
  periodQuerySchema,
  periodSchema,
  statsCacheKey,
  trendSchema,
} from './stats-routes.ts';

/** 执法信息网上公示: closed cases without personal data (the allow-list is db/public-case-queries.ts). */
const strOrNull = { type: ['string', 'null'] } as const;
const publicCaseSchema = {
  type: 'object',
  properties: {
    number: { type: 'string' },
    matter: { ...strOrNull, description: '权力清单事项名称' },
    itemCode: strOrNull,
    post: strOrNull,
    department: strOrNull,
    street: strOrNull,
    location: {
      type: ['object', 'null'],
      description: '约 100 米精度',
      properties: { lat: { type: 'number' }, lng: { type: 'number' } },
    },
    outcome: { ...strOrNull, description: '处置结果（已隐去姓名、电话、证件号、车牌、账号等）' },
    createdDate: { type: 'string', format: 'date' },
    closedDate: { ...strOrNull, format: 'date' },
    mode721: strOrNull,
    mode721Label: strOrNull,
    satisfaction: strOrNull,
    satisfactionLabel: strOrNull,
    photos: { type: 'array', items: { type: 'string' }, description: '处置照片（已去除 EXIF）' },
  },
} as const;

/** Open cases (db/public-case-queries.ts publicOpenCases): public fields only. */
const publicOpenCaseSchema = {
  type: 'object',
  properties: {
    number: { type: 'string' },
    matter: strOrNull,
    street: strOrNull,
    status: { type: 'string' },
    statusLabel: { type: 'string' },
    createdDate: { type: 'string', format: 'date' },
    location: publicCaseSchema.properties.location,
  },
} as const;

/** District totals and department scorecards; never per-person figures (names stay internal). */
async function publicStats(db: ServerDeps['db'], period: Period, now: Date, wholeDays: TtlCache<WholeDayRows>) {
  const [rows, departments] = await Promise.all([
    loadStatsRows(db, period, null, now, { people: false, wholeDays }),
    referralDepartments(db),
  ]);
  return {
    period: { from: period.from.toISOString(), to: period.to.toISOString() },
    scope: '江汉区',
    totals: computeFigures(rows.groups, rows.due, rows.ratings, rows.settled),
    departments: computeDepartmentScorecards(rows, departments),
    trend: dailyTrend(rows, period),
    notes: PUBLIC_NOTES.map(([k, v]) => [k, v]),
  };
}

export async function publicRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { db } = deps;
  // Anonymous callers must not be able to turn a request flood into an aggregation flood.
  const statsCache = createTtlCache<Awaited<ReturnType<typeof publicStats>>>({ ttlMs: STATS_CACHE_MS, max: 200 });
  const wholeDays = createTtlCache<WholeDayRows>({ ttlMs: STATS_CACHE_MS, max: 50 });

  app.get<{ Querystring: { page: number; pageSize: number; street?: string; from?: string; to?: string } }>(
    '/api/public/cases',
    {
      schema: {
        tags: ['public'],
        summary: '已结案案件公示（匿名化）',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            street: { type: 'string' },
            from: { type: 'string', description: '结案起始日期（含）' },
            to: { type: 'string', description: '结案截止日期（含当天）' },
            page: { type: 'integer', minimum: 1, maximum: 10_000, default: 1 },
            pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: publicCaseSchema },
              total: { type: 'integer' },
              page: { type: 'integer' },
              pageSize: { type: 'integer' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const { page, pageSize, street, from, to } = req.query;
      const { items, total } = await publicCases(db, {
        streetId: street ? await streetIdByName(db, street) : null,
        from: from ? parseBound(from, 'from') : undefined,
        to: to ? parseBound(to, 'to') : undefined,
        page,
        pageSize,
      });
      return { items, total, page, pageSize };
    },
  );

  app.get<{ Querystring: { limit: number } }>(
    '/api/public/open-cases',
    {
      schema: {
        tags: ['public'],
        summary: '正在处理的案件（匿名化：事项、街道、状态、受理日期、约 100 米精度的位置）',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 200 } },
        },
        response: {
          200: {
            type: 'object',
            properties: { items: { type: 'array', items: publicOpenCaseSchema }, total: { type: 'integer' } },
          },
          ...errorResponses,
        },
      },
    },
    async (req) => publicOpenCases(db, req.query.limit),
  );

  app.get<{ Params: { key: string } }>(
    '/api/public/attachments/:key',
    {
      schema: {
        tags: ['public'],
        summary: '已结案案件的公开处置照片（已去除 EXIF）',
        params: attachmentKeyParams,
        response: { ...binaryResponse, ...errorResponses },
      },
    },
    async (req, reply) => {
      const att = await db.attachment.findUnique({
        where: { publicKey: req.params.key },
        select: { id: true, ...publishFactsSelect, case: { select: { status: true, reporterId: true } } },
      });
      if (!att?.case || !isPublishedCase(att.case) || !isPublishablePhoto(att, att.case.reporterId) || !att.publicPath)
        throw new NotFoundError('未找到该附件');
      // Always the EXIF-free copy, always as JPEG (that is what the copy is), never the original.
      // Through the evidence store, which makes the copy on first view when intake deferred it.
      const file = await deps.domain.evidence.openPublic(att.id);
      if (!file) throw new NotFoundError('文件不存在');
      return reply
        .header('content-type', file.mime)
        .header('content-length', file.size)
        .header('cache-control', 'public, max-age=86400')
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline')
        .send(streamOf(file.body));
    },
  );

  app.get<{ Querystring: { from?: string; to?: string; month?: string } }>(
    '/api/public/stats',
    {
      schema: {
        tags: ['public'],
        summary: '全区执法统计（公开，仅全区合计）',
        description: `匿名访问：最近 30 天（缺省），或最近 ${PUBLIC_STATS_MONTHS} 个月内的单个自然月（month=2026-11，或 from/to 为该月首尾两天）。其他区间需工作人员令牌（或使用 /api/stats）。`,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...periodQuerySchema,
            month: { type: 'string', pattern: '^\\d{4}-\\d{2}$', description: '自然月，如 2026-11' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              period: periodSchema,
              scope: { type: 'string' },
              totals: figuresSchema,
              departments: departmentsSchema,
              trend: trendSchema,
              notes: notesSchema,
            },
          },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      // Anonymous callers get a few aligned periods, all answered from one shared cache; a
      // staff token may ask for any period /api/stats allows.
      const now = deps.domain.clock();
      const staff = req.actor !== null && STAFF_ROLES.includes(req.actor.role);
      const period = staff && !req.query.month ? resolvePeriod(req.query, now) : resolvePublicPeriod(req.query, now);
      return statsCache.get(statsCacheKey(period, null), () => publicStats(db, period, now, wholeDays));
    },
  );
}
