import type { FastifyInstance } from 'fastify';
import type { CaseRow } from '../../core/case/case-port.ts';
import { ACTIONS, type ActionInput, type CaseAction, type RatingScore } from '../../core/case/case-types.ts';
import { STATUS_LABELS } from '../../core/case/case-types.ts';
import { availableActions } from '../../core/case/transition-rules-fns.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { bearerSecurity, requireActor } from '../plugins/auth.ts';
import { byAddress } from '../plugins/flood-limits.ts';
import { errorResponses } from '../schemas.ts';
import type { ServerDeps } from '../server-deps.ts';

const caseSummary = {
  type: 'object',
  properties: {
    number: { type: 'string' },
    status: { type: 'string' },
    statusLabel: { type: 'string' },
    handling: { type: ['string', 'null'] },
    street: { type: ['string', 'null'] },
    department: { type: ['string', 'null'] },
    item: { type: ['string', 'null'] },
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    urgent: { type: 'boolean' },
  },
} as const;

const summarise = (c: CaseRow) => ({
  number: c.number,
  status: c.status,
  statusLabel: STATUS_LABELS[c.status],
  handling: c.handling,
  street: c.streetName,
  department: c.departmentName,
  item: c.item ? `${c.item.code} ${c.item.name}` : null,
  dueAt: c.dueAt?.toISOString() ?? null,
  urgent: c.urgent,
});

const ATTACHMENT_IDS_RULE =
  '照片：只能是本人上传、且尚未用于其他案件的照片（不存在的为 400，他人的为 403，均不会保存任何内容）';

const actionInputSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    note: { type: 'string', maxLength: 2000 },
    itemCode: { type: 'string', maxLength: 32 },
    streetName: { type: 'string', maxLength: 32 },
    departmentName: { type: 'string', maxLength: 32 },
    toDistrict: { type: 'boolean', description: '退回：交区城管执法局重新分拣' },
    assigneeId: { type: 'integer', minimum: 1 },
    mode721: { type: 'string', enum: ['service', 'management', 'enforcement'] },
    attachmentIds: {
      type: 'array',
      items: { type: 'integer', minimum: 1 },
      maxItems: 20,
      description: ATTACHMENT_IDS_RULE,
    },
    targetCaseNumber: { type: 'string', maxLength: 32 },
    newDueAt: { type: 'string', format: 'date-time' },
  },
} as const;

/** The write side of the case API: reports, workflow actions, ratings, postponement decisions. */
export async function caseWriteRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { domain } = deps;
  // Per person the intake use-case limits new cases; per address this stops one machine
  // filing under many identities.
  const casesPerAddress = app.floodLimit({
    name: 'cases-address',
    max: deps.config.ADDRESS_REPORTS_PER_HOUR,
    windowMs: 3_600_000,
    key: byAddress,
    message: '来自您所在网络的报告过多，请稍后再提交。',
  });

  app.post(
    '/api/cases',
    {
      schema: {
        tags: ['cases'],
        summary: '提交问题报告（自动匹配权力清单并分派）',
        security: bearerSecurity,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['text'],
          properties: {
            text: { type: 'string', minLength: 1, maxLength: 100_000 },
            // null: no location (as if left out), never the point (0,0)
            lat: { type: ['number', 'null'], minimum: -90, maximum: 90 },
            lng: { type: ['number', 'null'], minimum: -180, maximum: 180 },
            crs: { type: 'string', enum: ['wgs84', 'gcj02', 'bd09'] },
            address: { type: ['string', 'null'], maxLength: 200 },
            attachmentIds: {
              type: 'array',
              items: { type: 'integer' },
              maxItems: 20,
              description: ATTACHMENT_IDS_RULE,
            },
          },
        },
        response: {
          201: {
            type: 'object',
            properties: {
              outcome: { type: 'string' },
              case: caseSummary,
              existing: caseSummary,
              reasons: { type: 'array', items: { type: 'string' } },
              urgentAdvice: { type: ['string', 'null'] },
            },
          },
          ...errorResponses,
          422: errorResponses[400],
        },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      await casesPerAddress(req);
      const raw = req.body as {
        text: string;
        lat?: number | null;
        lng?: number | null;
        crs?: 'wgs84' | 'gcj02' | 'bd09';
        address?: string | null;
        attachmentIds?: number[];
      };
      const { lat, lng, address, ...rest } = raw;
      const body = {
        ...rest,
        ...(lat !== null && lat !== undefined ? { lat } : {}),
        ...(lng !== null && lng !== undefined ? { lng } : {}),
        ...(address ? { address } : {}),
      };
      if ((body.lat === undefined) !== (body.lng === undefined)) throw new ValidationError('lat 与 lng 须同时提供');
      if (!body.text.trim()) throw new ValidationError('请描述问题');
      const outcome = await domain.reports.submit({ ...body, channel: 'api', reporter: actor });
      if (outcome.kind === 'not_actionable')
        return reply
          .status(422)
          .send({ error: { code: 'not_actionable', message: '未识别出需要处理的城市管理问题，请描述具体问题和地点' } });
      if (outcome.kind === 'outside')
        return reply.status(422).send({
          error: { code: 'outside_district', message: outcome.decision.street.reason || '该位置不在江汉区范围内' },
        });
      return reply.status(201).send({
        outcome: outcome.kind,
        case: summarise(outcome.case),
        ...(outcome.kind === 'duplicate' ? { existing: summarise(outcome.existing) } : {}),
        reasons: outcome.decision.reasons,
        urgentAdvice: outcome.decision.urgentAdvice,
      });
    },
  );

  app.post(
    '/api/cases/:number/actions/:action',
    {
      schema: {
        tags: ['cases'],
        summary: '案件流转操作（接单、转派、退回、上报、移送、不予受理、办结、核查、重新办理、合并、申请缓办）',
        security: bearerSecurity,
        params: {
          type: 'object',
          properties: { number: { type: 'string', maxLength: 32 }, action: { type: 'string', enum: [...ACTIONS] } },
          required: ['number', 'action'],
        },
        body: actionInputSchema,
        response: { 200: { type: 'object', properties: { case: caseSummary } }, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { number, action } = req.params as { number: string; action: CaseAction };
      const updated = await domain.cases.actions.act({ number }, action, actor, (req.body ?? {}) as ActionInput);
      return { case: summarise(updated) };
    },
  );

  app.get(
    '/api/cases/:number/actions',
    {
      schema: {
        tags: ['cases'],
        summary: '当前用户对该案件可执行的操作',
        security: bearerSecurity,
        params: { type: 'object', properties: { number: { type: 'string', maxLength: 32 } }, required: ['number'] },
        response: {
          200: { type: 'object', properties: { actions: { type: 'array', items: { type: 'string' } } } },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const c = await domain.cases.store.transaction((tx) =>
        tx.getCase({ number: (req.params as { number: string }).number }),
      );
      if (!c) throw new NotFoundError('没有找到该案件');
      return { actions: availableActions(actor, c) };
    },
  );

  app.post(
    '/api/cases/:number/rating',
    {
      schema: {
        tags: ['cases'],
        summary: '评价（满意 / 基本满意 / 不满意）',
        security: bearerSecurity,
        params: { type: 'object', properties: { number: { type: 'string', maxLength: 32 } }, required: ['number'] },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['score'],
          properties: {
            score: { type: 'string', enum: ['satisfied', 'basic', 'unsatisfied'] },
            comment: { type: 'string', maxLength: 500 },
          },
        },
        response: { 200: { type: 'object', properties: { case: caseSummary } }, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { score, comment } = req.body as { score: RatingScore; comment?: string };
      return {
        case: summarise(
          await domain.cases.feedback.rate(
            { number: (req.params as { number: string }).number },
            actor,
            score,
            comment ?? null,
          ),
        ),
      };
    },
  );

  app.post(
    '/api/postponements/:id/decision',
    {
      schema: {
        tags: ['cases'],
        summary: '区局审批缓办申请',
        security: bearerSecurity,
        params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['approve'],
          properties: { approve: { type: 'boolean' } },
        },
        response: { 200: { type: 'object', properties: { case: caseSummary } }, ...errorResponses },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const updated = await domain.cases.feedback.decidePostponement(
        (req.params as { id: number }).id,
        actor,
        (req.body as { approve: boolean }).approve,
      );
      return { case: summarise(updated) };
    },
  );
}
