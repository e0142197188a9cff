import type { FastifyInstance } from 'fastify';
import type { CellValue } from '../../core/hotline/hotline-date-fns.ts';
import { bearerSecurity, requireRole } from '../plugins/auth.ts';
import { errorResponses } from '../schemas.ts';
import type { ServerDeps } from '../server-deps.ts';
import { HOTLINE_ROLES } from './hotline-page-routes.ts';

const MAX_ORDERS = 1000;

const rowRef = { type: 'object', properties: { row: { type: 'integer' }, ref: { type: ['string', 'null'] } } } as const;

const reportSchema = {
  type: 'object',
  properties: {
    total: { type: 'integer' },
    created: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          ...rowRef.properties,
          caseNumber: { type: 'string' },
          status: { type: 'string' },
          street: { type: ['string', 'null'] },
        },
      },
    },
    skipped: {
      type: 'array',
      items: { type: 'object', properties: { ...rowRef.properties, reason: { type: 'string' } } },
    },
    failed: {
      type: 'array',
      items: { type: 'object', properties: { ...rowRef.properties, reason: { type: 'string' } } },
    },
    warnings: {
      type: 'array',
      items: { type: 'object', properties: { ...rowRef.properties, message: { type: 'string' } } },
    },
  },
} as const;

/**
 * For hotline systems that push: the same import as an upload, one JSON object per order with
 * the export's column names (工单编号, 受理时间, 诉求内容, …) or the field names (ref,
 * receivedAt, text, …). Idempotent: sending an order again creates nothing.
 */
export async function hotlineRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { domain } = deps;
  app.post(
    '/api/hotline/orders',
    {
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags: ['hotline'],
        summary: '接收 12345 热线工单（可重复推送，同一工单编号只立案一次）',
        description:
          '请求体为工单数组，每个工单的键为热线导出的列名（工单编号、受理时间、诉求内容、诉求地址、所属街道、办理时限、来电人、联系电话…）或字段名（ref、receivedAt、text…）。返回逐条结果：新建、跳过（已导入）、失败（含序号与原因）。',
        security: bearerSecurity,
        body: {
          type: 'array',
          minItems: 1,
          maxItems: MAX_ORDERS,
          items: {
            type: 'object',
            // Numbers (phone numbers, Excel serial dates) arrive as text through the schema's coercion.
            additionalProperties: { type: ['string', 'null'] },
          },
        },
        response: { 200: reportSchema, ...errorResponses, 413: errorResponses[400] },
      },
    },
    async (req) => {
      const actor = requireRole(req, HOTLINE_ROLES);
      const orders = req.body as Array<Record<string, CellValue>>;
      // "row" is the order's position in the array (1-based), so a failure names the order.
      const report = await domain.hotline.imports.importRows(orders.map((cells, i) => ({ row: i + 1, cells })));
      req.log.info(
        {
          by: actor.personId,
          created: report.created.length,
          skipped: report.skipped.length,
          failed: report.failed.length,
        },
        'hotline orders pushed',
      );
      return report;
    },
  );
}
