import type { FastifyInstance } from 'fastify';
import type { PlaceConfirmInput } from '../../core/case/place-confirm-service.ts';
import { STATUS_LABELS } from '../../core/case/case-types.ts';
import { bearerSecurity, requireActor } from '../plugins/auth.ts';
import { errorResponses } from '../schemas.ts';
import type { ServerDeps } from '../server-deps.ts';

/** 确认位置 / 改派街道: staff say which street (and point) a case is really in; Gridline learns from it. */
export async function casePlaceRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.post(
    '/api/cases/:number/place',
    {
      schema: {
        tags: ['cases'],
        summary: '确认位置 / 改派街道（系统据此学习地点所属街道）',
        description:
          '工作人员确认案件实际所在街道，可同时更正坐标。办理中的街道案件属其他街道时按“退回”规则改派；' +
          '确认的地点（小区名、门牌、坐标）会用于以后报告的街道判断。',
        security: bearerSecurity,
        params: { type: 'object', properties: { number: { type: 'string', maxLength: 32 } }, required: ['number'] },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['street'],
          properties: {
            street: { type: 'string', minLength: 1, maxLength: 32 },
            lat: { type: 'number', minimum: -90, maximum: 90 },
            lng: { type: 'number', minimum: -180, maximum: 180 },
            crs: { type: 'string', enum: ['wgs84', 'gcj02', 'bd09'] },
            note: { type: 'string', maxLength: 500 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              case: {
                type: 'object',
                properties: {
                  number: { type: 'string' },
                  status: { type: 'string' },
                  statusLabel: { type: 'string' },
                  street: { type: ['string', 'null'] },
                  lat: { type: ['number', 'null'] },
                  lng: { type: ['number', 'null'] },
                },
              },
            },
          },
          ...errorResponses,
        },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const { street, ...rest } = req.body as Omit<PlaceConfirmInput, 'streetName'> & { street: string };
      const c = await deps.domain.cases.places.confirm({ number: (req.params as { number: string }).number }, actor, {
        streetName: street,
        ...rest,
      });
      return {
        case: {
          number: c.number,
          status: c.status,
          statusLabel: STATUS_LABELS[c.status],
          street: c.streetName,
          lat: c.lat,
          lng: c.lng,
        },
      };
    },
  );
}
