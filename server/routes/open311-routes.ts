import type { FastifyInstance } from 'fastify';
import { formatShanghai, handlerName } from '../../core/case/case-format-fns.ts';
import type { CaseRow } from '../../core/case/case-port.ts';
import { NotFoundError, ValidationError } from '../../core/errors.ts';
import { toOpen311Request } from '../../core/open311/open311-request-fns.ts';
import { parseSubmission, reportText } from '../../core/open311/open311-submit-fns.ts';
import { toOpen311Service, toServiceDefinition } from '../../core/open311/open311-service-fns.ts';
import type { PowerItem } from '../../core/power-list/power-list-types.ts';
import { toOpen311Update } from '../../core/open311/open311-update-fns.ts';
import {
  caseNumberForToken,
  open311CaseRecords,
  open311EventRecords,
  saveOpen311Request,
} from '../../db/open311-store.ts';
import { activePowerList } from '../../db/power-list-store.ts';
import { actorForToken, generateToken } from '../../db/token-store.ts';
import { acceptFormPosts } from '../pages/form-body.ts';
import type { ServerDeps } from '../server-deps.ts';
import { open311ErrorHandler } from './open311-errors.ts';
import { formatOfUrl, sendDocument, sendError, sendList, splitFormat, type Open311Format } from './open311-format.ts';
import {
  fileParamsSchema,
  postBodySchema,
  requestsFilter,
  requestsQuerySchema,
  updatesFilter,
  updatesQuerySchema,
  type RequestsQuery,
  type UpdatesQuery,
} from './open311-input.ts';

/**
 * Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) under /open311/v2, so a city's
 * other systems (12345 hotline, 数字城管) list Gridline's services, file requests and follow
 * them. Mounted with the prefix /open311 (server/app.ts); every answer, errors included, is
 * in the format the path asks for (.xml, required by the spec, or .json).
 */
const SPEC_URL = 'http://wiki.open311.org/GeoReport_v2';
const FORMATS: Open311Format[] = ['xml', 'json'];

/** `{name}.{format}` from a path parameter, or a 404 in the spec's error format. */
function fileParam(file: string): { name: string; format: Open311Format } {
  const parsed = splitFormat(file);
  if (!parsed) throw new NotFoundError('请在地址末尾注明格式：.xml 或 .json');
  return parsed;
}

/** What POST requests answers besides the id: where the case went and by when (service_notice). */
function serviceNotice(c: CaseRow, existing: CaseRow | null): string {
  if (existing) return `与案件${existing.number}重复，已并入该案件办理`;
  if (c.status === 'triage') return '已登记，待街道指挥中心分拣后派遣';
  const due = c.dueAt ? `，办结时限${formatShanghai(c.dueAt)}` : '';
  return `已立案并派遣至${handlerName(c)}${due}`;
}

export async function open311Routes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { db, domain, config } = deps;
  await acceptFormPosts(app);
  app.setErrorHandler(open311ErrorHandler);
  app.setNotFoundHandler((req, reply) => sendError(reply, formatOfUrl(req.url), 404, `没有这个地址：${req.url}`));

  async function activeItems(): Promise<PowerItem[]> {
    const list = await activePowerList(db);
    if (!list) throw new NotFoundError('尚未导入权力清单');
    return list.items;
  }

  /** Service discovery (http://wiki.open311.org/Service_Discovery): where the endpoint is and what it speaks. */
  async function discovery() {
    const list = await activePowerList(db);
    // A new power list changes the services: clients that cache them refresh on a new changeset.
    const changeset = (list?.publishedAt ?? new Date(0)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    return {
      changeset,
      contact: '江汉区城市管理执法局（网格通）',
      key_service: 'api_key 即网格通 API 令牌：由区局管理员发放（npm run token:create）',
      endpoints: [
        {
          specification: SPEC_URL,
          url: `${config.PUBLIC_URL}/open311/v2`,
          changeset,
          type: 'production',
          formats: ['text/xml', 'application/json'],
        },
      ],
    };
  }

  for (const format of FORMATS) {
    for (const url of [`/discovery.${format}`, `/v2/discovery.${format}`]) {
      app.get(url, { schema: { tags: ['open311'], summary: `Open311 服务发现（${format}）` } }, async (_req, reply) =>
        sendDocument(reply, format, 'discovery', await discovery()),
      );
    }

    app.get(
      `/v2/services.${format}`,
      { schema: { tags: ['open311'], summary: `Open311 服务列表：权力清单事项（${format}）` } },
      async (_req, reply) =>
        sendList(reply, format, 'services', 'service', (await activeItems()).map(toOpen311Service)),
    );

    app.get<{ Querystring: RequestsQuery }>(
      `/v2/requests.${format}`,
      {
        schema: {
          tags: ['open311'],
          summary: `Open311 查询服务请求（匿名化，${format}）`,
          querystring: requestsQuerySchema,
        },
      },
      async (req, reply) => {
        const records = await open311CaseRecords(db, requestsFilter(req.query, domain.clock()));
        const items = records.map((r) => toOpen311Request(r, { baseUrl: config.PUBLIC_URL }));
        return sendList(reply, format, 'service_requests', 'request', items);
      },
    );

    app.get<{ Querystring: UpdatesQuery }>(
      `/v2/servicerequestupdates.${format}`,
      {
        schema: {
          tags: ['open311'],
          summary: `Open311 服务请求更新（mySociety 扩展，${format}）`,
          querystring: updatesQuerySchema,
        },
      },
      async (req, reply) => {
        const events = await open311EventRecords(db, updatesFilter(req.query, domain.clock()));
        return sendList(reply, format, 'service_request_updates', 'request_update', events.map(toOpen311Update));
      },
    );

    app.post(
      `/v2/requests.${format}`,
      {
        schema: {
          tags: ['open311'],
          summary: `Open311 提交服务请求（需 api_key，${format}）`,
          description:
            '表单参数：api_key、service_code、lat/long 或 address_string、description、media_url、联系人字段、attribute[...]',
          body: postBodySchema,
        },
      },
      async (req, reply) => {
        const body = (req.body ?? {}) as Record<string, unknown>;
        // The spec's api_key argument, in the body only (a query string ends up in access logs);
        // a bearer token, as the JSON API takes, does as well.
        const key = body.api_key;
        const actor = typeof key === 'string' && key ? await actorForToken(db, key) : req.actor;
        if (!actor) return sendError(reply, format, 403, 'api_key 缺失或无效，无法提交服务请求');
        const submission = parseSubmission(body);
        const item = (await activeItems()).find((i) => i.code === submission.serviceCode);
        if (!item) throw new ValidationError(`没有这个 service_code：${submission.serviceCode}`);
        const outcome = await domain.reports.submit({
          text: reportText(item.name, submission.description),
          lat: submission.lat,
          lng: submission.lng,
          crs: 'wgs84',
          address: submission.addressString,
          channel: 'open311',
          reporter: actor,
        });
        if (outcome.kind === 'not_actionable')
          throw new ValidationError('未识别出需要处理的城市管理问题，请描述具体问题和地点');
        if (outcome.kind === 'outside')
          throw new ValidationError(outcome.decision.street.reason || '该位置不在江汉区范围内');
        const token = generateToken();
        await saveOpen311Request(db, { caseId: outcome.case.id, clientId: actor.personId, token, submission });
        const existing = outcome.kind === 'duplicate' ? outcome.existing : null;
        return sendList(reply, format, 'service_requests', 'request', [
          {
            service_request_id: outcome.case.number,
            token,
            service_notice: serviceNotice(outcome.case, existing),
            account_id: submission.accountId,
          },
        ]);
      },
    );
  }

  app.get<{ Params: { file: string } }>(
    '/v2/services/:file',
    {
      schema: {
        tags: ['open311'],
        summary: 'Open311 服务定义（services/{service_code}.xml|json）',
        params: fileParamsSchema,
      },
    },
    async (req, reply) => {
      const { name, format } = fileParam(req.params.file);
      const item = (await activeItems()).find((i) => i.code === name);
      if (!item) throw new NotFoundError(`没有这个 service_code：${name}`);
      return sendDocument(reply, format, 'service_definition', toServiceDefinition(item));
    },
  );

  app.get<{ Params: { file: string } }>(
    '/v2/requests/:file',
    {
      schema: {
        tags: ['open311'],
        summary: 'Open311 查询单个服务请求（requests/{id}.xml|json）',
        params: fileParamsSchema,
      },
    },
    async (req, reply) => {
      const { name, format } = fileParam(req.params.file);
      const [record] = await open311CaseRecords(db, { numbers: [name], limit: 1 });
      if (!record) throw new NotFoundError(`没有这个服务请求：${name}`);
      return sendList(reply, format, 'service_requests', 'request', [
        toOpen311Request(record, { baseUrl: config.PUBLIC_URL }),
      ]);
    },
  );

  app.get<{ Params: { file: string } }>(
    '/v2/tokens/:file',
    {
      schema: {
        tags: ['open311'],
        summary: 'Open311 由 token 查询服务请求编号（tokens/{token}.xml|json）',
        params: fileParamsSchema,
      },
    },
    async (req, reply) => {
      const { name, format } = fileParam(req.params.file);
      const number = await caseNumberForToken(db, name);
      if (!number) throw new NotFoundError('没有这个 token');
      return sendList(reply, format, 'service_requests', 'request', [{ service_request_id: number, token: name }]);
    },
  );
}
