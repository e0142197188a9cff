import type { FastifyInstance, FastifyReply } from 'fastify';
import { STATUSES } from '../../core/case/case-types.ts';
import { NotFoundError } from '../../core/errors.ts';
import { isValidFileKey, type FileStore } from '../../core/evidence/file-store-port.ts';
import {
  findViewableAttachment,
  getCaseDetail,
  listCases,
  listCasesAfter,
  type CaseListQuery,
} from '../../db/case-queries.ts';
import { bearerSecurity, requireActor } from '../plugins/auth.ts';
import { errorResponses } from '../schemas.ts';
import type { ServerDeps } from '../server-deps.ts';
import { streamOf } from './stored-file-stream.ts';

const str = { type: 'string' } as const;
const strOrNull = { type: ['string', 'null'] } as const;
const numOrNull = { type: ['number', 'null'] } as const;

const listItemSchema = {
  type: 'object',
  properties: {
    number: str,
    status: { type: 'string', enum: [...STATUSES] },
    statusLabel: str,
    text: { type: 'string', description: '报告内容（超过 140 字截断；区局和队长以外的人员看到的电话等号码已隐去）' },
    street: strOrNull,
    post: strOrNull,
    department: strOrNull,
    handling: strOrNull,
    urgent: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    dueAt: { type: ['string', 'null'], format: 'date-time' },
    overdue: { type: 'boolean' },
    item: { type: ['object', 'null'], properties: { code: str, name: str } },
  },
} as const;

const detailSchema = {
  type: 'object',
  properties: {
    ...listItemSchema.properties,
    text: {
      type: 'string',
      description: '报告内容；不能查看报告人联系方式的人员看到的电话等号码已隐去（处置结果、记录备注、评价同）',
    },
    lat: numOrNull,
    lng: numOrNull,
    address: strOrNull,
    confidence: numOrNull,
    needsTriage: { type: 'boolean' },
    routingReasons: { type: 'array', items: str },
    mode721: strOrNull,
    outcome: strOrNull,
    channel: str,
    externalRef: { ...strOrNull, description: '12345 热线工单编号（由热线导入的案件）' },
    externalDueAt: { ...strOrNull, format: 'date-time', description: '热线规定的办理时限' },
    assignee: strOrNull,
    mergedInto: strOrNull,
    reopenCount: { type: 'integer' },
    reworkCount: { type: 'integer' },
    returnCount: { type: 'integer' },
    unsatisfiedCount: { type: 'integer' },
    postponed: { type: 'boolean' },
    ...Object.fromEntries(
      ['responseDueAt', 'registeredAt', 'dispatchedAt', 'acceptedAt', 'resolvedAt', 'verifiedAt', 'closedAt'].map(
        (k) => [k, { type: ['string', 'null'], format: 'date-time' }],
      ),
    ),
    item: { type: ['object', 'null'], properties: { code: str, name: str, legalBasis: str, version: str } },
    events: {
      type: 'array',
      description: '全过程记录',
      items: {
        type: 'object',
        properties: {
          type: str,
          fromStatus: strOrNull,
          toStatus: strOrNull,
          actorRole: str,
          actorName: { type: ['string', 'null'], description: '仅工作人员显示姓名' },
          note: strOrNull,
          createdAt: str,
        },
      },
    },
    attachments: {
      type: 'array',
      description: '可查看原件的照片：区局与承办街道/部门全部；报告人本人上传的与工作人员上传的；关注者仅本人上传的',
      items: {
        type: 'object',
        properties: {
          key: { type: 'string', description: '附件公开标识（随机，不可猜测）' },
          mime: str,
          size: { type: 'integer' },
          sha256: str,
          exifTakenAt: strOrNull,
          exifLat: numOrNull,
          exifLng: numOrNull,
          createdAt: str,
          url: str,
        },
      },
    },
    ratings: {
      type: 'array',
      items: { type: 'object', properties: { score: str, scoreLabel: str, comment: strOrNull, createdAt: str } },
    },
    view: {
      type: 'string',
      enum: ['full', 'reporter', 'follower'],
      description: 'follower：仅关注（如重复报告被合并）者，只见公开信息、本人报告与处置结果',
    },
    ownReport: {
      type: ['object', 'null'],
      description: '关注者本人被并入此案件的报告',
      properties: { number: str },
    },
    reporter: {
      type: ['object', 'null'],
      description: '报告人联系方式：仅区局、本街道执法队长和承办人可见；报告人本人只见脱敏号码',
      properties: { displayName: str, phone: strOrNull, phoneMasked: strOrNull },
    },
  },
} as const;

const listQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    street: { type: 'string', description: '街道名称，如 万松街道' },
    status: { type: 'string', description: `状态，逗号分隔：${STATUSES.join(',')}` },
    post: { type: 'string', description: '岗位，如 市容市政' },
    handling: { type: 'string', enum: ['street', 'district', 'department', 'none'] },
    overdue: { type: 'boolean', description: 'true：只看超期未办结的案件' },
    from: { type: 'string', description: '立案起始日期（含），2026-11-01 或 ISO 时间' },
    to: { type: 'string', description: '立案截止日期（含当天）' },
    q: { type: 'string', maxLength: 100, description: '在内容、编号、地址中搜索' },
    page: { type: 'integer', minimum: 1, maximum: 100_000, default: 1, description: '页码（按偏移分页，附总数）' },
    cursor: {
      type: 'string',
      maxLength: 400,
      description: '按游标分页（推荐）：第一页传空字符串，之后传上一页返回的 nextCursor；不计总数，不受页数影响',
    },
    pageSize: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    sort: { type: 'string', enum: ['createdAt', 'dueAt', 'number'], description: '缺省：超期在前，其后按时间由新到旧' },
    order: { type: 'string', enum: ['asc', 'desc'], default: 'desc' },
  },
} as const;

/**
 * Serves a stored file by its key (from the database) out of the file store, local folder or bucket.
 * A key the store refuses (one that would leave DATA_DIR) is a 404 like a missing file.
 */
export async function sendDataFile(
  reply: FastifyReply,
  files: FileStore,
  key: string,
  mime: string,
  cache: string,
): Promise<FastifyReply> {
  const file = isValidFileKey(key) ? await files.open(key) : null;
  if (!file) throw new NotFoundError('文件不存在');
  return reply
    .header('content-type', mime)
    .header('content-length', file.size)
    .header('cache-control', cache)
    .header('x-content-type-options', 'nosniff')
    .header('content-disposition', 'inline')
    .send(streamOf(file.body));
}

/**
 * Attachments are named in URLs by their random public key, never by their sequential id. Any
 * string is looked up (an unknown or malformed key is simply not found: 404, like a hidden one).
 */
export const attachmentKeyParams = {
  type: 'object',
  properties: { key: { type: 'string', minLength: 1, maxLength: 64, description: '附件公开标识（随机，不可猜测）' } },
  required: ['key'],
} as const;

export const binaryResponse = { 200: { description: '文件内容', type: 'string', format: 'binary' } } as const;

export async function caseReadRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get<{ Querystring: CaseListQuery }>(
    '/api/cases',
    {
      schema: {
        tags: ['cases'],
        summary: '案件列表（按角色限定可见范围）',
        security: bearerSecurity,
        querystring: listQuerySchema,
        response: {
          200: {
            type: 'object',
            properties: {
              items: { type: 'array', items: listItemSchema },
              total: {
                type: 'integer',
                description: '符合条件的案件总数（仅按页码分页时）；totalIsLowerBound 为 true 时为下限，实际多于此数',
              },
              totalIsLowerBound: {
                type: 'boolean',
                description: '关键词检索只精确计数到一定数量（200 件，或到本页为止），超过时为 true：共“超过 total 件”',
              },
              page: { type: 'integer', description: '仅按页码分页时' },
              pageSize: { type: 'integer' },
              nextCursor: { type: ['string', 'null'], description: '下一页的游标；null 表示已是最后一页' },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (req) =>
      req.query.cursor !== undefined
        ? listCasesAfter(deps.db, requireActor(req), req.query, req.query.cursor, deps.domain.clock())
        : listCases(deps.db, requireActor(req), req.query, deps.domain.clock()),
  );

  app.get<{ Params: { number: string } }>(
    '/api/cases/:number',
    {
      schema: {
        tags: ['cases'],
        summary: '案件详情：事项、全过程记录、照片、评价',
        security: bearerSecurity,
        params: {
          type: 'object',
          properties: { number: { type: 'string', maxLength: 40, description: '案件编号，如 JH-20261129-0001' } },
          required: ['number'],
        },
        response: { 200: detailSchema, ...errorResponses },
      },
    },
    async (req) => {
      const detail = await getCaseDetail(deps.db, requireActor(req), req.params.number, deps.domain.clock());
      if (!detail) throw new NotFoundError('未找到该案件');
      return detail;
    },
  );

  app.get<{ Params: { key: string } }>(
    '/api/attachments/:key',
    {
      schema: {
        tags: ['cases'],
        summary: '案件照片原件（含 EXIF，仅限可查看该案件的人员）',
        security: bearerSecurity,
        params: attachmentKeyParams,
        response: { ...binaryResponse, ...errorResponses },
      },
    },
    async (req, reply) => {
      const att = await findViewableAttachment(deps.db, requireActor(req), { publicKey: req.params.key });
      if (!att) throw new NotFoundError('未找到该附件');
      return sendDataFile(
        reply.header('etag', `"${att.sha256}"`),
        deps.domain.files,
        att.path,
        att.mime,
        'private, max-age=3600',
      );
    },
  );
}
